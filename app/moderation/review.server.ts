import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import {
  commentRevisions,
  comments,
  flags,
  projects,
  proposals,
  reviewItems,
  threads,
  users,
  type ReviewItem,
  type ReviewReason,
  type SuspensionDuration,
  type TargetType,
  type User,
} from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { assertActsAs } from "~/accounts/authority.server";
import { cookMarkdown } from "~/content/markdown.server";
import { notifyReply } from "~/notifications/notifications.server";
import { notify } from "~/notifications/notifications.server";
import { loadContent, setVisibility, type ModeratedContent } from "./visibility.server";
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
 * an older view is refused.
 */
export function enqueueReview(
  db: Db,
  content: Pick<ModeratedContent, "type" | "id" | "projectId" | "authorId">,
  reasons: ReviewReason[],
  extraScore = 0,
  now = new Date(),
  appealText: string | null = null,
): ReviewItem {
  const score = reasons.reduce((s, r) => s + REASON_SCORE[r], 0) + extraScore;
  const open = db
    .select()
    .from(reviewItems)
    .where(and(eq(reviewItems.targetType, content.type), eq(reviewItems.targetId, content.id), eq(reviewItems.status, "open")))
    .get();
  if (open) {
    const merged = [...new Set([...open.reasons, ...reasons])];
    return db
      .update(reviewItems)
      .set({ reasons: merged, score: open.score + score, version: open.version + 1, ...(appealText ? { appealText, appealedAt: now } : {}) })
      .where(eq(reviewItems.id, open.id))
      .returning()
      .get();
  }
  return db
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
    .returning()
    .get();
}

/** Title for notifications and the queue: the thread's or proposal's title. */
export function contentTitle(db: Db, content: ModeratedContent): string {
  if (content.title) return content.title;
  if (content.threadId) return db.select({ title: threads.title }).from(threads).where(eq(threads.id, content.threadId)).get()?.title ?? "";
  return "";
}

export function contentLink(db: Db, content: ModeratedContent): string {
  const slug = db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, content.projectId)).get()?.slug ?? "";
  if (content.type === "proposal") return proposalPath(slug, content.id);
  if (content.type === "thread") return threadPath(slug, { id: content.id, proposalId: content.proposalId });
  const thread = db.select({ id: threads.id, proposalId: threads.proposalId }).from(threads).where(eq(threads.id, content.threadId!)).get();
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

/** Applies a held edit (a pending revision) to the comment, keeping the live text as a revision. */
function applyPendingRevision(db: Db, commentId: number, now: Date, approve: boolean) {
  const pending = db
    .select()
    .from(commentRevisions)
    .where(and(eq(commentRevisions.commentId, commentId), eq(commentRevisions.visibility, "pending")))
    .orderBy(desc(commentRevisions.id))
    .get();
  if (!pending) return false;
  if (!approve) {
    db.update(commentRevisions).set({ visibility: "rejected" }).where(eq(commentRevisions.id, pending.id)).run();
    return true;
  }
  const live = db.select().from(comments).where(eq(comments.id, commentId)).get()!;
  db.update(commentRevisions)
    .set({ bodySource: live.bodySource, bodyHtml: live.bodyHtml, visibility: "published", createdAt: live.editedAt ?? live.createdAt })
    .where(eq(commentRevisions.id, pending.id))
    .run();
  db.update(comments)
    .set({ bodySource: pending.bodySource, bodyHtml: cookMarkdown(pending.bodySource), editedAt: now })
    .where(eq(comments.id, commentId))
    .run();
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
export function rejectingModerators(db: Db, items: Pick<ReviewItem, "id" | "targetType" | "targetId" | "reasons">[]): Map<number, number | null> {
  const appeals = items.filter((i) => i.reasons.includes("appeal"));
  const out = new Map<number, number | null>();
  if (!appeals.length) return out;
  const rows = db
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
    )
    .all();
  for (const a of appeals) {
    const latest = rows
      .filter((r) => r.targetType === a.targetType && r.targetId === a.targetId)
      .sort((x, y) => (y.decidedAt?.getTime() ?? 0) - (x.decidedAt?.getTime() ?? 0))[0];
    out.set(a.id, latest?.decidedBy ?? null);
  }
  return out;
}

/** The moderator whose rejection an appeal contests, so someone else decides the appeal. */
function rejectingModerator(db: Db, type: TargetType, id: number): number | null {
  return (
    db
      .select({ decidedBy: reviewItems.decidedBy })
      .from(reviewItems)
      .where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id), eq(reviewItems.status, "rejected")))
      .orderBy(desc(reviewItems.decidedAt))
      .get()?.decidedBy ?? null
  );
}

/**
 * Approve (publish or restore; flags not upheld) or reject (hide with a reason the author sees;
 * flags upheld), optionally suspending the author. One transaction: the item, the content, the
 * counts, the flags, the log and the author's notification change together or not at all.
 */
export function decideReviewItem(db: Db, moderator: User, itemId: number, input: DecideInput, now = new Date(), timeZone = DEFAULT_CITY_TIMEZONE) {
  assertModerator(moderator, now);
  const reason = input.reason?.trim() ?? "";
  if (input.decision !== "approve" && input.decision !== "reject") throw new DomainError(400, "moderation.decisionInvalid");
  if (input.decision === "reject" && !reason) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  if (reason.length > REASON_MAX) throw new DomainError(400, "errors.tooLongMax", { max: REASON_MAX }, "reason");
  return immediate(db, () => {
    const item = db.select().from(reviewItems).where(eq(reviewItems.id, itemId)).get();
    if (!item) throw notFound();
    if (item.status !== "open") {
      const by = item.decidedBy ? db.select({ name: users.displayName }).from(users).where(eq(users.id, item.decidedBy)).get()?.name : null;
      throw new DomainError(409, "moderation.alreadyDecided", { name: by ?? "?" });
    }
    if (item.version !== input.version) throw new DomainError(409, "moderation.changedSinceLoaded");
    const isAppeal = item.reasons.includes("appeal");
    const content = loadContent(db, item.targetType, item.targetId);
    if (!content) throw notFound();
    const refusal = decisionRefusal(moderator, item, content.authorId, isAppeal ? rejectingModerator(db, item.targetType, item.targetId) : null, now);
    if (refusal) throw refusal;
    const approve = input.decision === "approve";
    // Rejecting a held edit rejects only the edit, unless the live text itself is contested (flags,
    // a moderator's hide): then the content is rejected too.
    const editOnly =
      item.reasons.includes("edit") && content.visibility === "published" && !item.reasons.some((r) => r === "flagged" || r === "moderator_hide");
    if (content.type === "comment" && item.reasons.includes("edit")) applyPendingRevision(db, content.id, now, approve);
    if (approve) {
      const wasPending = content.visibility === "pending";
      if (content.visibility !== "published" && content.visibility !== "deleted") setVisibility(db, content, "published");
      // A held reply reaches the parent's author only once it is public.
      if (wasPending && content.type === "comment" && content.parentId) {
        const parent = db.select({ authorId: comments.authorId }).from(comments).where(eq(comments.id, content.parentId)).get();
        const author = db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, content.authorId)).get();
        const thread = db.select().from(threads).where(eq(threads.id, content.threadId!)).get();
        const project = db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, content.projectId)).get();
        if (parent && author && thread && project) notifyReply(db, parent.authorId, author, project.slug, thread, content.id);
      }
    } else if (!editOnly && content.visibility !== "deleted") {
      setVisibility(db, content, "rejected");
    }
    db.update(flags)
      .set({ status: approve ? "dismissed" : "upheld" })
      .where(and(eq(flags.targetType, content.type), eq(flags.targetId, content.id), eq(flags.status, "open")))
      .run();
    db.update(reviewItems)
      .set({ status: approve ? "approved" : "rejected", decidedBy: moderator.id, decidedAt: now, decisionReason: reason || null, version: item.version + 1 })
      .where(and(eq(reviewItems.id, itemId), eq(reviewItems.version, item.version)))
      .run();
    const action = isAppeal ? (approve ? "appeal_overturn" : "appeal_uphold") : approve ? "review_approve" : "review_reject";
    logAction(db, moderator, action, { type: content.type, id: content.id }, reason || null, { reviewItemId: item.id, reasons: item.reasons }, now);
    const title = contentTitle(db, content);
    const link = contentLink(db, content);
    if (content.authorId !== moderator.id) {
      if (isAppeal)
        notify(
          db,
          [content.authorId],
          "appeal_decided",
          approve ? link : "/account/decisions",
          { title, outcome: approve ? "overturned" : "upheld", reason },
          content.projectId,
        );
      // A rejected author reads the reason and may appeal on their decisions page.
      else
        notify(
          db,
          [content.authorId],
          approve ? "content_approved" : "content_rejected",
          approve ? link : "/account/decisions",
          { title, reason },
          content.projectId,
        );
    }
    if (!approve && input.suspend) suspendUser(db, moderator, content.authorId, input.suspend, reason, now, timeZone);
    return { item: { ...item, status: approve ? "approved" : "rejected" }, content };
  });
}

/** Decides several items; each succeeds or fails on its own, and every outcome is reported. */
export function decideInBulk(db: Db, moderator: User, items: { id: number; version: number }[], decision: Decision, reason: string | null, now = new Date()) {
  assertModerator(moderator, now);
  return items.map(({ id, version }) => {
    try {
      decideReviewItem(db, moderator, id, { decision, version, reason }, now);
      return { id, ok: true as const };
    } catch (error) {
      if (error instanceof DomainError) return { id, ok: false as const, key: error.key, params: error.params, status: error.status };
      throw error;
    }
  });
}

/**
 * A moderator hides published content directly from where it appears: the same path as a
 * queue decision, so it is logged and the author is told why.
 */
export function hideContent(db: Db, moderator: User, type: TargetType, id: number, reason: string, now = new Date()) {
  assertModerator(moderator, now);
  if (!reason.trim()) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  return immediate(db, () => {
    const content = loadContent(db, type, id);
    if (!content || content.visibility === "deleted") throw notFound();
    if (content.visibility !== "published") throw new DomainError(409, "moderation.notPublished");
    const item = enqueueReview(db, content, ["moderator_hide"], 0, now);
    return decideReviewItem(db, moderator, item.id, { decision: "reject", version: item.version, reason }, now);
  });
}

export const APPEAL_MAX = 1000;

/** The author of rejected content may appeal once; the appeal enters the queue. */
export function appealDecision(db: Db, author: User, type: TargetType, id: number, textInput: unknown, now = new Date()) {
  const text = typeof textInput === "string" ? textInput.trim() : "";
  if (!text) throw new DomainError(400, "errors.required", {}, "appeal");
  if (text.length > APPEAL_MAX) throw new DomainError(400, "errors.tooLongMax", { max: APPEAL_MAX }, "appeal");
  return immediate(db, () => {
    const content = loadContent(db, type, id);
    if (!content) throw notFound();
    if (content.authorId !== author.id) throw forbidden();
    if (content.visibility !== "rejected") throw new DomainError(409, "moderation.notRejected");
    const earlier =
      db
        .select({ n: count() })
        .from(reviewItems)
        .where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id), sql`${reviewItems.appealText} is not null`))
        .get()?.n ?? 0;
    if (earlier > 0) throw new DomainError(409, "moderation.alreadyAppealed");
    const item = enqueueReview(db, content, ["appeal"], 0, now, text);
    logAction(db, author, "appeal", { type, id }, null, { reviewItemId: item.id }, now);
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
export function listQueue(db: Db, filters: QueueFilters, page = 1) {
  const conditions: SQL[] = [eq(reviewItems.status, filters.status ?? "open")];
  if (filters.reason) conditions.push(sql`exists (select 1 from json_each(${reviewItems.reasons}) where value = ${filters.reason})`);
  if (filters.type) conditions.push(eq(reviewItems.targetType, filters.type));
  if (filters.projectId) conditions.push(eq(reviewItems.projectId, filters.projectId));
  const where = and(...conditions);
  const total = db.select({ n: count() }).from(reviewItems).where(where).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, QUEUE_PAGE_SIZE);
  const order =
    filters.status === "open" || !filters.status
      ? [desc(reviewItems.score), asc(reviewItems.createdAt), asc(reviewItems.id)]
      : [desc(reviewItems.decidedAt), desc(reviewItems.id)];
  const items = db
    .select({ item: reviewItems, projectTitle: projects.title, projectSlug: projects.slug })
    .from(reviewItems)
    .leftJoin(projects, eq(projects.id, reviewItems.projectId))
    .where(where)
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE)
    .offset(offset)
    .all();
  const ids = (type: TargetType) => items.filter((i) => i.item.targetType === type).map((i) => i.item.targetId);
  const commentIds = ids("comment");
  const threadIds = ids("thread");
  const proposalIds = ids("proposal");
  const commentRows = commentIds.length ? db.select().from(comments).where(inArray(comments.id, commentIds)).all() : [];
  const parentIds = commentRows.map((c) => c.parentId).filter((x): x is number => x !== null);
  const parents = parentIds.length
    ? db
        .select({ id: comments.id, bodyHtml: comments.bodyHtml, visibility: comments.visibility, authorName: users.displayName })
        .from(comments)
        .innerJoin(users, eq(users.id, comments.authorId))
        .where(inArray(comments.id, parentIds))
        .all()
    : [];
  const contextThreadIds = [...new Set([...threadIds, ...commentRows.map((c) => c.threadId)])];
  const threadRows = contextThreadIds.length ? db.select().from(threads).where(inArray(threads.id, contextThreadIds)).all() : [];
  const proposalRows = proposalIds.length ? db.select().from(proposals).where(inArray(proposals.id, proposalIds)).all() : [];
  const flagRows = items.length
    ? db
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
        .all()
    : [];
  const revisionRows = commentIds.length
    ? db.select().from(commentRevisions).where(inArray(commentRevisions.commentId, commentIds)).orderBy(asc(commentRevisions.createdAt)).all()
    : [];
  const authorIds = [...new Set(items.map((i) => i.item.authorId).filter((x): x is number => x !== null))];
  const authors = authorIds.length
    ? db
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
        .all()
    : [];
  const history = authorIds.length
    ? db
        .select({ authorId: reviewItems.authorId, status: reviewItems.status, n: count() })
        .from(reviewItems)
        .where(and(inArray(reviewItems.authorId, authorIds), sql`${reviewItems.status} <> 'open'`))
        .groupBy(reviewItems.authorId, reviewItems.status)
        .all()
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

export type QueueRow = ReturnType<typeof listQueue>["rows"][number];
