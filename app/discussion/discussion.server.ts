import { and, asc, count, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { logAction } from "~/audit/log.server";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import { STANCES, type Comment, type Project, type Stance, type Thread, type User, type Visibility } from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { assertMayWrite, isEstablished } from "~/accounts/users.server";
import { assertActsAs } from "~/accounts/authority.server";
import { STAFF_ROLES } from "~/accounts/roles";
import { assertConsultationOpen, followProject, getProjectForWrite } from "~/projects/projects.server";
import { touchProject } from "~/content/counts.server";
import { notifyReply } from "~/notifications/notifications.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { assertMarkdownLength, cookMarkdown, cookMarkdownWithLinks, MARKDOWN_MAX } from "~/content/markdown.server";
import { stripControlCharacters } from "~/content/plain-text";
import { adjustCommentCounts, countContribution, touchThread } from "~/content/counts.server";
import { assertNotDuplicate, screenContribution } from "~/moderation/screening.server";
import { enqueueReview } from "~/moderation/review.server";
import { loadContent, setVisibility } from "~/moderation/visibility.server";
import { mayView, publishedSql, showsBody, viewOf, visibleSql, type ViewableContent } from "~/content/visibility.server";
import { parseId } from "~/ids";
import { paginate } from "~/paginate";

export { adjustCommentCounts };

export const THREAD_TITLE_MAX = 150;
export const BODY_MAX = MARKDOWN_MAX;
export const COMMENTS_PAGE_SIZE = 50;
export const THREADS_PAGE_SIZE = 20;
/** Shown nested three levels deep (depth 0, 1, 2); deeper replies are flattened under the third. */
export const MAX_DEPTH = 2;

export function validateBody(value: unknown, field = "body"): string {
  const body = typeof value === "string" ? stripControlCharacters(value).trim() : "";
  if (!body) throw new DomainError(400, "errors.required", {}, field);
  assertMarkdownLength(body, field);
  return body;
}

export function validateTitle(value: unknown, field = "title"): string {
  const title = typeof value === "string" ? stripControlCharacters(value).trim().replace(/\s+/g, " ") : "";
  if (!title) throw new DomainError(400, "errors.required", {}, field);
  if (title.length > THREAD_TITLE_MAX) throw new DomainError(400, "errors.tooLongMax", { max: THREAD_TITLE_MAX }, field);
  return title;
}

function parseStance(value: unknown): Stance | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string" && (STANCES as readonly string[]).includes(value)) return value as Stance;
  throw new DomainError(400, "discussion.stanceInvalid", {}, "stance");
}

/** Writing comments and threads: per-user limits, stricter for accounts that are not yet established. */
export async function assertPostingRate(db: AppDb, user: User, now: Date): Promise<void> {
  const established = isEstablished(user, await getSetting(db, "establishedAccountDays"), now);
  const rule = await getSetting(db, established ? "rateCommentsPerMinute" : "rateCommentsPerMinuteNewAccount");
  const result = await rateLimit(db, `post:user:${user.id}`, rule, now);
  if (!result.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: result.retryAfterSeconds });
}

/**
 * A thread's or proposal's text cooked for a write, once: the body's HTML, and the links in the
 * title and the body together for the screening's link limit. A title or body nested too deeply
 * is refused here (400 on its field), before anything is written.
 */
export function cookTitled(title: string, body: string) {
  const cooked = cookMarkdownWithLinks(body);
  return { html: cooked.html, links: cooked.links + cookMarkdownWithLinks(title, "title").links };
}

const pad = (id: number) => id.toString().padStart(10, "0");

/** Inserts a thread row with its counts (in the caller's transaction); shared by open threads and proposals' discussions. */
export async function insertThread(
  db: AppDb,
  input: {
    projectId: number;
    authorId: number;
    title: string;
    body: string;
    bodyHtml?: string;
    proposalId?: number | null;
    now: Date;
    visibility?: "published" | "pending";
  },
): Promise<Thread> {
  return withWriteTx(db, async (tx) => {
    const { projects, threads } = tables(tx);
    const [thread] = await tx
      .insert(threads)
      .values({
        projectId: input.projectId,
        authorId: input.authorId,
        title: input.title,
        bodySource: input.body,
        bodyHtml: input.bodyHtml ?? cookMarkdown(input.body),
        proposalId: input.proposalId ?? null,
        visibility: input.visibility ?? "published",
        lastActivityAt: input.now,
        createdAt: input.now,
      })
      .returning();
    if (!thread!.proposalId && thread!.visibility === "published") {
      await tx
        .update(projects)
        .set({ threadCount: sql`${projects.threadCount} + 1` })
        .where(eq(projects.id, input.projectId));
    }
    return thread!;
  });
}

/**
 * Opens a thread in a project whose consultation is open. Serializable on PostgreSQL: the posting
 * rate, the duplicate check and the screening read what no row lock covers (counts, absences).
 */
export async function openThread(db: AppDb, user: User, projectId: number, input: { title: unknown; body: unknown }, now = new Date()): Promise<Thread> {
  const title = validateTitle(input.title);
  const body = validateBody(input.body);
  assertMayWrite(user, now);
  const cooked = cookTitled(title, body);
  return withWriteTx(
    db,
    async (tx) => {
      const project = await getProjectForWrite(tx, projectId);
      assertConsultationOpen(project, now);
      await assertPostingRate(tx, user, now);
      await assertNotDuplicate(tx, user.id, body, now);
      const screening = await screenContribution(tx, user, `${title}\n\n${body}`, { links: cooked.links });
      const visibility = screening.verdict === "hold" ? "pending" : "published";
      const thread = await insertThread(tx, { projectId, authorId: user.id, title, body, bodyHtml: cooked.html, now, visibility });
      if (screening.verdict === "hold") await enqueueReview(tx, { type: "thread", id: thread.id, projectId, authorId: user.id }, screening.reasons, 0, now);
      else await countContribution(tx, user.id, 1);
      await touchProject(tx, projectId, now);
      await followProject(tx, user.id, projectId, { automatic: true });
      return thread;
    },
    { serializable: true },
  );
}

/**
 * A thread as `viewer` may see it (app/content/visibility.server.ts), or null: a proposal's
 * discussion only where its proposal may be seen, nothing of a draft project but for its planners.
 */
export async function getThread(db: AppDb, projectId: number, threadId: number, viewer: User | null = null) {
  const { projects, proposals, threads, users } = tables(db);
  const [row] = await db
    .select({
      thread: threads,
      authorName: users.displayName,
      authorRole: users.role,
      authorDeleted: users.deletedAt,
      projectPhase: projects.phase,
      proposal: { visibility: proposals.visibility, authorId: proposals.authorId },
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .innerJoin(projects, eq(projects.id, threads.projectId))
    .leftJoin(proposals, eq(proposals.id, threads.proposalId))
    .where(and(eq(threads.id, threadId), eq(threads.projectId, projectId)))
    .limit(1);
  if (!row || !mayView(viewer, threadContent(row.thread, row.projectPhase, row.proposal))) return null;
  const { thread, authorName, authorRole, authorDeleted } = row;
  return { thread, authorName, authorRole, authorDeleted };
}

/** A thread as visibility sees it: in its project, inside its proposal when it is one's discussion. */
function threadContent(
  thread: Pick<Thread, "visibility" | "authorId" | "proposalId">,
  projectPhase: Project["phase"],
  proposal: { visibility: Visibility | null; authorId: number | null } | null,
): ViewableContent {
  const container: ViewableContent | null =
    thread.proposalId !== null ? { kind: "proposal", visibility: proposal?.visibility ?? "deleted", authorId: proposal?.authorId ?? 0 } : null;
  return { kind: "thread", visibility: thread.visibility, authorId: thread.authorId, projectPhase, container };
}

/** The thread around a thread's comments, as visibility sees it; null when there is no such thread. */
async function commentContainer(db: AppDb, threadId: number): Promise<ViewableContent | null> {
  const { projects, proposals, threads } = tables(db);
  const [row] = await db
    .select({
      thread: { visibility: threads.visibility, authorId: threads.authorId, proposalId: threads.proposalId },
      projectPhase: projects.phase,
      proposal: { visibility: proposals.visibility, authorId: proposals.authorId },
    })
    .from(threads)
    .innerJoin(projects, eq(projects.id, threads.projectId))
    .leftJoin(proposals, eq(proposals.id, threads.proposalId))
    .where(eq(threads.id, threadId))
    .limit(1);
  return row ? threadContent(row.thread, row.projectPhase, row.proposal) : null;
}

/** The columns visibility reads of a comment. */
const commentColumns = (db: AppDb) => {
  const { comments } = tables(db);
  return { kind: "comment", visibility: comments.visibility, authorId: comments.authorId } as const;
};

export async function listThreads(db: AppDb, projectId: number, page = 1) {
  const { threads, users } = tables(db);
  const where = and(
    eq(threads.projectId, projectId),
    publishedSql({ kind: "thread", visibility: threads.visibility, authorId: threads.authorId }),
    sql`${threads.proposalId} is null`,
  );
  const total = (await db.select({ n: count() }).from(threads).where(where).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, THREADS_PAGE_SIZE);
  const rows = await db
    .select({
      id: threads.id,
      title: threads.title,
      pinned: threads.pinned,
      locked: threads.locked,
      commentCount: threads.commentCount,
      lastActivityAt: threads.lastActivityAt,
      createdAt: threads.createdAt,
      authorName: users.displayName,
      authorRole: users.role,
      authorDeleted: users.deletedAt,
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .where(where)
    .orderBy(desc(threads.pinned), desc(threads.lastActivityAt), desc(threads.id))
    .limit(THREADS_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

/**
 * Posts a comment or a reply while the consultation is open. Serializable on PostgreSQL: the
 * posting rate, the duplicate check and the screening read what no row lock covers. The stored
 * counts (thread, project, parent, the author's contributions) move in the same transaction.
 */
export async function postComment(
  db: AppDb,
  user: User,
  threadId: number,
  input: { body: unknown; parentId?: unknown; stance?: unknown },
  now = new Date(),
): Promise<Comment> {
  const body = validateBody(input.body);
  const stance = parseStance(input.stance);
  const hasParent = input.parentId !== undefined && input.parentId !== null && input.parentId !== "";
  const parentId = hasParent ? parseId(input.parentId) : null;
  if (hasParent && parentId === null) throw new DomainError(400, "discussion.parentInvalid");
  assertMayWrite(user, now);
  const cooked = cookMarkdownWithLinks(body);
  return withWriteTx(
    db,
    async (tx) => {
      const { comments, proposals, threads } = tables(tx);
      const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).limit(1);
      if (!thread || thread.visibility !== "published") throw notFound();
      // A proposal's discussion takes comments only while the proposal itself is public (not held, hidden or rejected).
      if (
        thread.proposalId &&
        (await tx.select({ visibility: proposals.visibility }).from(proposals).where(eq(proposals.id, thread.proposalId)).limit(1))[0]?.visibility !==
          "published"
      ) {
        throw notFound();
      }
      const project = await getProjectForWrite(tx, thread.projectId);
      if (thread.locked) throw new DomainError(403, "discussion.locked");
      assertConsultationOpen(project, now);
      let parent: Comment | undefined;
      if (parentId !== null) {
        [parent] = await tx.select().from(comments).where(eq(comments.id, parentId)).limit(1);
        // A reply must answer a comment of the same thread that is still there to read.
        if (!parent || parent.threadId !== threadId) throw new DomainError(400, "discussion.parentInvalid");
        if (parent.visibility !== "published") throw new DomainError(400, "discussion.parentGone");
      }
      await assertPostingRate(tx, user, now);
      await assertNotDuplicate(tx, user.id, body, now);
      const screening = await screenContribution(tx, user, body, { links: cooked.links });
      const held = screening.verdict === "hold";
      const depth = parent ? Math.min(parent.depth + 1, MAX_DEPTH) : 0;
      const [inserted] = await tx
        .insert(comments)
        .values({
          threadId,
          projectId: thread.projectId,
          authorId: user.id,
          parentId,
          depth,
          stance,
          bodySource: body,
          bodyHtml: cooked.html,
          visibility: held ? "pending" : "published",
          sortKey: "",
          createdAt: now,
        })
        .returning();
      // Past the third level a reply sorts under its depth-2 ancestor, after that ancestor's earlier replies.
      const prefix = parent
        ? parent.depth < MAX_DEPTH
          ? parent.sortKey
          : parent.sortKey
              .split(".")
              .slice(0, MAX_DEPTH + 1)
              .join(".")
        : "";
      const sortKey = prefix ? `${prefix}.${pad(inserted!.id)}` : pad(inserted!.id);
      await tx.update(comments).set({ sortKey }).where(eq(comments.id, inserted!.id));
      await followProject(tx, user.id, thread.projectId, { automatic: true });
      if (held) {
        // Held content counts nowhere until a moderator approves it.
        await enqueueReview(tx, { type: "comment", id: inserted!.id, projectId: thread.projectId, authorId: user.id }, screening.reasons, 0, now);
        return { ...inserted!, sortKey };
      }
      await adjustCommentCounts(tx, { threadId, projectId: thread.projectId, parentId }, 1);
      await touchThread(tx, threadId, now);
      await countContribution(tx, user.id, 1);
      await touchProject(tx, thread.projectId, now);
      if (parent) await notifyReply(tx, parent.authorId, user, project.slug, thread, inserted!.id);
      return { ...inserted!, sortKey };
    },
    { serializable: true },
  );
}

/** One's own comment, still there, locked for the edit or delete that follows (in its transaction). */
async function ownComment(db: AppDb, user: User, commentId: number) {
  const { comments } = tables(db);
  const [comment] = await forUpdate(db.select().from(comments).where(eq(comments.id, commentId)).limit(1), "no key update");
  if (!comment || comment.visibility === "deleted" || comment.visibility === "rejected") throw notFound();
  if (comment.authorId !== user.id) throw forbidden("discussion.notYours");
  return comment;
}

/**
 * Edits one's own comment; the earlier text is kept as a revision that moderators can read.
 * Edits are rate-limited per author (rateEditsPerHour), and a comment takes at most
 * commentRevisionsMax revisions: each edit stores one, and each is cooked and screened again.
 * Serializable on PostgreSQL: the revision count and the rate limit are counts no row lock covers.
 */
export async function editComment(db: AppDb, user: User, commentId: number, bodyInput: unknown, now = new Date()): Promise<Comment> {
  const body = validateBody(bodyInput);
  assertMayWrite(user, now);
  const cooked = cookMarkdownWithLinks(body);
  return withWriteTx(
    db,
    async (tx) => {
      const { commentRevisions, comments, threads } = tables(tx);
      const comment = await ownComment(tx, user, commentId);
      const [thread] = await tx.select().from(threads).where(eq(threads.id, comment.threadId)).limit(1);
      if (thread!.locked) throw new DomainError(403, "discussion.locked");
      assertConsultationOpen(await getProjectForWrite(tx, comment.projectId), now);
      if (body === comment.bodySource) return comment;
      const maxRevisions = await getSetting(tx, "commentRevisionsMax");
      const revisions = (await tx.select({ n: count() }).from(commentRevisions).where(eq(commentRevisions.commentId, commentId)).limit(1))[0]?.n ?? 0;
      if (revisions >= maxRevisions) throw new DomainError(403, "discussion.revisionLimit", { max: maxRevisions }, "body");
      const limited = await rateLimit(tx, `edit:user:${user.id}`, await getSetting(tx, "rateEditsPerHour"), now);
      if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
      const screening = await screenContribution(tx, user, body, { isEdit: true, links: cooked.links });
      if (screening.verdict === "hold") {
        // A held edit is a pending revision: the published text stays live until it is approved.
        // A newer held edit replaces an older one still waiting, so only one can ever be applied.
        await tx
          .update(commentRevisions)
          .set({ visibility: "deleted" })
          .where(and(eq(commentRevisions.commentId, commentId), eq(commentRevisions.visibility, "pending")));
        await tx
          .insert(commentRevisions)
          .values({ commentId, editorId: user.id, bodySource: body, bodyHtml: cooked.html, visibility: "pending", createdAt: now });
        await enqueueReview(tx, { type: "comment", id: commentId, projectId: comment.projectId, authorId: user.id }, ["edit", ...screening.reasons], 0, now);
        return comment;
      }
      await tx.insert(commentRevisions).values({
        commentId,
        editorId: user.id,
        bodySource: comment.bodySource,
        bodyHtml: comment.bodyHtml,
        visibility: comment.visibility,
        createdAt: comment.editedAt ?? comment.createdAt,
      });
      const [updated] = await tx.update(comments).set({ bodySource: body, bodyHtml: cooked.html, editedAt: now }).where(eq(comments.id, commentId)).returning();
      return updated!;
    },
    { serializable: true },
  );
}

/** The author's delete is soft: replies stay, the body reads "deleted by its author". */
export async function deleteComment(db: AppDb, user: User, commentId: number, now = new Date()): Promise<void> {
  assertMayWrite(user, now);
  await withWriteTx(db, async (tx) => {
    const { comments } = tables(tx);
    await ownComment(tx, user, commentId);
    await setVisibility(tx, (await loadContent(tx, "comment", commentId, { lock: true }))!, "deleted");
    await tx.update(comments).set({ editedAt: now }).where(eq(comments.id, commentId));
  });
}

export interface CommentView {
  id: number;
  parentId: number | null;
  depth: number;
  stance: Stance | null;
  bodyHtml: string | null;
  bodySource: string | null;
  visibility: Comment["visibility"];
  editedAt: Date | null;
  createdAt: Date;
  replyCount: number;
  authorId: number;
  authorName: string | null;
  official: boolean;
  own: boolean;
  revisionCount: number;
}

/**
 * One page of a thread's comments in display order, as `viewer` may see them
 * (app/content/visibility.server.ts): published comments and the places of deleted ones (so
 * replies keep their context) for everyone; held, hidden and rejected ones for their author and
 * moderators; nothing of a thread the viewer may not open. Four queries whatever the size of the thread.
 */
export async function listComments(db: AppDb, threadId: number, viewer: User | null, page = 1) {
  const { commentRevisions, comments, users } = tables(db);
  const container = await commentContainer(db, threadId);
  if (!container || viewOf(viewer, container) !== "full") return { rows: [] as CommentView[], total: 0, page: 1, pageCount: 1 };
  const where = and(eq(comments.threadId, threadId), visibleSql(viewer, commentColumns(db)));
  const total = (await db.select({ n: count() }).from(comments).where(where).limit(1))[0]?.n ?? 0;
  const { page: current, pageCount, offset } = paginate(total, page, COMMENTS_PAGE_SIZE, { clamp: true });
  const rows = await db
    .select({ comment: comments, authorName: users.displayName, authorRole: users.role, authorDeleted: users.deletedAt })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(where)
    .orderBy(asc(comments.sortKey))
    .limit(COMMENTS_PAGE_SIZE)
    .offset(offset);
  const edited = rows.filter((r) => r.comment.editedAt && showsBody("comment", r.comment.visibility)).map((r) => r.comment.id);
  const revisionCounts = new Map(
    edited.length
      ? (
          await db
            .select({ id: commentRevisions.commentId, n: count() })
            .from(commentRevisions)
            .where(inArray(commentRevisions.commentId, edited))
            .groupBy(commentRevisions.commentId)
        ).map((r) => [r.id, r.n])
      : [],
  );
  const views: CommentView[] = rows.map(({ comment: c, authorName, authorRole, authorDeleted }) => {
    const deleted = !showsBody("comment", c.visibility);
    return {
      id: c.id,
      parentId: c.parentId,
      depth: c.depth,
      stance: deleted ? null : c.stance,
      bodyHtml: deleted ? null : c.bodyHtml,
      bodySource: viewer?.id === c.authorId && !deleted ? c.bodySource : null,
      visibility: c.visibility,
      editedAt: c.editedAt,
      createdAt: c.createdAt,
      replyCount: c.replyCount,
      authorId: c.authorId,
      authorName: deleted || authorDeleted ? null : authorName,
      official: !deleted && !authorDeleted && STAFF_ROLES.includes(authorRole),
      own: viewer?.id === c.authorId,
      revisionCount: revisionCounts.get(c.id) ?? 0,
    };
  });
  return { rows: views, total, page: current, pageCount };
}

/** The page of the thread on which a comment appears, for stable links to it; null when the viewer may not see it there. */
export async function pageOfComment(db: AppDb, threadId: number, commentId: number, viewer: User | null): Promise<number | null> {
  const { comments } = tables(db);
  const [target] = await db
    .select({ sortKey: comments.sortKey, threadId: comments.threadId, visibility: comments.visibility, authorId: comments.authorId })
    .from(comments)
    .where(eq(comments.id, commentId))
    .limit(1);
  if (!target || target.threadId !== threadId) return null;
  if (!mayView(viewer, { kind: "comment", visibility: target.visibility, authorId: target.authorId, container: await commentContainer(db, threadId) }))
    return null;
  const before =
    (
      await db
        .select({ n: count() })
        .from(comments)
        .where(and(eq(comments.threadId, threadId), visibleSql(viewer, commentColumns(db)), lt(comments.sortKey, target.sortKey)))
        .limit(1)
    )[0]?.n ?? 0;
  return Math.floor(before / COMMENTS_PAGE_SIZE) + 1;
}

/** Staff lock or pin a thread; logged. The thread's row is locked while its state is compared and written. */
export async function setThreadState(
  db: AppDb,
  actor: User,
  threadId: number,
  state: { locked?: boolean; pinned?: boolean },
  now = new Date(),
): Promise<Thread> {
  assertActsAs(actor, STAFF_ROLES, now);
  return withWriteTx(db, async (tx) => {
    const { threads } = tables(tx);
    const [thread] = await forUpdate(tx.select().from(threads).where(eq(threads.id, threadId)).limit(1), "no key update");
    if (!thread) throw notFound();
    const set: Partial<Thread> = {};
    if (state.locked !== undefined && state.locked !== thread.locked) set.locked = state.locked;
    if (state.pinned !== undefined && state.pinned !== thread.pinned) set.pinned = state.pinned;
    if (!Object.keys(set).length) return thread;
    const [updated] = await tx.update(threads).set(set).where(eq(threads.id, threadId)).returning();
    for (const [key, value] of Object.entries(set)) {
      const action = key === "locked" ? (value ? "thread_lock" : "thread_unlock") : value ? "thread_pin" : "thread_unpin";
      await logAction(tx, actor, action, { type: "thread", id: threadId }, null, { projectId: thread.projectId });
    }
    return updated!;
  });
}
