import { Form, Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { FormFailure } from "~/domain-error";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";
import { useMessage } from "~/ui/message";
import { useFormat } from "~/ui/locale-format";
import { SUSPENSION_DURATIONS } from "~db/schema/values";
import type { QueueItemView } from "./queue-page.server";
import { REJECT_TEMPLATES } from "./reject-reasons";
import { projectPath } from "~/content/links";

export const REASON_MAX = 1000;

/** A refused decision on this item: the form's reply (its errors, and what was typed). */
export type ItemFailure = Pick<FormFailure, "errors" | "values">;

/**
 * One review item: what it is and why it is here, the content as it will appear, its context,
 * flags, revisions and the author's record, and the decision form. Every action is a plain
 * submit button, so the item works without JavaScript; the queue page adds keyboard shortcuts
 * through the data-shortcut attributes.
 */
export function QueueItem({
  item,
  failure,
  selected,
  busy,
  onDecide,
}: {
  item: QueueItemView;
  failure: ItemFailure | null;
  /** Checked for bulk action (kept after a refused bulk action). */
  selected: boolean;
  busy: boolean;
  onDecide: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const titleId = `item-${item.id}-title`;
  const type = t(`moderation.targetTypes.${item.targetType}`);
  const authorName = item.author?.displayName ?? t("moderation.queue.deletedAuthor");
  const label = t("moderation.queue.itemLabel", { type, id: item.targetId });
  const open = item.status === "open";
  const isAppeal = item.reasons.includes("appeal");
  const pending = item.revisions.filter((r) => r.visibility === "pending");
  const earlier = item.revisions.filter((r) => r.visibility !== "pending");
  // What this moderator may do here is the server's answer (queueItemView), not a rule of its own.
  const mayHaveSuspend = item.may.suspend && item.author?.displayName != null;
  const message = useMessage();
  // A missing or overlong reason sits next to the reason (which takes focus); any other refusal above the buttons.
  const reasonError = useFieldError(failure)("reason");
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (reasonError) reasonRef.current?.focus();
  }, [reasonError]);

  return (
    <article id={`item-${item.id}`} className="queue-item" tabIndex={-1} aria-labelledby={titleId} data-queue-item="">
      <header className="queue-item__header">
        <h2 id={titleId} className="queue-item__title">
          {label}
          <span className="queue-item__by"> · {t("moderation.queue.by", { name: authorName })}</span>
        </h2>
        {open ? (
          <label className="queue-item__select">
            <input type="checkbox" form="bulk" name="item" value={`${item.id}:${item.version}`} defaultChecked={selected} data-shortcut="select" />{" "}
            {t("moderation.queue.select")}
            <span className="visually-hidden"> {label}</span>
          </label>
        ) : null}
      </header>

      <p className="queue-item__why">
        <span className="visually-hidden">{t("moderation.queue.reasonsLabel")} </span>
        {item.reasons.map((r) => (
          <span key={r} className={`badge mod-reason mod-reason--${r}`}>
            {t(`moderation.reasons.${r}`)}
          </span>
        ))}{" "}
        <span className="queue-item__score">{t("moderation.queue.score", { score: item.score })}</span>{" "}
        <span className="muted">· {t("moderation.queue.since", { date: f.dateTime(item.createdAt) })}</span>
      </p>

      <dl className="facts queue-item__context">
        {item.project ? (
          <div>
            <dt>{t("moderation.queue.project")}</dt>
            <dd>
              <Link to={projectPath(item.project.slug)}>{item.project.title}</Link>
            </dd>
          </div>
        ) : null}
        {item.thread ? (
          <div>
            <dt>{t("moderation.queue.thread")}</dt>
            <dd>{item.thread.href ? <Link to={item.thread.href}>{item.thread.title}</Link> : item.thread.title}</dd>
          </div>
        ) : null}
        {item.content ? (
          <div>
            <dt>{t("moderation.queue.visibility")}</dt>
            <dd>{t(`moderation.visibility.${item.content.visibility}`)}</dd>
          </div>
        ) : null}
      </dl>

      {item.parent ? (
        <div className="queue-item__parent">
          <p className="queue-item__label">{t("moderation.queue.repliesTo", { name: item.parent.authorName })}</p>
          <blockquote>
            {item.parent.visibility !== "published" ? <p className="muted">{t(`moderation.visibility.${item.parent.visibility}`)}</p> : null}
            {item.parent.excerpt !== null ? <p>{item.parent.excerpt}</p> : null}
          </blockquote>
        </div>
      ) : null}

      {isAppeal && item.appealText ? (
        <div className="queue-item__appeal">
          <h3 id={`item-${item.id}-appeal`}>{t("moderation.queue.appealHeading")}</h3>
          <p className="pre-line">{item.appealText}</p>
          {item.appealedAt ? <p className="muted">{f.dateTime(item.appealedAt)}</p> : null}
        </div>
      ) : null}

      {pending.map((r) => (
        <div key={r.id} className="queue-item__content queue-item__content--pending">
          <h3 id={`rev-${r.id}-title`}>{t("moderation.queue.pendingEdit")}</h3>
          <p className="muted">{f.dateTime(r.createdAt)}</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
        </div>
      ))}

      <div className="queue-item__content">
        <h3 id={`item-${item.id}-content`}>{pending.length ? t("moderation.queue.liveText") : t("moderation.queue.content")}</h3>
        {item.content ? (
          <>
            {item.content.title ? <p className="queue-item__content-title">{item.content.title}</p> : null}
            {item.content.bodyHtml !== null ? (
              <div className="prose" dangerouslySetInnerHTML={{ __html: item.content.bodyHtml }} />
            ) : (
              <p className="muted">{t("moderation.visibility.deleted")}</p>
            )}
            <p className="muted">
              {f.dateTime(item.content.createdAt)}
              {item.href ? (
                <>
                  {" · "}
                  <Link to={item.href}>{t("moderation.queue.openInContext")}</Link>
                </>
              ) : null}
            </p>
          </>
        ) : (
          <p className="muted">{t("moderation.queue.contentMissing")}</p>
        )}
      </div>

      {earlier.length ? (
        <details className="queue-item__revisions">
          <summary>{t("moderation.queue.revisions", { count: earlier.length })}</summary>
          <ol>
            {earlier.map((r) => (
              <li key={r.id}>
                <p className="muted">
                  {f.dateTime(r.createdAt)}
                  {r.visibility === "rejected" ? ` · ${t("moderation.queue.revisionRejected")}` : null}
                </p>
                <div className="prose" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
              </li>
            ))}
          </ol>
        </details>
      ) : null}

      {item.flags.length ? (
        <div>
          <h3 id={`item-${item.id}-flags`}>{t("moderation.queue.flags", { count: item.flags.length })}</h3>
          <ul className="queue-item__flags">
            {item.flags.map((fl, i) => (
              <li key={i}>
                <strong>{t(`moderation.flagReasons.${fl.reason}`)}</strong>
                {" · "}
                {fl.flaggerName}
                {" · "}
                <span className="muted">{f.dateTime(fl.createdAt)}</span>
                {fl.weight === 0 ? <span className="muted"> · {t("moderation.queue.flagNewAccount")}</span> : null}
                {fl.weight > 1 ? <span className="muted"> · {t("moderation.queue.flagStaff")}</span> : null}
                {fl.status !== "open" ? <span className="muted"> · {t(`moderation.flagStatuses.${fl.status}`)}</span> : null}
                {fl.note ? <p className="queue-item__note pre-line">{fl.note}</p> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {item.author ? (
        <div>
          <h3 id={`item-${item.id}-author`}>{t("moderation.queue.authorHeading")}</h3>
          <dl className="facts queue-item__author">
            <div>
              <dt>{t("moderation.queue.authorName")}</dt>
              <dd>
                {authorName}
                {item.author.role !== "resident" ? ` (${t(`roles.${item.author.role}`)})` : null}
              </dd>
            </div>
            <div>
              <dt>{t("moderation.queue.joined")}</dt>
              <dd>
                {f.date(item.author.createdAt)} ({t("moderation.queue.ageDays", { count: item.author.ageDays })})
                {item.author.verified ? null : ` · ${t("moderation.queue.unverified")}`}
              </dd>
            </div>
            <div>
              <dt>{t("moderation.queue.published")}</dt>
              <dd>{f.number(item.author.contributionCount)}</dd>
            </div>
            <div>
              <dt>{t("moderation.queue.decisions")}</dt>
              <dd>
                {t("moderation.queue.approvedCount", { count: item.author.approved })}, {t("moderation.queue.rejectedCount", { count: item.author.rejected })}
              </dd>
            </div>
            {item.author.suspendedUntil ? (
              <div>
                <dt>{t("moderation.queue.suspension")}</dt>
                <dd>
                  {item.author.suspendedPermanently
                    ? t("moderation.queue.suspendedPermanently")
                    : t("moderation.queue.suspendedUntil", { date: f.dateTime(item.author.suspendedUntil) })}
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
      ) : null}

      {open && !item.may.decide && item.may.refusal ? (
        <p className="notice queue-item__not-yours">{message(item.may.refusal)}</p>
      ) : open ? (
        <Form method="post" className="queue-item__decide" onSubmit={onDecide} key={`decide-${item.version}`} noValidate>
          <h3 className="visually-hidden">{t("moderation.queue.decideHeading", { label })}</h3>
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="version" value={item.version} />
          <ErrorSummary failure={failure && !reasonError ? failure : null} layout="inline" />
          <div className="queue-item__approve">
            <button type="submit" name="intent" value="approve" data-shortcut="approve" disabled={busy}>
              {isAppeal ? t("moderation.queue.overturn") : t("moderation.queue.approve")}
              <span className="visually-hidden"> {label}</span>
            </button>
          </div>
          <fieldset className="queue-item__reject">
            <legend>{isAppeal ? t("moderation.queue.upholdLegend") : t("moderation.queue.rejectLegend")}</legend>
            <div className={`field${reasonError ? " field--error" : ""}`}>
              <label htmlFor={`template-${item.id}`}>{t("moderation.queue.template")}</label>
              <select id={`template-${item.id}`} name="template" defaultValue={failure?.values.template ?? ""} data-shortcut="reason">
                <option value="">{t("moderation.queue.templateNone")}</option>
                {REJECT_TEMPLATES.map((tpl) => (
                  <option key={tpl} value={tpl}>
                    {t(`moderation.templateNames.${tpl}`)}
                  </option>
                ))}
              </select>
            </div>
            <FieldFrame
              id={`reason-${item.id}`}
              label={t("moderation.queue.reason")}
              optional
              optionalText={t("moderation.queue.reasonOptional")}
              error={reasonError}
            >
              {({ id, aria }) => (
                <textarea ref={reasonRef} id={id} name="reason" rows={2} maxLength={REASON_MAX} defaultValue={failure?.values.reason ?? ""} {...aria} />
              )}
            </FieldFrame>
            <div className="form-actions">
              <button type="submit" name="intent" value="reject" className="button--danger" disabled={busy}>
                {isAppeal ? t("moderation.queue.uphold") : t("moderation.queue.reject")}
                <span className="visually-hidden"> {label}</span>
              </button>
            </div>
            {mayHaveSuspend ? (
              <fieldset className="queue-item__suspend">
                <legend>{t("moderation.queue.suspendLegend", { name: authorName })}</legend>
                <div className="form-actions">
                  {SUSPENSION_DURATIONS.map((d) => (
                    <button key={d} type="submit" name="intent" value={`suspend-${d}`} className="button--secondary button--danger-outline" disabled={busy}>
                      {t("moderation.queue.rejectSuspend", { duration: t(`moderation.durations.${d}`) })}
                    </button>
                  ))}
                </div>
              </fieldset>
            ) : null}
          </fieldset>
        </Form>
      ) : (
        <p className="queue-item__decided">
          {t(item.status === "approved" ? "moderation.queue.decidedApproved" : "moderation.queue.decidedRejected", {
            name: item.decidedBy ?? "?",
            date: item.decidedAt ? f.dateTime(item.decidedAt) : "",
          })}
          {item.decisionReason ? <> {t("moderation.queue.decisionReason", { reason: item.decisionReason })}</> : null}
        </p>
      )}
    </article>
  );
}
