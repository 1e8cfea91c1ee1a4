import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { Db } from "~db/client";
import { paginate } from "~/paginate";
import { moderationLog, users, type LogAction, type LogTargetType, type User } from "~db/schema";

/** Appends to the moderation log: who, what, on what, why. Rows are never changed afterwards. */
export function logAction(
  db: Db,
  actor: Pick<User, "id"> | null,
  action: LogAction,
  target: { type: LogTargetType; id: number | string | null },
  reason: string | null = null,
  details: Record<string, unknown> | null = null,
  now = new Date(),
) {
  db.insert(moderationLog)
    .values({
      actorId: actor?.id ?? null,
      action,
      targetType: target.type,
      targetId: target.id === null ? null : String(target.id),
      reason,
      details,
      createdAt: now,
    })
    .run();
}

export const LOG_PAGE_SIZE = 50;

export interface LogFilters {
  action?: LogAction | null;
  actorId?: number | null;
  targetType?: LogTargetType | null;
  from?: Date | null;
  to?: Date | null;
}

export function listLog(db: Db, filters: LogFilters, page = 1) {
  const conditions: SQL[] = [];
  if (filters.action) conditions.push(eq(moderationLog.action, filters.action));
  if (filters.actorId) conditions.push(eq(moderationLog.actorId, filters.actorId));
  if (filters.targetType) conditions.push(eq(moderationLog.targetType, filters.targetType));
  if (filters.from) conditions.push(gte(moderationLog.createdAt, filters.from));
  if (filters.to) conditions.push(lt(moderationLog.createdAt, filters.to));
  const where = conditions.length ? and(...conditions) : undefined;
  const total = db.select({ n: count() }).from(moderationLog).where(where).get()?.n ?? 0;
  const { pageCount, offset } = paginate(total, page, LOG_PAGE_SIZE);
  const rows = db
    .select({ entry: moderationLog, actorName: users.displayName, actorRole: users.role })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(where)
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(LOG_PAGE_SIZE)
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

/** The distinct actions present, for the log's filter. */
export function logActions(db: Db): LogAction[] {
  return db
    .selectDistinct({ action: moderationLog.action })
    .from(moderationLog)
    .orderBy(moderationLog.action)
    .all()
    .map((r) => r.action);
}
