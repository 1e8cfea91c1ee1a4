import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { paginate } from "~/paginate";
import type { LogAction, LogTargetType, User } from "~db/schema";

/**
 * Appends to the moderation log: who, what, on what, why. Rows are never changed afterwards.
 * Called with the transaction of the change it records, it joins it (the entry and the change
 * commit together or not at all).
 */
export async function logAction(
  db: AppDb,
  actor: Pick<User, "id"> | null,
  action: LogAction,
  target: { type: LogTargetType; id: number | string | null },
  reason: string | null = null,
  details: Record<string, unknown> | null = null,
  now = new Date(),
): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { moderationLog } = tables(tx);
    await tx.insert(moderationLog).values({
      actorId: actor?.id ?? null,
      action,
      targetType: target.type,
      targetId: target.id === null ? null : String(target.id),
      reason,
      details,
      createdAt: now,
    });
  });
}

export const LOG_PAGE_SIZE = 50;

export interface LogFilters {
  action?: LogAction | null;
  actorId?: number | null;
  targetType?: LogTargetType | null;
  from?: Date | null;
  to?: Date | null;
}

export async function listLog(db: AppDb, filters: LogFilters, page = 1) {
  const { moderationLog, users } = tables(db);
  const conditions: SQL[] = [];
  if (filters.action) conditions.push(eq(moderationLog.action, filters.action));
  if (filters.actorId) conditions.push(eq(moderationLog.actorId, filters.actorId));
  if (filters.targetType) conditions.push(eq(moderationLog.targetType, filters.targetType));
  if (filters.from) conditions.push(gte(moderationLog.createdAt, filters.from));
  if (filters.to) conditions.push(lt(moderationLog.createdAt, filters.to));
  const where = conditions.length ? and(...conditions) : undefined;
  const total = (await db.select({ n: count() }).from(moderationLog).where(where).limit(1))[0]?.n ?? 0;
  const { pageCount, offset } = paginate(total, page, LOG_PAGE_SIZE);
  const rows = await db
    .select({ entry: moderationLog, actorName: users.displayName, actorRole: users.role })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(where)
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(LOG_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

/** The distinct actions present, for the log's filter. */
export async function logActions(db: AppDb): Promise<LogAction[]> {
  const { moderationLog } = tables(db);
  const rows = await db.selectDistinct({ action: moderationLog.action }).from(moderationLog).orderBy(moderationLog.action);
  return rows.map((r) => r.action);
}
