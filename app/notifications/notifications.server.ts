import { and, count, desc, eq, isNull, inArray, sql } from "drizzle-orm";
import { rows, tables, withWriteTx, type AppDb } from "~db/engine";
import type { NotificationKind, Thread, User } from "~db/schema";
import { commentPath } from "~/content/links";
import { DEFAULT_CITY_TIMEZONE } from "~/i18n/format";
import { immediateFollowers, queueImmediateNotificationMail } from "./email-preferences.server";
import { paginate } from "~/paginate";

/**
 * In-app notifications, and for those who chose immediate e-mail, their message in the outbox —
 * in one transaction (the caller's, when given its handle: they commit with the change that
 * caused them, or not at all). A notification that carries a date is mailed with it shown in
 * `timeZone`: callers that send one pass the city's (config.cityTimezone).
 */
export async function notify(
  db: AppDb,
  userIds: number[],
  kind: NotificationKind,
  link: string,
  params: Record<string, string>,
  projectId: number | null = null,
  timeZone = DEFAULT_CITY_TIMEZONE,
): Promise<number> {
  const wanted = [...new Set(userIds)];
  if (!wanted.length) return 0;
  return withWriteTx(db, async (tx) => {
    const { notifications, users } = tables(tx);
    // Erased accounts receive nothing.
    const unique = (
      await tx
        .select({ id: users.id })
        .from(users)
        .where(and(inArray(users.id, wanted), isNull(users.deletedAt)))
    ).map((u) => u.id);
    if (!unique.length) return 0;
    const now = new Date();
    await tx.insert(notifications).values(unique.map((userId) => ({ userId, kind, link, params, projectId, createdAt: now })));
    await queueImmediateNotificationMail(tx, unique, { kind, link, params }, timeZone, now);
    return unique.length;
  });
}

/**
 * Notifies every active follower of a project except `exceptUserId`, in one INSERT … SELECT so a
 * project with many followers costs one statement.
 */
export async function notifyFollowers(
  db: AppDb,
  projectId: number,
  kind: NotificationKind,
  link: string,
  params: Record<string, string>,
  exceptUserId: number | null,
  timeZone = DEFAULT_CITY_TIMEZONE,
): Promise<number> {
  return withWriteTx(db, async (tx) => {
    const { follows, notifications, users } = tables(tx);
    const now = new Date();
    // The date and the parameters are bound as their columns bind them (milliseconds or a
    // timestamptz; JSON text or jsonb).
    const inserted = await rows<{ id: number }>(
      tx,
      sql`
      insert into ${notifications} (user_id, kind, project_id, link, params, created_at)
      select ${follows.userId}, ${kind}, ${projectId}, ${link}, ${sql.param(params, notifications.params)}, ${sql.param(now, notifications.createdAt)}
      from ${follows}
      join ${users} on ${users.id} = ${follows.userId}
      where ${follows.projectId} = ${projectId} and ${follows.active} = true and ${users.deletedAt} is null
        and ${follows.userId} <> ${exceptUserId ?? -1}
      returning id`,
    );
    // Only those who chose immediate e-mail: usually few, each rendered in their own language.
    await queueImmediateNotificationMail(tx, await immediateFollowers(tx, projectId, exceptUserId), { kind, link, params }, timeZone, now);
    return inserted.length;
  });
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

export async function listNotifications(db: AppDb, userId: number, page = 1) {
  const { notifications } = tables(db);
  const total = (await db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, NOTIFICATIONS_PAGE_SIZE);
  const found = await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset(offset);
  return { rows: found, total, page, pageCount };
}

export async function unreadCount(db: AppDb, userId: number): Promise<number> {
  const { notifications } = tables(db);
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .limit(1);
  return row?.n ?? 0;
}

/** Marks one of the user's own notifications read; someone else's id changes nothing. Returns the rows changed. */
export function markNotificationRead(db: AppDb, userId: number, notificationId: number): Promise<number> {
  return withWriteTx(db, async (tx) => {
    const { notifications } = tables(tx);
    const changed = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return changed.length;
  });
}

export function markAllNotificationsRead(db: AppDb, userId: number): Promise<number> {
  return withWriteTx(db, async (tx) => {
    const { notifications } = tables(tx);
    const changed = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return changed.length;
  });
}

export async function getNotification(db: AppDb, userId: number, notificationId: number) {
  const { notifications } = tables(db);
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .limit(1);
  return row ?? null;
}

/** Tells a comment's author about a reply (never themself). */
export async function notifyReply(
  db: AppDb,
  parentAuthorId: number,
  replier: Pick<User, "id" | "displayName">,
  projectSlug: string,
  thread: Pick<Thread, "id" | "proposalId" | "title" | "projectId">,
  commentId: number,
): Promise<void> {
  if (parentAuthorId === replier.id) return;
  await notify(
    db,
    [parentAuthorId],
    "reply",
    commentPath(projectSlug, thread, commentId),
    { title: thread.title, name: replier.displayName },
    thread.projectId,
  );
}
