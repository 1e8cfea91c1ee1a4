import { and, eq, or, sql } from "drizzle-orm";
import { engineOf, forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { rateLimit, tooManyAttempts } from "~/rate-limit.server";
import { emailKeyPart } from "./rate-keys.server";
import { removeFactor } from "./two-factor.server";
import { getSetting } from "~/settings.server";
import { verifyPassword } from "./password.server";

/**
 * /account/delete: after the password is entered again, the account is erased. What stays is an
 * anonymous tombstone row (no e-mail, name, password or area) so that contributions keep an
 * author — shown as "deleted user" — and the moderation log keeps pointing somewhere; its rows
 * are not changed. Sessions, links, notifications, follows, the e-mail choice and every queued
 * or sent e-mail are deleted. Ballots stay counted with no voter (user_id null); supports stay
 * counted on the tombstone, which no longer leads to a person.
 *
 * Returns the ids of the erased outbox rows, so the caller can remove their files (the demo's
 * data/mail/).
 */
export async function eraseAccount(db: AppDb, user: User, password: string, now = new Date()): Promise<{ erasedOutboxIds: number[] }> {
  if (!password) throw new DomainError(400, "errors.required", {}, "password");
  const limited = await rateLimit(db, `erase:user:${user.id}`, await getSetting(db, "rateAccountDeletePerAccount"), now);
  if (!limited.ok) throw tooManyAttempts(limited.retryAfterSeconds);
  if (!user.passwordHash || user.deletedAt || !(await verifyPassword(user.passwordHash, password))) {
    throw new DomainError(400, "accountDelete.passwordWrong", {}, "password");
  }
  return { erasedOutboxIds: await eraseAccountData(db, user.id, now) };
}

/** The erasure itself, in one transaction, the account's row locked first; see eraseAccount. */
export async function eraseAccountData(db: AppDb, userId: number, now = new Date()): Promise<number[]> {
  return withWriteTx(db, async (tx) => {
    const { emailTokens, follows, notificationPreferences, notifications, outbox, projects, rateLimits, sessions, users, votes } = tables(tx);
    const [user] = await forUpdate(tx.select().from(users).where(eq(users.id, userId)).limit(1));
    if (!user || user.deletedAt) return [];
    const email = user.email;

    const mail = (
      await tx
        .delete(outbox)
        .where(email ? or(eq(outbox.userId, userId), eq(outbox.toAddress, email)) : eq(outbox.userId, userId))
        .returning({ id: outbox.id })
    ).map((r) => r.id);
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
    await tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    await tx.delete(notifications).where(eq(notifications.userId, userId));

    // Follower counts are stored on projects; they drop with the follows (in place, never below 0).
    const followed = await tx
      .select({ projectId: follows.projectId })
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.active, true)));
    for (const { projectId } of followed) {
      await tx
        .update(projects)
        .set({ followerCount: sql`case when ${projects.followerCount} > 0 then ${projects.followerCount} - 1 else 0 end` })
        .where(eq(projects.id, projectId));
    }
    await tx.delete(follows).where(eq(follows.userId, userId));

    // Ballots stay in the tallies but no longer point at anyone.
    await tx.update(votes).set({ userId: null }).where(eq(votes.userId, userId));

    // A second factor, its recovery codes and any half sign-in.
    await removeFactor(tx, userId);

    // Rate-limit counters keyed by the address (failed sign-ins, reset links): by its hash, and
    // plainly in counters written before keys were hashed. A substring test, case-sensitive on
    // both engines (SQLite's instr, PostgreSQL's strpos).
    if (email) {
      const contains = (part: string) => (engineOf(tx) === "pg" ? sql`strpos(${rateLimits.key}, ${part}) > 0` : sql`instr(${rateLimits.key}, ${part}) > 0`);
      await tx.delete(rateLimits).where(or(contains(email), contains(emailKeyPart(email))));
    }

    await tx
      .update(users)
      .set({
        email: null,
        displayName: "",
        passwordHash: null,
        areaId: null,
        emailVerifiedAt: null,
        suspendedUntil: null,
        suspensionReason: null,
        locale: "id",
        deletedAt: now,
      })
      .where(eq(users.id, userId));
    return mail;
  });
}
