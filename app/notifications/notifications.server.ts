import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { follows, notifications, users, type NotificationKind, type Thread, type User } from "~db/schema";
import { commentPath } from "~/content/links";
import { DEFAULT_CITY_TIMEZONE } from "~/i18n/format";
import { immediateFollowers, queueImmediateNotificationMail } from "./email-preferences.server";
import { paginate } from "~/paginate";

/**
 * In-app notifications, and for those who chose immediate e-mail, their message in the outbox —
 * in one transaction (a savepoint when the caller already holds one). A notification that carries a
 * date is mailed with it shown in `timeZone`: callers that send one pass the city's (config.cityTimezone).
 */
export function notify(
  db: Db,
  userIds: number[],
  kind: NotificationKind,
  link: string,
  params: Record<string, string>,
  projectId: number | null = null,
  timeZone = DEFAULT_CITY_TIMEZONE,
) {
  const wanted = [...new Set(userIds)];
  if (!wanted.length) return 0;
  return db.$client.transaction(() => {
    // Erased accounts receive nothing.
    const unique = db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, wanted), isNull(users.deletedAt)))
      .all()
      .map((u) => u.id);
    if (!unique.length) return 0;
    const now = new Date();
    db.insert(notifications)
      .values(unique.map((userId) => ({ userId, kind, link, params, projectId, createdAt: now })))
      .run();
    queueImmediateNotificationMail(db, unique, { kind, link, params }, timeZone, now);
    return unique.length;
  })();
}

/**
 * Notifies every active follower of a project except `exceptUserId`, in one INSERT … SELECT so a
 * project with many followers costs one statement.
 */
export function notifyFollowers(
  db: Db,
  projectId: number,
  kind: NotificationKind,
  link: string,
  params: Record<string, string>,
  exceptUserId: number | null,
  timeZone = DEFAULT_CITY_TIMEZONE,
) {
  return db.$client.transaction(() => {
    const now = Date.now();
    const result = db.run(sql`
      insert into ${notifications} (user_id, kind, project_id, link, params, created_at)
      select ${follows.userId}, ${kind}, ${projectId}, ${link}, ${JSON.stringify(params)}, ${now}
      from ${follows}
      join ${users} on ${users.id} = ${follows.userId}
      where ${follows.projectId} = ${projectId} and ${follows.active} = 1 and ${users.deletedAt} is null
        and ${follows.userId} <> ${exceptUserId ?? -1}`);
    // Only those who chose immediate e-mail: usually few, each rendered in their own language.
    queueImmediateNotificationMail(db, immediateFollowers(db, projectId, exceptUserId), { kind, link, params }, timeZone, new Date(now));
    return result.changes;
  })();
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

export function listNotifications(db: Db, userId: number, page = 1) {
  const total = db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, NOTIFICATIONS_PAGE_SIZE);
  const rows = db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

export function unreadCount(db: Db, userId: number): number {
  return (
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .get()?.n ?? 0
  );
}

/** Marks one of the user's own notifications read; someone else's id changes nothing. */
export function markNotificationRead(db: Db, userId: number, notificationId: number) {
  return db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run().changes;
}

export function markAllNotificationsRead(db: Db, userId: number) {
  return db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run().changes;
}

export function getNotification(db: Db, userId: number, notificationId: number) {
  return (
    db
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
      .get() ?? null
  );
}

/** Tells a comment's author about a reply (never themself). */
export function notifyReply(
  db: Db,
  parentAuthorId: number,
  replier: Pick<User, "id" | "displayName">,
  projectSlug: string,
  thread: Pick<Thread, "id" | "proposalId" | "title" | "projectId">,
  commentId: number,
) {
  if (parentAuthorId === replier.id) return;
  notify(db, [parentAuthorId], "reply", commentPath(projectSlug, thread, commentId), { title: thread.title, name: replier.displayName }, thread.projectId);
}
