import { and, asc, count, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import { paginate } from "~/paginate";

export const SUSPENDED_PAGE_SIZE = 25;

/**
 * Users whose suspension has not ended, soonest end first, with who suspended them and when
 * (from the log): two queries per page, whatever its length.
 */
export async function listSuspendedUsers(db: AppDb, page = 1, now = new Date()) {
  const { moderationLog, users } = tables(db);
  const where = and(gt(users.suspendedUntil, now), isNull(users.deletedAt));
  const [counted] = await db.select({ n: count() }).from(users).where(where);
  const total = counted?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, SUSPENDED_PAGE_SIZE);
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, role: users.role, suspendedUntil: users.suspendedUntil, suspensionReason: users.suspensionReason })
    .from(users)
    .where(where)
    .orderBy(asc(users.suspendedUntil), asc(users.id))
    .limit(SUSPENDED_PAGE_SIZE)
    .offset(offset);
  const ids = rows.map((r) => String(r.id));
  const actors = ids.length
    ? await db
        .select({ targetId: moderationLog.targetId, createdAt: moderationLog.createdAt, actorName: users.displayName })
        .from(moderationLog)
        .leftJoin(users, eq(users.id, moderationLog.actorId))
        .where(and(eq(moderationLog.action, "suspend"), eq(moderationLog.targetType, "user"), inArray(moderationLog.targetId, ids)))
        .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    : [];
  return {
    rows: rows.map((r) => {
      const last = actors.find((a) => a.targetId === String(r.id));
      return { ...r, suspendedAt: last?.createdAt ?? null, suspendedBy: last?.actorName ?? null };
    }),
    total,
    page,
    pageCount,
  };
}
