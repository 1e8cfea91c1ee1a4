import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FLAG_REASONS, type TargetType } from "~db/schema/values";
import { FLAG_NOTE_MAX_CLIENT } from "./limits";
import { replyFor, type FormReply } from "~/ui/participation-form";
import { useMessage } from "~/ui/message";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";

export interface ModerationTarget {
  type: TargetType;
  id: number;
}

/**
 * "Report" for residents and "Hide" for moderators, on any published thread, comment or
 * proposal. Each opens its form in place through a link (`?flag=comment-12#flag-form`), so it
 * works without JavaScript; the action answers in place with the message and what was typed.
 */
export function ModerationControls({
  target,
  hrefWith,
  openFlag,
  openHide,
  canFlag,
  canHide,
  reply,
  label,
}: {
  target: ModerationTarget;
  /** Builds a link to this page with extra query parameters and a hash. */
  hrefWith: (params: Record<string, string>, hash: string) => string;
  openFlag: boolean;
  openHide: boolean;
  canFlag: boolean;
  canHide: boolean;
  reply: FormReply | null;
  /** Names the item for screen readers ("— Budi, 3 Desember"). */
  label: string;
}) {
  const { t } = useTranslation();
  const render = useMessage();
  const key = `${target.type}-${target.id}`;
  const matches = (mode: string) => {
    const r = replyFor(reply, mode);
    return r && r.values?.targetType === target.type && r.values?.targetId === String(target.id) ? r : null;
  };
  const flagReply = matches("flag");
  const hideReply = matches("hide");
  const done = flagReply?.ok ? flagReply : hideReply?.ok ? hideReply : null;
  // A refused report or hide comes back in place with what was typed, even where the page no
  // longer offers the form; a report that went through is confirmed here though the item is now
  // one this person has reported (and is offered no second time).
  const showFlag = ((canFlag && openFlag) || Boolean(flagReply && !flagReply.ok)) && !done;
  const showHide = ((canHide && openHide) || Boolean(hideReply && !hideReply.ok)) && !done;
  if (!canFlag && !canHide && !done && !showFlag && !showHide) return null;
  return (
    <div className="moderation-controls">
      <div role="status">{done && done.ok && done.message ? <p className="notice notice--success">{render(done.message)}</p> : null}</div>
      {!showFlag && !showHide && !done ? (
        <ul className="comment__actions">
          {canFlag ? (
            <li>
              <Link to={hrefWith({ flag: key }, `flag-${key}`)} preventScrollReset rel="nofollow">
                {t("moderationUi.flag")}
                <span className="visually-hidden">{` — ${label}`}</span>
              </Link>
            </li>
          ) : null}
          {canHide ? (
            <li>
              <Link to={hrefWith({ hide: key }, `hide-${key}`)} preventScrollReset rel="nofollow">
                {t("moderationUi.hide")}
                <span className="visually-hidden">{` — ${label}`}</span>
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      {showFlag ? <FlagForm target={target} reply={flagReply} cancelHref={hrefWith({}, "")} /> : null}
      {showHide ? <HideForm target={target} reply={hideReply} cancelHref={hrefWith({}, "")} /> : null}
    </div>
  );
}

function FlagForm({ target, reply, cancelHref }: { target: ModerationTarget; reply: FormReply | null; cancelHref: string }) {
  const { t } = useTranslation();
  return (
    <ModerationForm
      intent="flag"
      target={target}
      reply={reply}
      title={t("moderationUi.flagTitle")}
      labels={{ reason: t("moderationUi.flagReason"), note: t("moderationUi.flagNote") }}
      submit={t("moderationUi.flagSubmit")}
      cancelHref={cancelHref}
    >
      {({ id, fieldError }) => {
        const reasonError = fieldError("reason");
        return (
          <>
            <fieldset className={`field${reasonError ? " field--error" : ""}`} aria-describedby={reasonError ? `${id}-reason-error` : undefined}>
              <legend>{t("moderationUi.flagReason")}</legend>
              {reasonError ? (
                <p className="field__error" id={`${id}-reason-error`}>
                  {reasonError}
                </p>
              ) : null}
              {FLAG_REASONS.map((r, i) => (
                <label key={r} className="choice">
                  <input type="radio" name="reason" value={r} id={i === 0 ? `${id}-reason` : undefined} defaultChecked={reply?.values?.reason === r} />{" "}
                  {t(`moderationUi.reasons.${r}`)}
                </label>
              ))}
            </fieldset>
            <ReasonField
              id={`${id}-note`}
              label={t("moderationUi.flagNote")}
              optional
              error={fieldError("note")}
              maxLength={FLAG_NOTE_MAX_CLIENT}
              defaultValue={reply?.values?.note}
            />
          </>
        );
      }}
    </ModerationForm>
  );
}

function HideForm({ target, reply, cancelHref }: { target: ModerationTarget; reply: FormReply | null; cancelHref: string }) {
  const { t } = useTranslation();
  return (
    <ModerationForm
      intent="hide"
      target={target}
      reply={reply}
      title={t("moderationUi.hideTitle")}
      labels={{ reason: t("moderationUi.hideReason") }}
      submit={t("moderationUi.hideSubmit")}
      submitClassName="button--danger"
      cancelHref={cancelHref}
    >
      {({ id, fieldError }) => (
        <ReasonField
          id={`${id}-reason`}
          label={t("moderationUi.hideReason")}
          hint={t("moderationUi.hideHint")}
          error={fieldError("reason")}
          maxLength={1000}
          defaultValue={reply?.values?.note}
        />
      )}
    </ModerationForm>
  );
}

/**
 * The frame of the flag and hide forms: title, error alert, the target, and submit or cancel.
 * Its fields get the form's id (`flag-comment-12`) to build theirs, and the failure's field errors.
 */
function ModerationForm({
  intent,
  target,
  reply,
  title,
  labels,
  submit,
  submitClassName,
  cancelHref,
  children,
}: {
  intent: "flag" | "hide";
  target: ModerationTarget;
  reply: FormReply | null;
  title: string;
  labels: Record<string, string>;
  submit: string;
  submitClassName?: string;
  cancelHref: string;
  children: (form: { id: string; fieldError: (field: string) => string | null }) => ReactNode;
}) {
  const { t } = useTranslation();
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const id = `${intent}-${target.type}-${target.id}`;
  return (
    <Form method="post" id={id} className="confirm" preventScrollReset aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{title}</h4>
      <ErrorSummary failure={failure} labels={labels} idPrefix={id} layout="inline" />
      <input type="hidden" name="targetType" value={target.type} />
      <input type="hidden" name="targetId" value={target.id} />
      {children({ id, fieldError })}
      <div className="form-actions">
        <button type="submit" name="intent" value={intent} className={submitClassName}>
          {submit}
        </button>
        <Link to={cancelHref} preventScrollReset>
          {t("discussion.cancel")}
        </Link>
      </div>
    </Form>
  );
}

/**
 * The free-text reason of a report (optional, as its note) or of a hide (required): posted as
 * `note` in both, with its label, hint and error tied to the textarea for screen readers.
 */
function ReasonField({
  id,
  label,
  optional = false,
  hint,
  error,
  maxLength,
  defaultValue,
}: {
  id: string;
  label: string;
  optional?: boolean;
  hint?: string;
  error: string | null;
  maxLength: number;
  defaultValue?: string;
}) {
  return (
    <FieldFrame id={id} label={label} optional={optional} hint={hint} error={error}>
      {({ aria }) => <textarea id={id} name="note" rows={3} maxLength={maxLength} defaultValue={defaultValue} {...aria} />}
    </FieldFrame>
  );
}
