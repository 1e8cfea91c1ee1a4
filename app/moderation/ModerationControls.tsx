import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FLAG_REASONS, type TargetType } from "~db/schema/values";
import { FLAG_NOTE_MAX_CLIENT } from "./limits";
import { FormAlert, replyFor, useFieldError, type FormReply } from "~/discussion/forms";
import { useMessage } from "~/ui/FormMessage";

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
  const showFlag = canFlag && (openFlag || Boolean(flagReply && !flagReply.ok)) && !done;
  const showHide = canHide && (openHide || Boolean(hideReply && !hideReply.ok)) && !done;
  if (!canFlag && !canHide) return null;
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
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const id = `flag-${target.type}-${target.id}`;
  const reasonError = fieldError("reason");
  const noteError = fieldError("note");
  return (
    <Form method="post" id={id} className="confirm" preventScrollReset aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t("moderationUi.flagTitle")}</h4>
      <FormAlert failure={failure} labels={{ reason: t("moderationUi.flagReason"), note: t("moderationUi.flagNote") }} idPrefix={id} />
      <input type="hidden" name="targetType" value={target.type} />
      <input type="hidden" name="targetId" value={target.id} />
      <fieldset className={`field${reasonError ? " field--error" : ""}`} aria-describedby={reasonError ? `${id}-reason-error` : undefined}>
        <legend>{t("moderationUi.flagReason")}</legend>
        {reasonError ? (
          <p className="field__error" id={`${id}-reason-error`}>
            {reasonError}
          </p>
        ) : null}
        {FLAG_REASONS.map((r, i) => (
          <label key={r} className="choice">
            <input type="radio" name="reason" value={r} id={i === 0 ? `${id}-reason` : undefined} defaultChecked={reply?.values?.reason === r} /> {t(`moderationUi.reasons.${r}`)}
          </label>
        ))}
      </fieldset>
      <div className={`field${noteError ? " field--error" : ""}`}>
        <label htmlFor={`${id}-note`}>
          {t("moderationUi.flagNote")} <span className="optional">({t("form.optional")})</span>
        </label>
        {noteError ? (
          <p className="field__error" id={`${id}-note-error`}>
            {noteError}
          </p>
        ) : null}
        <textarea id={`${id}-note`} name="note" rows={3} maxLength={FLAG_NOTE_MAX_CLIENT} defaultValue={reply?.values?.note} aria-invalid={noteError ? true : undefined} aria-describedby={noteError ? `${id}-note-error` : undefined} />
      </div>
      <div className="form-actions">
        <button type="submit" name="intent" value="flag">
          {t("moderationUi.flagSubmit")}
        </button>
        <Link to={cancelHref} preventScrollReset>
          {t("discussion.cancel")}
        </Link>
      </div>
    </Form>
  );
}

function HideForm({ target, reply, cancelHref }: { target: ModerationTarget; reply: FormReply | null; cancelHref: string }) {
  const { t } = useTranslation();
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const id = `hide-${target.type}-${target.id}`;
  const error = fieldError("reason");
  return (
    <Form method="post" id={id} className="confirm" preventScrollReset aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t("moderationUi.hideTitle")}</h4>
      <FormAlert failure={failure} labels={{ reason: t("moderationUi.hideReason") }} idPrefix={id} />
      <input type="hidden" name="targetType" value={target.type} />
      <input type="hidden" name="targetId" value={target.id} />
      <div className={`field${error ? " field--error" : ""}`}>
        <label htmlFor={`${id}-reason`}>{t("moderationUi.hideReason")}</label>
        <p className="field__hint" id={`${id}-reason-hint`}>
          {t("moderationUi.hideHint")}
        </p>
        {error ? (
          <p className="field__error" id={`${id}-reason-error`}>
            {error}
          </p>
        ) : null}
        <textarea
          id={`${id}-reason`}
          name="note"
          rows={3}
          maxLength={1000}
          defaultValue={reply?.values?.note}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-reason-hint${error ? ` ${id}-reason-error` : ""}`}
        />
      </div>
      <div className="form-actions">
        <button type="submit" name="intent" value="hide" className="button--danger">
          {t("moderationUi.hideSubmit")}
        </button>
        <Link to={cancelHref} preventScrollReset>
          {t("discussion.cancel")}
        </Link>
      </div>
    </Form>
  );
}
