import { and, eq, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { NOTIFICATION_EMAIL_MODES, type NotificationEmailMode, type NotificationKind } from "~db/schema";
import { DomainError } from "~/domain-error";
import { isLocale } from "~/i18n/locale";
import { queueMail } from "./outbox.server";
import { notificationMail } from "./notification-mail.server";

export function isEmailMode(value: unknown): value is NotificationEmailMode {
  return typeof value === "string" && (NOTIFICATION_EMAIL_MODES as readonly string[]).includes(value);
}

/** The user's choice; "none" when they never chose. */
export async function getEmailMode(db: AppDb, userId: number): Promise<NotificationEmailMode> {
  const { notificationPreferences } = tables(db);
  const [row] = await db
    .select({ mode: notificationPreferences.mode })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
    .limit(1);
  return row?.mode ?? "none";
}

/**
 * Saves the user's choice. Choosing the digest starts it from now: notifications the user already
 * has are not mailed again (the latest is read in the same transaction as the choice is written).
 */
export async function setEmailMode(db: AppDb, userId: number, mode: unknown, now = new Date()): Promise<NotificationEmailMode> {
  if (!isEmailMode(mode)) throw new DomainError(400, "emailPrefs.modeRequired", {}, "mode");
  await withWriteTx(db, async (tx) => {
    const { notificationPreferences, notifications } = tables(tx);
    const latest =
      (
        await tx
          .select({ id: max(notifications.id) })
          .from(notifications)
          .where(eq(notifications.userId, userId))
          .limit(1)
      )[0]?.id ?? 0;
    await tx
      .insert(notificationPreferences)
      .values({ userId, mode, digestAfterId: latest, updatedAt: now })
      .onConflictDoUpdate({
        target: notificationPreferences.userId,
        set: {
          mode,
          updatedAt: now,
          // Only a switch to the digest moves its starting point.
          digestAfterId: sql`case when ${notificationPreferences.mode} <> 'digest' and ${mode} = 'digest' then ${latest} else ${notificationPreferences.digestAfterId} end`,
        },
      });
  });
  return mode;
}

/** Accounts among `userIds` that receive each notification by e-mail at once: chose it, verified, not erased. */
async function immediateRecipients(db: AppDb, userIds: number[]) {
  if (!userIds.length) return [];
  const { notificationPreferences, users } = tables(db);
  return db
    .select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale })
    .from(users)
    .innerJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
    .where(
      and(
        inArray(users.id, userIds),
        eq(notificationPreferences.mode, "immediate"),
        isNotNull(users.emailVerifiedAt),
        isNotNull(users.email),
        isNull(users.deletedAt),
      ),
    );
}

/**
 * Queues one e-mail per recipient who chose immediate mail, in the caller's transaction (pass its
 * handle), so the in-app notification and its e-mail are written together.
 */
export async function queueImmediateNotificationMail(
  db: AppDb,
  userIds: number[],
  notification: { kind: NotificationKind; link: string; params: Record<string, string> },
  timeZone: string,
  now = new Date(),
) {
  let queued = 0;
  for (const user of await immediateRecipients(db, userIds)) {
    const locale = isLocale(user.locale) ? user.locale : "id";
    const mail = await notificationMail(db, { userId: user.id, displayName: user.displayName, locale }, [notification], { timeZone });
    await queueMail(db, { ...mail, userId: user.id, to: user.email!, kind: "notification" }, now);
    queued++;
  }
  return queued;
}

/** The active followers of a project (but one) who chose immediate mail. */
export async function immediateFollowers(db: AppDb, projectId: number, exceptUserId: number | null): Promise<number[]> {
  const { follows, notificationPreferences } = tables(db);
  const found = await db
    .select({ id: follows.userId })
    .from(follows)
    .innerJoin(notificationPreferences, eq(notificationPreferences.userId, follows.userId))
    .where(
      and(
        eq(follows.projectId, projectId),
        eq(follows.active, true),
        eq(notificationPreferences.mode, "immediate"),
        sql`${follows.userId} <> ${exceptUserId ?? -1}`,
      ),
    );
  return found.map((r) => r.id);
}
