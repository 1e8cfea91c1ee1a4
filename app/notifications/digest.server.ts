import { and, asc, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import { isLocale } from "~/i18n/locale";
import { queueMail } from "./outbox.server";
import { notificationMail } from "./notification-mail.server";

/** A digest goes out at most once in this interval, however often the command runs. */
export const DIGEST_MIN_INTERVAL_MS = 20 * 60 * 60 * 1000;
/** At most this many notifications are listed; the mail links to the full list. */
export const DIGEST_MAX_ITEMS = 50;

/**
 * Queues the daily digest of every user who chose it: their unread notifications since the last
 * digest. Idempotent: each user's step runs in one transaction that reads their preference FOR
 * UPDATE and moves their starting point past what it mailed, so running it twice (or in two
 * processes at once) mails nothing twice, and a user with nothing new gets no mail.
 */
export async function queueDigests(db: AppDb, timeZone: string, now = new Date()): Promise<{ queued: number; users: number }> {
  const { notificationPreferences, users } = tables(db);
  const candidates = await db
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .innerJoin(users, eq(users.id, notificationPreferences.userId))
    .where(and(eq(notificationPreferences.mode, "digest"), isNotNull(users.emailVerifiedAt), isNotNull(users.email), isNull(users.deletedAt)));
  let queued = 0;
  for (const { userId } of candidates) {
    const sent = await withWriteTx(db, async (tx) => {
      const { notificationPreferences, notifications, users } = tables(tx);
      // Read again inside the transaction, locked: another run may have just sent this user's digest.
      const [pref] = await forUpdate(tx.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId)).limit(1));
      if (!pref || pref.mode !== "digest") return false;
      if (pref.digestLastSentAt && now.getTime() - pref.digestLastSentAt.getTime() < DIGEST_MIN_INTERVAL_MS) return false;
      const [user] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
      if (!user?.email || !user.emailVerifiedAt || user.deletedAt) return false;
      const found = await tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), gt(notifications.id, pref.digestAfterId), lte(notifications.createdAt, now)))
        .orderBy(asc(notifications.id));
      if (!found.length) return false;
      const lastId = found[found.length - 1]!.id;
      const unread = found.filter((n) => !n.readAt).slice(0, DIGEST_MAX_ITEMS);
      await tx.update(notificationPreferences).set({ digestAfterId: lastId }).where(eq(notificationPreferences.userId, userId));
      // Everything new was already read in the app: nothing to mail, but it is covered.
      if (!unread.length) return false;
      const locale = isLocale(user.locale) ? user.locale : "id";
      const mail = await notificationMail(tx, { userId, displayName: user.displayName, locale }, unread, { digest: true, timeZone });
      await queueMail(tx, { ...mail, userId, to: user.email, kind: "digest" }, now);
      await tx.update(notificationPreferences).set({ digestLastSentAt: now }).where(eq(notificationPreferences.userId, userId));
      return true;
    });
    if (sent) queued++;
  }
  return { queued, users: candidates.length };
}
