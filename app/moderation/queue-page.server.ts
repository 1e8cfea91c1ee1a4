import { asc, inArray, sql } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import type { TargetType } from "~db/schema";
import type { User } from "~db/schema";
import { decisionRefusal, type QueueRow } from "./review.server";
import { suspensionRefusal } from "./suspensions.server";
import { contentPath, proposalPath, threadPath } from "~/content/links";
import { showsBody } from "~/content/visibility.server";

/** Projects that have anything in the review queue, for the queue's project filter. */
export async function queueProjectOptions(db: AppDb) {
  const { projects, reviewItems } = tables(db);
  return db
    .select({ id: projects.id, title: projects.title })
    .from(projects)
    .where(sql`exists (select 1 from ${reviewItems} where ${reviewItems.projectId} = ${projects.id})`)
    .orderBy(asc(projects.title));
}

/** Display names of the moderators who decided the items on a page: one query. */
export async function deciderNames(db: AppDb, ids: (number | null)[]): Promise<Record<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return {};
  const { users } = tables(db);
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, wanted));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " };

/** Plain text from cooked HTML, cut to `max` characters; rendered as text, never as HTML. */
export function textExcerpt(html: string, max = 280): string {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, e: string) => ENTITIES[e] ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** What a queue item is about (type and id of its content), for reporting bulk outcomes: one query. */
export async function reviewItemTargets(db: AppDb, ids: number[]): Promise<Record<number, { targetType: TargetType; targetId: number }>> {
  if (!ids.length) return {};
  const { reviewItems } = tables(db);
  const rows = await db
    .select({ id: reviewItems.id, targetType: reviewItems.targetType, targetId: reviewItems.targetId })
    .from(reviewItems)
    .where(inArray(reviewItems.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, { targetType: r.targetType, targetId: r.targetId }]));
}

const DAY = 86_400_000;

/**
 * A queue row as the page shows it: the content, where it sits (with links), its flags,
 * revisions and the author's record. No e-mail addresses or other personal data leave the server.
 */
export function queueItemView(row: QueueRow, deciders: Record<number, string>, now: Date, viewer: User, rejectedBy: Map<number, number | null>) {
  const { item, content, context, author } = row;
  // What this moderator may do here, from the rules decideReviewItem and suspendUser enforce: the
  // page offers only that, and says why it offers nothing else.
  const refusal = item.status === "open" ? decisionRefusal(viewer, item, author?.id ?? null, rejectedBy.get(item.id) ?? null, now) : null;
  const may = {
    decide: item.status === "open" && refusal === null,
    suspend:
      item.status === "open" &&
      refusal === null &&
      !item.reasons.includes("appeal") &&
      author !== null &&
      !author.deletedAt &&
      suspensionRefusal(viewer, author) === null,
    refusal: refusal ? { key: refusal.key, params: refusal.params } : null,
  };
  const slug = row.projectSlug;
  const thread = context.threadId ? { id: context.threadId, proposalId: context.proposalId } : null;
  const threadHref = slug && thread ? threadPath(slug, thread) : null;
  const href = !slug
    ? null
    : item.targetType === "proposal"
      ? proposalPath(slug, item.targetId)
      : thread
        ? contentPath(slug, item.targetType === "thread" ? { type: "thread", thread } : { type: "comment", id: item.targetId, thread })
        : null;
  return {
    may,
    id: item.id,
    version: item.version,
    status: item.status,
    targetType: item.targetType,
    targetId: item.targetId,
    reasons: item.reasons,
    score: item.score,
    createdAt: item.createdAt,
    decidedAt: item.decidedAt,
    decidedBy: item.decidedBy ? (deciders[item.decidedBy] ?? null) : null,
    decisionReason: item.decisionReason,
    appealText: item.appealText,
    appealedAt: item.appealedAt,
    project: row.projectSlug && row.projectTitle ? { slug: row.projectSlug, title: row.projectTitle } : null,
    href,
    content,
    thread: context.threadTitle && item.targetType !== "thread" ? { title: context.threadTitle, href: threadHref } : null,
    parent: context.parent
      ? {
          authorName: context.parent.authorName,
          visibility: context.parent.visibility,
          excerpt: showsBody("comment", context.parent.visibility) ? textExcerpt(context.parent.bodyHtml) : null,
        }
      : null,
    flags: row.flags.map((f) => ({ reason: f.reason, note: f.note, weight: f.weight, status: f.status, createdAt: f.createdAt, flaggerName: f.flaggerName })),
    revisions: row.revisions.map((r) => ({ id: r.id, bodyHtml: r.bodyHtml, visibility: r.visibility, createdAt: r.createdAt })),
    author: author
      ? {
          id: author.id,
          displayName: author.deletedAt ? null : author.displayName,
          role: author.role,
          createdAt: author.createdAt,
          ageDays: Math.max(0, Math.floor((now.getTime() - author.createdAt.getTime()) / DAY)),
          verified: Boolean(author.emailVerifiedAt),
          contributionCount: author.contributionCount,
          approved: author.approved,
          rejected: author.rejected,
          suspendedUntil: author.suspendedUntil && author.suspendedUntil > now ? author.suspendedUntil : null,
          suspendedPermanently: Boolean(author.suspendedUntil && author.suspendedUntil.getUTCFullYear() >= 9999),
        }
      : null,
  };
}

export type QueueItemView = ReturnType<typeof queueItemView>;
