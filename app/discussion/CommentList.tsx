import { Form, Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Stance } from "~db/schema/values";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";
import { MarkdownField } from "~/ui/MarkdownField";
import { useFormat } from "~/ui/locale-format";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import type { ParticipationState } from "~/projects/participation.server";
import type { CommentView } from "./discussion.server";
import { AuthorName } from "./AuthorName";
import { replyFor, type FormReply } from "~/ui/participation-form";
import type { FormFailure } from "~/domain-error";
import { PageLinks } from "~/ui/pagination";
import { ModerationControls, type ModerationTarget } from "~/moderation/ModerationControls";
import { useMessage } from "~/ui/message";

const STANCES = ["support", "oppose", "neutral"] as const;

/** What the viewer may do to the contributions of the page: the server's answer, not a rule of the UI's own. */
export interface ContributionPowersView {
  flag: boolean;
  deleteOwn: boolean;
  hide: boolean;
}

export interface CommentPageData {
  comments: { rows: CommentView[]; total: number; page: number; pageCount: number };
  may: ContributionPowersView;
  flagged: string[];
  target: number | null;
  replyTo: number | null;
  edit: number | null;
  delete: number | null;
  flag: ModerationTarget | null;
  hide: ModerationTarget | null;
  notice: string | null;
}

type CommentMode = "comment" | "reply" | "edit";

/** Everything a comment form needs from the page it sits on. */
interface SectionContext {
  basePath: string;
  page: number;
  state: ParticipationState;
  reply: FormReply | null;
  signedIn: boolean;
  may: ContributionPowersView;
  flagged: ReadonlySet<string>;
}

/** `basePath?page=…&…#hash`: links that keep the reader on the page of comments they are reading. */
function hrefOf(ctx: SectionContext, params: Record<string, string | number>, hash?: string) {
  const search = new URLSearchParams();
  if (ctx.page > 1) search.set("page", String(ctx.page));
  for (const [k, v] of Object.entries(params)) search.set(k, String(v));
  const qs = search.toString();
  return `${ctx.basePath}${qs ? `?${qs}` : ""}${hash ? `#${hash}` : ""}`;
}

/**
 * A thread's comments, one page at a time, with reply, edit and delete in place (all links and
 * forms, no script needed), followed by the form for a new comment or the reason there is none.
 * Used by the thread page and the proposal page alike.
 */
export function CommentSection({
  basePath,
  data,
  state,
  reply,
  signedIn,
  headingKey = "discussion.commentsHeading",
}: {
  basePath: string;
  data: CommentPageData;
  state: ParticipationState;
  reply: FormReply | null;
  signedIn: boolean;
  headingKey?: "discussion.commentsHeading" | "discussion.discussionHeading";
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { comments } = data;
  const ctx: SectionContext = { basePath, page: comments.page, state, reply, signedIn, may: data.may, flagged: new Set(data.flagged) };
  const byId = new Map(comments.rows.map((c) => [c.id, c]));
  const failure = reply && !reply.ok ? reply : null;
  const mode = failure?.values.mode;
  // A failed reply, edit or delete comes back in place; when its comment is not on this page
  // any more, the message (and the text typed) is shown above the comments instead.
  const host =
    mode === "reply"
      ? byId.get(Number(failure?.values.parentId))
      : mode === "edit" || mode === "delete"
        ? byId.get(Number(failure?.values.commentId))
        : undefined;
  const unplaced =
    (mode === "reply" || mode === "edit" || mode === "delete") &&
    (!host || (mode === "reply" ? host.visibility !== "published" : !host.own || host.visibility === "deleted" || (mode === "delete" && !data.may.deleteOwn)));
  // A report (or a moderator's hide) that hid a comment takes it, and its confirmation, off the
  // page: the confirmation shows above the comments instead.
  const render = useMessage();
  const movedAway =
    reply?.ok &&
    reply.message &&
    (reply.values?.mode === "flag" || reply.values?.mode === "hide") &&
    reply.values.targetType === "comment" &&
    !comments.rows.some((c) => String(c.id) === reply.values?.targetId && c.visibility === "published")
      ? reply.message
      : null;
  return (
    <>
      <section aria-labelledby="comments-heading" className="comments">
        <h2 id="comments-heading">{t(headingKey, { count: comments.total, formatted: f.number(comments.total) })}</h2>
        <div role="status">
          {data.notice ? <p className="notice notice--success">{t(data.notice)}</p> : null}
          {movedAway ? <p className="notice notice--success">{render(movedAway)}</p> : null}
        </div>
        {unplaced && failure ? <UnplacedFailure failure={failure} /> : null}
        {comments.rows.length ? (
          <ol className="comment-list">
            {comments.rows.map((c) => (
              <CommentItem key={c.id} comment={c} parent={c.parentId ? (byId.get(c.parentId) ?? null) : null} data={data} ctx={ctx} />
            ))}
          </ol>
        ) : (
          <p>{t("discussion.noComments")}</p>
        )}
        <PageLinks
          page={comments.page}
          pageCount={comments.pageCount}
          drop={["comment", "replyTo", "edit", "delete"]}
          hash="comments-heading"
          label={t("discussion.commentPages")}
        />
      </section>
      <section aria-labelledby="comment-form-heading" className="comment-new">
        <h2 id="comment-form-heading">{t("discussion.writeComment")}</h2>
        {state.kind === "open" || mode === "comment" ? (
          // A new key after each successful post empties the form; a refused post keeps its text.
          <CommentForm key={`new-${comments.total}`} mode="comment" reply={reply} labelledBy="comment-form-heading" />
        ) : (
          <ParticipationNotice state={state} purpose="comment" />
        )}
      </section>
    </>
  );
}

function CommentItem({ comment: c, parent, data, ctx }: { comment: CommentView; parent: CommentView | null; data: CommentPageData; ctx: SectionContext }) {
  const { t } = useTranslation();
  const f = useFormat();
  const deleted = c.visibility === "deleted";
  const open = ctx.state.kind === "open";
  const editing = c.own && !deleted && ((open && data.edit === c.id) || Boolean(replyFor(ctx.reply, "edit", { name: "commentId", id: c.id })));
  const deleting = c.own && !deleted && ctx.may.deleteOwn && (data.delete === c.id || Boolean(replyFor(ctx.reply, "delete", { name: "commentId", id: c.id })));
  const replying = c.visibility === "published" && ((open && data.replyTo === c.id) || Boolean(replyFor(ctx.reply, "reply", { name: "parentId", id: c.id })));
  const replyHref = hrefOf(ctx, { replyTo: c.id }, "reply-form");
  const authorLabel = deleted ? t("discussion.deletedComment") : (c.authorName ?? t("discussion.deletedUser"));
  const parentHref = c.parentId ? (parent ? `#comment-${c.parentId}` : `${ctx.basePath}?comment=${c.parentId}#comment-${c.parentId}`) : null;
  const parentLabel = !c.parentId
    ? null
    : !parent
      ? t("discussion.replyToEarlier")
      : parent.visibility === "deleted"
        ? t("discussion.replyToDeleted")
        : t("discussion.replyTo", { name: parent.authorName ?? t("discussion.deletedUser") });
  return (
    <li className={`comment comment--depth-${Math.min(c.depth, 2)}${data.target === c.id ? " comment--target" : ""}`}>
      <article id={`comment-${c.id}`} aria-labelledby={`comment-${c.id}-author`} tabIndex={-1}>
        <header className="comment__header">
          <h3 className="comment__author" id={`comment-${c.id}-author`}>
            {deleted ? <span className="deleted-user">{authorLabel}</span> : <AuthorName name={c.authorName} official={c.official} />}
          </h3>
          {parentHref ? (
            <p className="comment__reply-to">
              <span aria-hidden="true">↳ </span>
              <a href={parentHref}>{parentLabel}</a>
            </p>
          ) : null}
          <p className="comment__meta">
            {c.stance ? <span className={`stance stance--${c.stance}`}>{t(`discussion.stances.${c.stance}`)}</span> : null}
            <time dateTime={new Date(c.createdAt).toISOString()}>{f.dateTime(c.createdAt)}</time>
            {c.editedAt && !deleted ? <span>{t("discussion.edited")}</span> : null}
            {c.visibility === "pending" || c.visibility === "hidden" || c.visibility === "rejected" ? (
              <span className="badge badge--pending">{t(`discussion.${c.visibility}`)}</span>
            ) : null}
            <a href={`${ctx.basePath}?comment=${c.id}#comment-${c.id}`}>
              {t("discussion.permalink")}
              <span className="visually-hidden">{` — ${authorLabel}, ${f.dateTime(c.createdAt)}`}</span>
            </a>
          </p>
        </header>
        {c.own && (c.visibility === "pending" || c.visibility === "hidden" || c.visibility === "rejected") ? (
          <p className="muted">{t(`discussion.${c.visibility}Explained`)}</p>
        ) : null}
        {deleted || c.bodyHtml === null ? (
          <p className="comment__deleted">{t("discussion.deletedByAuthor")}</p>
        ) : editing ? null : (
          <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        )}
        {editing ? (
          <div className="comment__inline">
            <h4 id="edit-form-title">{t("discussion.editTitle")}</h4>
            <CommentForm
              mode="edit"
              commentId={c.id}
              defaultBody={c.bodySource ?? ""}
              reply={ctx.reply}
              labelledBy="edit-form-title"
              cancelHref={hrefOf(ctx, {}, `comment-${c.id}`)}
            />
          </div>
        ) : null}
        {deleting ? <DeleteConfirm comment={c} ctx={ctx} /> : null}
        {!editing && !deleting ? (
          <ul className="comment__actions">
            {c.visibility === "published" && (open || ctx.state.kind === "anonymous") && !replying ? (
              <li>
                <Link to={ctx.state.kind === "anonymous" ? `/login?redirectTo=${encodeURIComponent(replyHref)}` : replyHref} preventScrollReset>
                  {t("discussion.reply")}
                  <span className="visually-hidden">{` — ${authorLabel}`}</span>
                </Link>
              </li>
            ) : null}
            {c.own && !deleted && open ? (
              <li>
                <Link to={hrefOf(ctx, { edit: c.id }, "edit-form")} preventScrollReset>
                  {t("discussion.edit")}
                </Link>
              </li>
            ) : null}
            {c.own && !deleted && ctx.may.deleteOwn ? (
              <li>
                <Link to={hrefOf(ctx, { delete: c.id }, "delete-form")} preventScrollReset>
                  {t("discussion.delete")}
                </Link>
              </li>
            ) : null}
          </ul>
        ) : null}
        {c.visibility === "published" && ctx.signedIn && !editing && !deleting ? (
          <ModerationControls
            target={{ type: "comment", id: c.id }}
            hrefWith={(params, hash) => hrefOf(ctx, params, hash || `comment-${c.id}`)}
            openFlag={data.flag?.type === "comment" && data.flag.id === c.id}
            openHide={data.hide?.type === "comment" && data.hide.id === c.id}
            canFlag={ctx.may.flag && !c.own && !ctx.flagged.has(`comment-${c.id}`)}
            canHide={ctx.may.hide}
            reply={ctx.reply}
            label={`${authorLabel}, ${f.dateTime(c.createdAt)}`}
          />
        ) : null}
        {replying ? (
          <div className="comment__inline">
            <h4 id="reply-form-title">{t("discussion.replyTitle", { name: authorLabel })}</h4>
            <CommentForm mode="reply" parentId={c.id} reply={ctx.reply} labelledBy="reply-form-title" cancelHref={hrefOf(ctx, {}, `comment-${c.id}`)} />
          </div>
        ) : null}
      </article>
    </li>
  );
}

/**
 * Reply, edit and delete open in place through a link ending in #reply-form (and so on). With
 * JavaScript the link that was followed disappears, so focus moves into the form it opened.
 */
function useFocusOnArrival<T extends HTMLElement>(anchor: string | null, selector: string) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (anchor && window.location.hash === `#${anchor}`) ref.current?.querySelector<HTMLElement>(selector)?.focus();
  }, [anchor, selector]);
  return ref;
}

/** A refusal whose form is not on this page: the message, and the text so it is not lost. */
function UnplacedFailure({ failure }: { failure: FormFailure }) {
  const { t } = useTranslation();
  return (
    <div className="unplaced">
      <ErrorSummary failure={failure} layout="inline" />
      {failure.values.body ? (
        <div className="field">
          <label htmlFor="unplaced-body">{t("discussion.yourText")}</label>
          <textarea id="unplaced-body" readOnly rows={4} defaultValue={failure.values.body} />
        </div>
      ) : null}
    </div>
  );
}

function DeleteConfirm({ comment, ctx }: { comment: CommentView; ctx: SectionContext }) {
  const { t } = useTranslation();
  const mine = replyFor(ctx.reply, "delete", { name: "commentId", id: comment.id });
  const failure = mine && !mine.ok ? mine : null;
  const ref = useFocusOnArrival<HTMLFormElement>("delete-form", "button");
  return (
    <Form method="post" id="delete-form" className="confirm" aria-labelledby="delete-form-title" ref={ref}>
      <ErrorSummary failure={failure} layout="inline" />
      <p id="delete-form-title">
        <strong>{t("discussion.deleteConfirm")}</strong> {t("discussion.deleteExplained")}
      </p>
      <input type="hidden" name="mode" value="delete" />
      <input type="hidden" name="commentId" value={comment.id} />
      <div className="form-actions">
        <button type="submit" name="intent" value="delete" className="button--danger">
          {t("discussion.deleteYes")}
        </button>
        <Link to={hrefOf(ctx, {}, `comment-${comment.id}`)}>{t("discussion.cancel")}</Link>
      </div>
    </Form>
  );
}

/** The form to write, reply to or edit a comment: Markdown, an optional stance, preview and send. */
export function CommentForm({
  mode,
  parentId,
  commentId,
  defaultBody,
  reply,
  labelledBy,
  cancelHref,
}: {
  mode: CommentMode;
  parentId?: number;
  commentId?: number;
  defaultBody?: string;
  reply: FormReply | null;
  labelledBy: string;
  cancelHref?: string;
}) {
  const { t } = useTranslation();
  const target = parentId ? { name: "parentId", id: parentId } : commentId ? { name: "commentId", id: commentId } : undefined;
  const mine = replyFor(reply, mode, target);
  const failure: FormFailure | null = mine && !mine.ok ? mine : null;
  const preview = mine && mine.ok ? mine.preview : undefined;
  const values = mine?.values;
  const fieldError = useFieldError(failure);
  const bodyLabel = mode === "reply" ? t("discussion.replyBody") : t("discussion.commentBody");
  const stanceId = `${mode}-stance`;
  const stanceError = fieldError("stance");
  const ref = useFocusOnArrival<HTMLFormElement>(mode === "comment" ? null : `${mode}-form`, "textarea");
  return (
    <Form method="post" id={`${mode}-form`} className="comment-form" aria-labelledby={labelledBy} preventScrollReset noValidate ref={ref}>
      <input type="hidden" name="mode" value={mode} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      {commentId ? <input type="hidden" name="commentId" value={commentId} /> : null}
      <ErrorSummary failure={failure} labels={{ body: bodyLabel, stance: t("discussion.stance") }} idPrefix={mode} layout="inline" />
      <MarkdownField
        name="body"
        idPrefix={mode}
        label={bodyLabel}
        defaultValue={values?.body ?? defaultBody}
        error={fieldError("body")}
        previewHtml={preview}
        rows={mode === "comment" ? 6 : 4}
      />
      {mode !== "edit" ? (
        <FieldFrame id={stanceId} label={t("discussion.stance")} optional error={stanceError}>
          {({ id, aria }) => (
            <select id={id} name="stance" defaultValue={(values?.stance as Stance | undefined) ?? ""} {...aria}>
              <option value="">{t("discussion.stances.none")}</option>
              {STANCES.map((s) => (
                <option key={s} value={s}>
                  {t(`discussion.stances.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
      ) : null}
      <div className="form-actions">
        <button type="submit" name="intent" value="preview" className="button--secondary">
          {t("markdown.previewButton")}
        </button>
        <button type="submit" name="intent" value={mode}>
          {mode === "edit" ? t("discussion.saveEdit") : mode === "reply" ? t("discussion.sendReply") : t("discussion.sendComment")}
        </button>
        {cancelHref ? (
          <Link to={cancelHref} preventScrollReset>
            {t("discussion.cancel")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
