import { and, eq, inArray, or, sql } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { FLAG_REASONS, type FlagReason, type TargetType, type User } from "~db/schema";
import { DomainError, notFound } from "~/domain-error";
import { assertMayWrite, canWrite, isEstablished } from "~/accounts/users.server";
import { STAFF_ROLES } from "~/accounts/roles";
import { notify } from "~/notifications/notifications.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { loadContent, setVisibility } from "./visibility.server";
import { contentLink, contentTitle, enqueueReview } from "./review.server";
import { logAction } from "~/audit/log.server";
import { FLAG_NOTE_MAX_CLIENT } from "./limits";

export const FLAG_NOTE_MAX = FLAG_NOTE_MAX_CLIENT;
/** Staff flags weigh more; flags from accounts that are not yet established weigh nothing toward hiding. */
export const STAFF_FLAG_WEIGHT = 3;

/**
 * Whether `user` may flag now at all (flagContent's first check: an account that may write);
 * pages offer the form only then. Per item, flagContent also refuses one's own content and a
 * second flag: see `flaggedBy`.
 */
export function mayFlag(user: User | null, now = new Date()): boolean {
  return user !== null && canWrite(user, now);
}

/** Which of `targets` the user has flagged already ("comment-12"), in one query: their form is not offered again. */
export async function flaggedBy(db: AppDb, userId: number, targets: { type: TargetType; id: number }[]): Promise<string[]> {
  if (targets.length === 0) return [];
  const { flags } = tables(db);
  const byType = new Map<TargetType, number[]>();
  for (const t of targets) byType.set(t.type, [...(byType.get(t.type) ?? []), t.id]);
  const rows = await db
    .select({ type: flags.targetType, id: flags.targetId })
    .from(flags)
    .where(and(eq(flags.userId, userId), or(...[...byType].map(([type, ids]) => and(eq(flags.targetType, type), inArray(flags.targetId, ids))))));
  return rows.map((r) => `${r.type}-${r.id}`);
}

/**
 * A resident flags published content once, with a reason. Every flag puts the item in the
 * queue; once the weight from established accounts reaches the hide threshold the item is
 * hidden until a moderator decides, and its author is told it is under review.
 *
 * Exactly one hide, on both engines: the content's row is locked (FOR UPDATE on PostgreSQL;
 * SQLite's one writer holds the whole database) before it is checked and its flags are summed,
 * so concurrent flags are counted one after the other, a flag arriving after the hide finds
 * nothing public, and only the transaction whose update moved the content logs and notifies.
 */
export async function flagContent(db: AppDb, user: User, type: TargetType, id: number, input: { reason: unknown; note?: unknown }, now = new Date()) {
  if (!FLAG_REASONS.includes(input.reason as FlagReason)) throw new DomainError(400, "moderation.flagReasonRequired", {}, "reason");
  const note = typeof input.note === "string" ? input.note.trim() : "";
  if (note.length > FLAG_NOTE_MAX) throw new DomainError(400, "errors.tooLongMax", { max: FLAG_NOTE_MAX }, "note");
  assertMayWrite(user, now);
  const limited = await rateLimit(db, `flag:user:${user.id}`, await getSetting(db, "rateFlagsPerHour"), now);
  if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
  return withWriteTx(db, async (tx) => {
    const { flags } = tables(tx);
    const content = await loadContent(tx, type, id, { lock: true });
    if (!content || content.visibility !== "published") throw notFound();
    if (content.authorId === user.id) throw new DomainError(409, "moderation.ownContent");
    const [already] = await tx
      .select({ id: flags.id })
      .from(flags)
      .where(and(eq(flags.targetType, type), eq(flags.targetId, id), eq(flags.userId, user.id)))
      .limit(1);
    if (already) throw new DomainError(409, "moderation.alreadyFlagged");
    const staff = STAFF_ROLES.includes(user.role);
    const weight = staff ? STAFF_FLAG_WEIGHT : isEstablished(user, await getSetting(tx, "establishedAccountDays"), now) ? 1 : 0;
    await tx.insert(flags).values({
      targetType: type,
      targetId: id,
      projectId: content.projectId,
      userId: user.id,
      reason: input.reason as FlagReason,
      note: note || null,
      weight,
      createdAt: now,
    });
    // Every flag raises the queue score by at least one, so a flagged item is never invisible to moderators.
    await enqueueReview(tx, content, ["flagged"], Math.max(1, weight), now);
    const [summed] = await tx
      .select({ s: sql<number>`coalesce(sum(${flags.weight}), 0)`.mapWith(Number) })
      .from(flags)
      .where(and(eq(flags.targetType, type), eq(flags.targetId, id), eq(flags.status, "open")));
    const hideScore = summed?.s ?? 0;
    let hidden = false;
    if (hideScore >= (await getSetting(tx, "hideThreshold")) && (await setVisibility(tx, content, "hidden"))) {
      hidden = true;
      await logAction(tx, null, "auto_hide", { type, id }, null, { score: hideScore }, now);
      await notify(tx, [content.authorId], "content_hidden", await contentLink(tx, content), { title: await contentTitle(tx, content) }, content.projectId);
    }
    return { hidden, weight };
  });
}
