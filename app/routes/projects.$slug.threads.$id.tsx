import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { currentUser, requireUser } from "~/http/guards.server";
import { isStaff, STAFF_ROLES } from "~/accounts/roles";
import { actsAs } from "~/accounts/authority.server";
import { flaggedBy } from "~/moderation/flags.server";
import { ModerationControls } from "~/moderation/ModerationControls";
import { getProjectBySlug } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { getThread, setThreadState } from "~/discussion/discussion.server";
import { handleCommentIntent, isCommentIntent, loadCommentPage } from "~/http/comment-page.server";
import { COMMENT_INTENTS } from "~/discussion/comment-intents";
import { readIntent } from "~/http/intent.server";
import { CommentSection } from "~/discussion/CommentList";
import { AuthorName } from "~/discussion/AuthorName";
import { StatusMessage, type FormReply } from "~/ui/participation-form";
import { ErrorSummary } from "~/ui/form";
import { attemptAsync, idParam } from "~/http/domain-response.server";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { projectPath, threadPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "discussion.threadMeta", { title: data.thread.title, project: data.project.title }) : pageTitle(matches, "errorPages.404.title");

const STATE_INTENTS = { lock: { locked: true }, unlock: { locked: false }, pin: { pinned: true }, unpin: { pinned: false } } as const;

async function loadThread(params: LoaderFunctionArgs["params"], context: LoaderFunctionArgs["context"]) {
  const viewer = await currentUser(context);
  const threadId = idParam(params.id);
  const row = await getProjectBySlug(context.db, params.slug ?? "", viewer);
  if (!row) throw new Response("Not found", { status: 404 });
  const thread = await getThread(context.db, row.project.id, threadId, viewer);
  if (!thread) throw new Response("Not found", { status: 404 });
  return { viewer, project: row.project, ...thread };
}

/** Four to eight queries whatever the size of the thread. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { viewer, project, thread, authorName, authorRole, authorDeleted } = await loadThread(params, context);
  const url = new URL(request.url);
  // A proposal's discussion lives on the proposal's page.
  if (thread.proposalId) throw redirect(`${threadPath(project.slug, thread)}${url.search}`);
  const now = new Date();
  const page = await loadCommentPage(context.db, url, thread.id, viewer, now);
  const own = viewer?.id === thread.authorId;
  return {
    project: { slug: project.slug, title: project.title },
    thread: {
      id: thread.id,
      title: thread.title,
      bodyHtml: thread.bodyHtml,
      pinned: thread.pinned,
      locked: thread.locked,
      visibility: thread.visibility,
      own,
      createdAt: thread.createdAt,
      authorName: authorDeleted ? null : authorName,
      official: !authorDeleted && isStaff(authorRole),
    },
    page,
    participation: participationState(project, viewer, now, { locked: thread.locked }),
    signedIn: Boolean(viewer),
    /** What the viewer may do to the thread itself: the domain's own checks (flagContent, hideContent, setThreadState). */
    may: {
      flag: page.may.flag && !own && !(await flaggedBy(context.db, viewer!.id, [{ type: "thread", id: thread.id }])).length,
      hide: page.may.hide,
      lockAndPin: actsAs(viewer, STAFF_ROLES, now),
    },
  };
}

export const intents = ["lock", "unlock", "pin", "unpin", ...COMMENT_INTENTS] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { project, thread } = await loadThread(params, context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  if (Object.hasOwn(STATE_INTENTS, intent)) {
    const change = STATE_INTENTS[intent as keyof typeof STATE_INTENTS];
    const result = await attemptAsync(() => setThreadState(context.db, user, thread.id, change), { mode: "state" }, intent);
    if (!result.ok) return result.response;
    return { ok: true as const, intent, values: { mode: "state" } };
  }
  if (!isCommentIntent(intent)) throw new Response("Bad request", { status: 400 });
  return handleCommentIntent(context.db, user, project.slug, thread, intent, form);
}

export default function ThreadPage() {
  const { project, thread, page, participation, signedIn, may } = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  const { t } = useTranslation();
  const f = useFormat();
  const base = threadPath(project.slug, { id: thread.id, proposalId: null });
  const stateReply = reply?.values?.mode === "state" ? reply : null;
  return (
    <div className="thread-page">
      <p className="back-link">
        <Link to={projectPath(project.slug, "threads")}>← {project.title}</Link>
      </p>
      <article className="thread-starter" aria-labelledby="thread-title">
        <h1 id="thread-title">{thread.title}</h1>
        <p className="item__meta">
          {thread.pinned ? <span className="badge badge--pinned">{t("discussion.pinned")}</span> : null}
          {thread.locked ? <span className="badge badge--locked">{t("discussion.lockedBadge")}</span> : null}
          <span>
            {t("discussion.startedBy")} <AuthorName name={thread.authorName} official={thread.official} />
          </span>
          <time dateTime={new Date(thread.createdAt).toISOString()}>{f.dateTime(thread.createdAt)}</time>
        </p>
        {thread.visibility === "pending" ? <p className="notice notice--warning">{t("moderationUi.threadPending")}</p> : null}
        {thread.visibility === "hidden" || thread.visibility === "rejected" ? <p className="notice notice--warning">{t("moderationUi.threadHidden")}</p> : null}
        {thread.bodyHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} /> : null}
        {thread.visibility === "published" && signedIn ? (
          <ModerationControls
            target={{ type: "thread", id: thread.id }}
            hrefWith={(params, hash) => `${base}?${new URLSearchParams(params).toString()}#${hash || "thread-title"}`}
            openFlag={page.flag?.type === "thread" && page.flag.id === thread.id}
            openHide={page.hide?.type === "thread" && page.hide.id === thread.id}
            canFlag={may.flag}
            canHide={may.hide}
            reply={reply}
            label={thread.title}
          />
        ) : null}
      </article>
      <ErrorSummary failure={stateReply && !stateReply.ok ? stateReply : null} layout="inline" />
      {may.lockAndPin ? (
        <div className="staff-tools" role="group" aria-label={t("discussion.staffTools")}>
          <Form method="post" className="inline-form" preventScrollReset>
            <button type="submit" name="intent" value={thread.locked ? "unlock" : "lock"} className="button--secondary">
              {thread.locked ? t("discussion.unlock") : t("discussion.lock")}
            </button>
          </Form>{" "}
          <Form method="post" className="inline-form" preventScrollReset>
            <button type="submit" name="intent" value={thread.pinned ? "unpin" : "pin"} className="button--secondary">
              {thread.pinned ? t("discussion.unpin") : t("discussion.pin")}
            </button>
          </Form>
          <StatusMessage>{stateReply?.ok ? t(`discussion.stateDone.${stateReply.intent}`) : null}</StatusMessage>
        </div>
      ) : null}
      <CommentSection basePath={base} data={page} state={participation} reply={reply} signedIn={signedIn} />
    </div>
  );
}
