import type { AppDb } from "~db/engine";
import type { Thread, User } from "~db/schema";
import { attemptAsync, formValues, idParam } from "~/http/domain-response.server";
import { redirect } from "@remix-run/node";
import { previewMarkdown } from "~/discussion/preview.server";
import { stripControlCharacters } from "~/content/plain-text";
import { deleteComment, editComment, listComments, pageOfComment, postComment } from "~/discussion/discussion.server";
import { handleModerationIntent, isModerationIntent, parseTargetParam } from "~/http/moderation-intents.server";
import { COMMENT_INTENTS, type CommentIntent } from "~/discussion/comment-intents";
import { commentPath, projectPath } from "~/content/links";
import { parseId } from "~/ids";
import { actsAs } from "~/accounts/authority.server";
import { canWrite } from "~/accounts/users.server";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { flaggedBy, mayFlag } from "~/moderation/flags.server";

/**
 * What this viewer may do to the contributions of a page, from the checks the domain makes
 * (flagContent, deleteComment, hideContent), so the page offers only what would be accepted: a
 * suspended account sees neither "Report" nor "Delete", a suspended moderator no "Hide". The
 * domain's refusal stays as the backstop. Per item, one's own content is not flagged and a
 * second flag is not offered (`flagged`).
 */
export function contributionPowers(viewer: User | null, now = new Date()) {
  return {
    flag: mayFlag(viewer, now),
    deleteOwn: viewer !== null && canWrite(viewer, now),
    hide: actsAs(viewer, MODERATOR_ROLES, now),
  };
}
export type ContributionPowers = ReturnType<typeof contributionPowers>;

/**
 * The page of a thread's comments a URL asks for: `?page=N`, or the page that holds `?comment=ID`
 * when no page is named, plus which comment is being replied to, edited or deleted
 * (`?replyTo=`, `?edit=`, `?delete=`), so all of it works without JavaScript.
 * Three to five queries whatever the size of the thread.
 */
export async function loadCommentPage(db: AppDb, url: URL, threadId: number, viewer: User | null, now = new Date()) {
  const target = parseId(url.searchParams.get("comment"));
  const named = parseId(url.searchParams.get("page"));
  const page = named ?? (target ? ((await pageOfComment(db, threadId, target, viewer)) ?? 1) : 1);
  const comments = await listComments(db, threadId, viewer, Math.min(page, 100_000));
  const may = contributionPowers(viewer, now);
  return {
    comments,
    may,
    /** The comments of this page the viewer has flagged already ("comment-12"). */
    flagged:
      viewer && may.flag
        ? await flaggedBy(
            db,
            viewer.id,
            comments.rows.map((c) => ({ type: "comment" as const, id: c.id })),
          )
        : [],
    target,
    replyTo: viewer ? parseId(url.searchParams.get("replyTo")) : null,
    edit: viewer ? parseId(url.searchParams.get("edit")) : null,
    delete: viewer ? parseId(url.searchParams.get("delete")) : null,
    /** `?flag=comment-12` opens the flag form of that item; `?hide=…` a moderator's hide form. */
    flag: viewer ? parseTargetParam(url.searchParams.get("flag")) : null,
    hide: viewer ? parseTargetParam(url.searchParams.get("hide")) : null,
    notice: url.searchParams.get("notice") === "editHeld" ? "moderationUi.editHeld" : null,
  };
}

export { COMMENT_INTENTS, type CommentIntent };

export function isCommentIntent(value: string): value is CommentIntent {
  return (COMMENT_INTENTS as readonly string[]).includes(value);
}

/** The fields of every comment form; `mode` names the form (comment, reply, edit, delete). */
export function commentFormValues(form: FormData) {
  // The request body is capped at 64 KB, so a body field is kept whole and comes back in the form.
  return { ...formValues(form, ["mode", "stance", "parentId", "commentId"], 100), ...formValues(form, ["body"], 65_536) };
}

/**
 * The comment intents shared by thread and proposal pages. Posting, editing and deleting redirect
 * to the comment's stable link, so reloading the page never posts twice.
 */
export async function handleCommentIntent(
  db: AppDb,
  user: User,
  projectSlug: string,
  thread: Pick<Thread, "id" | "proposalId">,
  intent: CommentIntent,
  form: FormData,
) {
  if (isModerationIntent(intent)) {
    // The page's own subject: a thread, or the proposal a proposal thread belongs to.
    const subject = thread.proposalId ? { type: "proposal" as const, id: thread.proposalId } : { type: "thread" as const, id: thread.id };
    return handleModerationIntent(db, user, intent, form, { ...subject, to: projectPath(projectSlug) });
  }
  const values = commentFormValues(form);
  switch (intent) {
    case "preview": {
      const result = await attemptAsync(() => previewMarkdown(db, user, values.body), values, intent);
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values, preview: result.value };
    }
    case "comment":
    case "reply": {
      const input = { body: values.body, stance: values.stance, parentId: intent === "reply" ? values.parentId || "0" : null };
      const result = await attemptAsync(() => postComment(db, user, thread.id, input), values, intent);
      if (!result.ok) return result.response;
      return redirect(commentPath(projectSlug, thread, result.value.id));
    }
    case "edit": {
      const commentId = idParam(values.commentId);
      const result = await attemptAsync(() => editComment(db, user, commentId, values.body), values, intent);
      if (!result.ok) return result.response;
      // A held edit leaves the published text in place: say so, or the author would think it was lost.
      const held = result.value.bodySource !== stripControlCharacters(values.body ?? "").trim();
      return redirect(commentPath(projectSlug, thread, commentId).replace("?", held ? "?notice=editHeld&" : "?"));
    }
    case "delete": {
      const commentId = idParam(values.commentId);
      const result = await attemptAsync(() => deleteComment(db, user, commentId), values, intent);
      if (!result.ok) return result.response;
      return redirect(commentPath(projectSlug, thread, commentId));
    }
  }
}
