import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { ReviewItem, ReviewReason, SuspensionDuration, TargetType, User } from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { assertActsAs } from "~/accounts/authority.server";
import { cookMarkdown } from "~/content/markdown.server";
import { notifyReply } from "~/notifications/notifications.server";
import { notify } from "~/notifications/notifications.server";
import { loadContent, setVisibility, type ModeratedContent } from "./visibility.server";
import { reasonsIncludeAny } from "./reasons-sql.server";
import { logAction } from "~/audit/log.server";
import { suspendUser } from "./suspensions.server";
import { DEFAULT_CITY_TIMEZONE } from "~/i18n/format";
import { commentPath, proposalPath, threadPath } from "~/content/links";
import { showsBody } from "~/content/visibility.server";
import { paginate } from "~/paginate";

export const QUEUE_PAGE_SIZE = 25;
export const REASON_MAX = 1000;

/** Base score a reason adds when it puts an item in the queue; flags add their own weight. */
const REASON_SCORE: Record<ReviewReason, number> = {
  new_author: 1,
  blocked_word: 2,
  too_many_links: 1,
  edit: 1,
  flagged: 0,
  appeal: 2,
  moderator_hide: 0,
};

export function assertModerator(actor: User, now = new Date()) {
  assertActsAs(actor, MODERATOR_ROLES, now);
}

/**
 * Puts content in the queue, or adds reasons and score to its open item: one open item per
 * piece of content, whatever brings it there. Bumps the item's version so a decision taken on
 * an older view is refused. The open item is read locked (FOR UPDATE on PostgreSQL), so two
 * transactions adding to it at once both count; the partial unique index keeps one open item.
 * Runs in the caller's transaction when handed one.
 */
export async function enqueueReview(
  db: AppDb,
  content: Pick<ModeratedContent, "type" | "id" | "projectId" | "authorId">,
  reasons: ReviewReason[],
  extraScore = 0,
  now = new Date(),
  appealText: string | null = null,
): Promise<ReviewItem> {
  const score = reasons.reduce((s, r) => s + REASON_SCORE[r], 0) + extraScore;
  return withWriteTx(db, async (tx) => {
    const { reviewItems } = tables(tx);
    const [open] = await forUpdate(
      tx
        .select()
        .from(reviewItems)
        .where(and(eq(reviewItems.targetType, content.type), eq(reviewItems.targetId, content.id), eq(reviewItems.status, "open")))
        .limit(1),
    );
    if (open) {
      const merged = [...new Set([...open.reasons, ...reasons])];
      const [updated] = await tx
        .update(reviewItems)
        .set({ reasons: merged, score: open.score + score, version: open.version + 1, ...(appealText ? { appealText, appealedAt: now } : {}) })
        .where(eq(reviewItems.id, open.id))
        .returning();
      return updated!;
    }
    const [inserted] = await tx
      .insert(reviewItems)
      .values({
        targetType: content.type,
        targetId: content.id,
        projectId: content.projectId,
        authorId: content.authorId,
        reasons,
        score,
        createdAt: now,
        ...(appealText ? { appealText, appealedAt: now } : {}),
      })
      .returning();
    return inserted!;
  });
}

/** Title for notifications and the queue: the thread's or proposal's title. */
export async function contentTitle(db: AppDb, content: ModeratedContent): Promise<string> {
  if (content.title) return content.title;
  if (content.threadId) {
    const { threads } = tables(db);
    const [thread] = await db.select({ title: threads.title }).from(threads).where(eq(threads.id, content.threadId)).limit(1);
    return thread?.title ?? "";
  }
  return "";
}

export async function contentLink(db: AppDb, content: ModeratedContent): Promise<string> {
  const { projects, threads } = tables(db);
  const [project] = await db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, content.projectId)).limit(1);
  const slug = project?.slug ?? "";
  if (content.type === "proposal") return proposalPath(slug, content.id);
  if (content.type === "thread") return threadPath(slug, { id: content.id, proposalId: content.proposalId });
  const [thread] = await db.select({ id: threads.id, proposalId: threads.proposalId }).from(threads).where(eq(threads.id, content.threadId!)).limit(1);
  return commentPath(slug, { id: content.threadId!, proposalId: thread?.proposalId ?? null }, content.id);
}

export type Decision = "approve" | "reject";

export interface DecideInput {
  decision: Decision;
  /** The item version the moderator saw; a decision on an older view is refused. */
  version: number;
  reason?: string | null;
  suspend?: SuspensionDuration | null;
}

/** Applies a held edit (a pending revision) to the comment, keeping the live text as a revision. In the caller's transaction. */
async function applyPendingRevision(tx: AppDb, commentId: number, now: Date, approve: boolean): Promise<boolean> {
  const { commentRevisions, comments } = tables(tx);
  const [pending] = await tx
    .select()
    .from(commentRevisions)
    .where(and(eq(commentRevisions.commentId, commentId), eq(commentRevisions.visibility, "pending")))
    .orderBy(desc(commentRevisions.id))
    .limit(1);
  if (!pending) return false;
  if (!approve) {
    await tx.update(commentRevisions).set({ visibility: "rejected" }).where(eq(commentRevisions.id, pending.id));
    return true;
  }
  const [live] = await tx.select().from(comments).where(eq(comments.id, commentId)).limit(1);
  await tx
    .update(commentRevisions)
    .set({ bodySource: live!.bodySource, bodyHtml: live!.bodyHtml, visibility: "published", createdAt: live!.editedAt ?? live!.createdAt })
    .where(eq(commentRevisions.id, pending.id));
  await tx
    .update(comments)
    .set({ bodySource: pending.bodySource, bodyHtml: cookMarkdown(pending.bodySource), editedAt: now })
    .where(eq(comments.id, commentId));
  return true;
}

/**
 * Why `moderator` may not decide an item, or null when they may: the one rule behind
 * decideReviewItem and the queue page, which shows the decision form only to whom it would accept.
 * Suspended moderators act on nothing; nobody decides about their own contribution (four eyes);
 * an appeal is decided by someone other than the moderator whose rejection it contests.
 */
export function decisionRefusal(
  moderator: User,
  item: Pick<ReviewItem, "status" | "reasons">,
  authorId: number | null,
  rejectedBy: number | null,
  now = new Date(),
): DomainError | null {
  try {
    assertModerator(moderator, now);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  if (item.reasons.includes("appeal") && rejectedBy === moderator.id) return new DomainError(403, "moderation.appealNeedsOtherModerator");
  if (authorId === moderator.id) return new DomainError(403, "moderation.ownContentNeedsOtherModerator");
  return null;
}

/** The moderators whose rejections the appeals among `items` contest, by item id: one query. */
export async function rejectingModerators(
  db: AppDb,
  items: Pick<ReviewItem, "id" | "targetType" | "targetId" | "reasons">[],
): Promise<Map<number, number | null>> {
  const appeals = items.filter((i) => i.reasons.includes("appeal"));
  const out = new Map<number, number | null>();
  if (!appeals.length) return out;
  const { reviewItems } = tables(db);
  const rows = await db
    .select({ targetType: reviewItems.targetType, targetId: reviewItems.targetId, decidedBy: reviewItems.decidedBy, decidedAt: reviewItems.decidedAt })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.status, "rejected"),
        sql`(${reviewItems.targetType}, ${reviewItems.targetId}) in (${sql.join(
          appeals.map((a) => sql`(${a.targetType}, ${a.targetId})`),
          sql`, `,
        )})`,
      ),
    );
  for (const a of appeals) {
    const latest = rows
      .filter((r) => r.targetType === a.targetType && r.targetId === a.targetId)
      .sort((x, y) => (y.decidedAt?.getTime() ?? 0) - (x.decidedAt?.getTime() ?? 0))[0];
    out.set(a.id, latest?.decidedBy ?? null);
  }
  return out;
}

/** The moderator whose rejection an appeal contests, so someone else decides the appeal. */
async function rejectingModerator(db: AppDb, type: TargetType, id: number): Promise<number | null> {
  const { reviewItems } = tables(db);
  const [row] = await db
    .select({ decidedBy: reviewItems.decidedBy })
    .from(reviewItems)
    .where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id), eq(reviewItems.status, "rejected")))
    .orderBy(desc(reviewItems.decidedAt))
    .limit(1);
  return row?.decidedBy ?? null;
}

/**
 * Approve (publish or restore; flags not upheld) or reject (hide with a reason the author sees;
 * flags upheld), optionally suspending the author. One transaction: the item, the content, the
 * counts, the flags, the log and the author's notification change together or not at all.
 *
 * One decision per item, on both engines: the content's row and then the item's are locked
 * (FOR UPDATE on PostgreSQL, in the order every moderation write takes them; SQLite's one writer
 * holds the whole database) before the status and version checks, so a concurrent decision waits
 * and then reads "already decided".
 */
export async function decideReviewItem(
  db: AppDb,
  moderator: User,
  itemId: number,
  input: DecideInput,
  now = new Date(),
  timeZone = DEFAULT_CITY_TIMEZONE,
): Promise<{ item: ReviewItem; content: ModeratedContent }> {
  assertModerator(moderator, now);
  const reason = input.reason?.trim() ?? "";
  if (input.decision !== "approve" && input.decision !== "reject") throw new DomainError(400, "moderation.decisionInvalid");
  if (input.decision === "reject" && !reason) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  if (reason.length > REASON_MAX) throw new DomainError(400, "errors.tooLongMax", { max: REASON_MAX }, "reason");
  return withWriteTx(db, async (tx) => {
    const { comments, flags, projects, reviewItems, threads, users } = tables(tx);
    // What the item is about never changes: read it to learn which content to lock first.
    const [target] = await tx
      .select({ targetType: reviewItems.targetType, targetId: reviewItems.targetId })
      .from(reviewItems)
      .where(eq(reviewItems.id, itemId))
      .limit(1);
    if (!target) throw notFound();
    const content = await loadContent(tx, target.targetType, target.targetId, { lock: true });
    const [item] = await forUpdate(tx.select().from(reviewItems).where(eq(reviewItems.id, itemId)).limit(1));
    if (!item) throw notFound();
    if (item.status !== "open") {
      const [by] = item.decidedBy ? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, item.decidedBy)).limit(1) : [];
      throw new DomainError(409, "moderation.alreadyDecided", { name: by?.name ?? "?" });
    }
    if (item.version !== input.version) throw new DomainError(409, "moderation.changedSinceLoaded");
    const isAppeal = item.reasons.includes("appeal");
    if (!content) throw notFound();
    const refusal = decisionRefusal(moderator, item, content.authorId, isAppeal ? await rejectingModerator(tx, item.targetType, item.targetId) : null, now);
    if (refusal) throw refusal;
    const approve = input.decision === "approve";
    // Rejecting a held edit rejects only the edit, unless the live text itself is contested (flags,
    // a moderator's hide): then the content is rejected too.
    const editOnly =
      item.reasons.includes("edit") && content.visibility === "published" && !item.reasons.some((r) => r === "flagged" || r === "moderator_hide");
    if (content.type === "comment" && item.reasons.includes("edit")) await applyPendingRevision(tx, content.id, now, approve);
    if (approve) {
      const wasPending = content.visibility === "pending";
      if (content.visibility !== "published" && content.visibility !== "deleted") await setVisibility(tx, content, "published");
      // A held reply reaches the parent's author only once it is public.
      if (wasPending && content.type === "comment" && content.parentId) {
        const [parent] = await tx.select({ authorId: comments.authorId }).from(comments).where(eq(comments.id, content.parentId)).limit(1);
        const [author] = await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, content.authorId)).limit(1);
        const [thread] = await tx.select().from(threads).where(eq(threads.id, content.threadId!)).limit(1);
        const [project] = await tx.select({ slug: projects.slug }).from(projects).where(eq(projects.id, content.projectId)).limit(1);
        if (parent && author && thread && project) await notifyReply(tx, parent.authorId, author, project.slug, thread, content.id);
      }
    } else if (!editOnly && content.visibility !== "deleted") {
      await setVisibility(tx, content, "rejected");
    }
    await tx
      .update(flags)
      .set({ status: approve ? "dismissed" : "upheld" })
      .where(and(eq(flags.targetType, content.type), eq(flags.targetId, content.id), eq(flags.status, "open")));
    await tx
      .update(reviewItems)
      .set({ status: approve ? "approved" : "rejected", decidedBy: moderator.id, decidedAt: now, decisionReason: reason || null, version: item.version + 1 })
      .where(and(eq(reviewItems.id, itemId), eq(reviewItems.version, item.version)));
    const action = isAppeal ? (approve ? "appeal_overturn" : "appeal_uphold") : approve ? "review_approve" : "review_reject";
    await logAction(tx, moderator, action, { type: content.type, id: content.id }, reason || null, { reviewItemId: item.id, reasons: item.reasons }, now);
    const title = await contentTitle(tx, content);
    const link = await contentLink(tx, content);
    if (content.authorId !== moderator.id) {
      if (isAppeal)
        await notify(
          tx,
          [content.authorId],
          "appeal_decided",
          approve ? link : "/account/decisions",
          { title, outcome: approve ? "overturned" : "upheld", reason },
          content.projectId,
        );
      // A rejected author reads the reason and may appeal on their decisions page.
      else
        await notify(
          tx,
          [content.authorId],
          approve ? "content_approved" : "content_rejected",
          approve ? link : "/account/decisions",
          { title, reason },
          content.projectId,
        );
    }
    if (!approve && input.suspend) await suspendUser(tx, moderator, content.authorId, input.suspend, reason, now, timeZone);
    return { item: { ...item, status: approve ? ("approved" as const) : ("rejected" as const) }, content };
  });
}

/** Decides several items, one after the other; each succeeds or fails on its own, and every outcome is reported. */
export async function decideInBulk(
  db: AppDb,
  moderator: User,
  items: { id: number; version: number }[],
  decision: Decision,
  reason: string | null,
  now = new Date(),
) {
  assertModerator(moderator, now);
  const outcomes = [];
  for (const { id, version } of items) {
    try {
      await decideReviewItem(db, moderator, id, { decision, version, reason }, now);
      outcomes.push({ id, ok: true as const });
    } catch (error) {
      if (error instanceof DomainError) outcomes.push({ id, ok: false as const, key: error.key, params: error.params, status: error.status });
      else throw error;
    }
  }
  return outcomes;
}

/**
 * A moderator hides published content directly from where it appears: the same path as a
 * queue decision, so it is logged and the author is told why.
 */
export async function hideContent(db: AppDb, moderator: User, type: TargetType, id: number, reason: string, now = new Date()) {
  assertModerator(moderator, now);
  if (!reason.trim()) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  return withWriteTx(db, async (tx) => {
    const content = await loadContent(tx, type, id, { lock: true });
    if (!content || content.visibility === "deleted") throw notFound();
    if (content.visibility !== "published") throw new DomainError(409, "moderation.notPublished");
    const item = await enqueueReview(tx, content, ["moderator_hide"], 0, now);
    return decideReviewItem(tx, moderator, item.id, { decision: "reject", version: item.version, reason }, now);
  });
}

export const APPEAL_MAX = 1000;

/**
 * The author of rejected content may appeal once; the appeal enters the queue. The content's row
 * is locked (FOR UPDATE on PostgreSQL) before the check for an earlier appeal, so two appeals at
 * once make one; the partial unique index keeps one open review item besides.
 */
export async function appealDecision(db: AppDb, author: User, type: TargetType, id: number, textInput: unknown, now = new Date()): Promise<ReviewItem> {
  const text = typeof textInput === "string" ? textInput.trim() : "";
  if (!text) throw new DomainError(400, "errors.required", {}, "appeal");
  if (text.length > APPEAL_MAX) throw new DomainError(400, "errors.tooLongMax", { max: APPEAL_MAX }, "appeal");
  return withWriteTx(db, async (tx) => {
    const { reviewItems } = tables(tx);
    const content = await loadContent(tx, type, id, { lock: true });
    if (!content) throw notFound();
    if (content.authorId !== author.id) throw forbidden();
    if (content.visibility !== "rejected") throw new DomainError(409, "moderation.notRejected");
    const [earlier] = await tx
      .select({ n: count() })
      .from(reviewItems)
      .where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id), sql`${reviewItems.appealText} is not null`));
    if ((earlier?.n ?? 0) > 0) throw new DomainError(409, "moderation.alreadyAppealed");
    const item = await enqueueReview(tx, content, ["appeal"], 0, now, text);
    await logAction(tx, author, "appeal", { type, id }, null, { reviewItemId: item.id }, now);
    return item;
  });
}

/** What the queue is narrowed to (read from the page's URL by app/http/queue-filters.server.ts). */
export interface QueueFilters {
  status?: "open" | "approved" | "rejected";
  reason?: ReviewReason | null;
  projectId?: number | null;
  type?: TargetType | null;
}

/**
 * A page of the queue with everything a moderator needs to decide each item: the content, its
 * context (project, thread, parent comment), flags with notes, revisions and the author's
 * history. A fixed number of queries per page, whatever its length.
 */
export async function listQueue(db: AppDb, filters: QueueFilters, page = 1) {
  const { commentRevisions, comments, flags, projects, proposals, reviewItems, threads, users } = tables(db);
  const conditions: SQL[] = [eq(reviewItems.status, filters.status ?? "open")];
  if (filters.reason) conditions.push(reasonsIncludeAny(db, reviewItems.reasons, [filters.reason]));
  if (filters.type) conditions.push(eq(reviewItems.targetType, filters.type));
  if (filters.projectId) conditions.push(eq(reviewItems.projectId, filters.projectId));
  const where = and(...conditions);
  const [counted] = await db.select({ n: count() }).from(reviewItems).where(where);
  const total = counted?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, QUEUE_PAGE_SIZE);
  const order =
    filters.status === "open" || !filters.status
      ? [desc(reviewItems.score), asc(reviewItems.createdAt), asc(reviewItems.id)]
      : [desc(reviewItems.decidedAt), desc(reviewItems.id)];
  const items = await db
    .select({ item: reviewItems, projectTitle: projects.title, projectSlug: projects.slug })
    .from(reviewItems)
    .leftJoin(projects, eq(projects.id, reviewItems.projectId))
    .where(where)
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE)
    .offset(offset);
  const ids = (type: TargetType) => items.filter((i) => i.item.targetType === type).map((i) => i.item.targetId);
  const commentIds = ids("comment");
  const threadIds = ids("thread");
  const proposalIds = ids("proposal");
  const commentRows = commentIds.length ? await db.select().from(comments).where(inArray(comments.id, commentIds)) : [];
  const parentIds = commentRows.map((c) => c.parentId).filter((x): x is number => x !== null);
  const parents = parentIds.length
    ? await db
        .select({ id: comments.id, bodyHtml: comments.bodyHtml, visibility: comments.visibility, authorName: users.displayName })
        .from(comments)
        .innerJoin(users, eq(users.id, comments.authorId))
        .where(inArray(comments.id, parentIds))
    : [];
  const contextThreadIds = [...new Set([...threadIds, ...commentRows.map((c) => c.threadId)])];
  const threadRows = contextThreadIds.length ? await db.select().from(threads).where(inArray(threads.id, contextThreadIds)) : [];
  const proposalRows = proposalIds.length ? await db.select().from(proposals).where(inArray(proposals.id, proposalIds)) : [];
  const flagRows = items.length
    ? await db
        .select({
          targetType: flags.targetType,
          targetId: flags.targetId,
          reason: flags.reason,
          note: flags.note,
          weight: flags.weight,
          status: flags.status,
          createdAt: flags.createdAt,
          flaggerName: users.displayName,
        })
        .from(flags)
        .innerJoin(users, eq(users.id, flags.userId))
        .where(
          sql`(${flags.targetType}, ${flags.targetId}) in (${sql.join(
            items.map((i) => sql`(${i.item.targetType}, ${i.item.targetId})`),
            sql`, `,
          )})`,
        )
        .orderBy(asc(flags.createdAt))
    : [];
  const revisionRows = commentIds.length
    ? await db.select().from(commentRevisions).where(inArray(commentRevisions.commentId, commentIds)).orderBy(asc(commentRevisions.createdAt))
    : [];
  const authorIds = [...new Set(items.map((i) => i.item.authorId).filter((x): x is number => x !== null))];
  const authors = authorIds.length
    ? await db
        .select({
          id: users.id,
          displayName: users.displayName,
          role: users.role,
          createdAt: users.createdAt,
          contributionCount: users.contributionCount,
          suspendedUntil: users.suspendedUntil,
          emailVerifiedAt: users.emailVerifiedAt,
          deletedAt: users.deletedAt,
        })
        .from(users)
        .where(inArray(users.id, authorIds))
    : [];
  const history = authorIds.length
    ? await db
        .select({ authorId: reviewItems.authorId, status: reviewItems.status, n: count() })
        .from(reviewItems)
        .where(and(inArray(reviewItems.authorId, authorIds), sql`${reviewItems.status} <> 'open'`))
        .groupBy(reviewItems.authorId, reviewItems.status)
    : [];
  const rows = items.map(({ item, projectTitle, projectSlug }) => {
    const comment = item.targetType === "comment" ? commentRows.find((c) => c.id === item.targetId) : undefined;
    const thread =
      item.targetType === "thread" ? threadRows.find((t) => t.id === item.targetId) : comment ? threadRows.find((t) => t.id === comment.threadId) : undefined;
    const proposal = item.targetType === "proposal" ? proposalRows.find((p) => p.id === item.targetId) : undefined;
    const author = authors.find((a) => a.id === item.authorId) ?? null;
    const content = comment ?? thread ?? proposal;
    return {
      item,
      projectTitle,
      projectSlug,
      content: content
        ? {
            title: item.targetType === "comment" ? null : (thread?.title ?? proposal?.title ?? null),
            // Moderators read every state but an author's deleted text (decision 011).
            bodyHtml: showsBody(item.targetType, content.visibility) ? content.bodyHtml : null,
            visibility: content.visibility,
            createdAt: content.createdAt,
          }
        : null,
      context: {
        threadId: thread?.id ?? null,
        threadTitle: thread?.title ?? null,
        proposalId: thread?.proposalId ?? null,
        parent: comment?.parentId ? (parents.find((p) => p.id === comment.parentId) ?? null) : null,
      },
      flags: flagRows.filter((f) => f.targetType === item.targetType && f.targetId === item.targetId),
      revisions: comment ? revisionRows.filter((r) => r.commentId === comment.id) : [],
      author: author
        ? {
            ...author,
            approved: history.find((h) => h.authorId === author.id && h.status === "approved")?.n ?? 0,
            rejected: history.find((h) => h.authorId === author.id && h.status === "rejected")?.n ?? 0,
          }
        : null,
    };
  });
  return { rows, total, page, pageCount };
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>["rows"][number];
