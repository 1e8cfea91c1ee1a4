import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { emailTokens, follows, notificationPreferences, notifications, outbox, projects, rateLimits, sessions, users, votes, type User } from "~db/schema";
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
export async function eraseAccount(db: Db, user: User, password: string, now = new Date()): Promise<{ erasedOutboxIds: number[] }> {
  if (!password) throw new DomainError(400, "errors.required", {}, "password");
  const limited = rateLimit(db, `erase:user:${user.id}`, getSetting(db, "rateAccountDeletePerAccount"), now);
  if (!limited.ok) throw tooManyAttempts(limited.retryAfterSeconds);
  if (!user.passwordHash || user.deletedAt || !(await verifyPassword(user.passwordHash, password))) {
    throw new DomainError(400, "accountDelete.passwordWrong", {}, "password");
  }
  return { erasedOutboxIds: eraseAccountData(db, user.id, now) };
}

/** The erasure itself, in one transaction; see eraseAccount. */
export function eraseAccountData(db: Db, userId: number, now = new Date()): number[] {
  return immediate(db, () => {
    const user = db.select().from(users).where(eq(users.id, userId)).get();
    if (!user || user.deletedAt) return [];
    const email = user.email;

    const mail = db
      .delete(outbox)
      .where(email ? or(eq(outbox.userId, userId), eq(outbox.toAddress, email)) : eq(outbox.userId, userId))
      .returning({ id: outbox.id })
      .all()
      .map((r) => r.id);
    db.delete(sessions).where(eq(sessions.userId, userId)).run();
    db.delete(emailTokens).where(eq(emailTokens.userId, userId)).run();
    db.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId)).run();
    db.delete(notifications).where(eq(notifications.userId, userId)).run();

    // Follower counts are stored on projects; they drop with the follows.
    const followed = db
      .select({ projectId: follows.projectId })
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.active, true)))
      .all();
    for (const { projectId } of followed) {
      db.update(projects)
        .set({ followerCount: sql`max(${projects.followerCount} - 1, 0)` })
        .where(eq(projects.id, projectId))
        .run();
    }
    db.delete(follows).where(eq(follows.userId, userId)).run();

    // Ballots stay in the tallies but no longer point at anyone.
    db.update(votes).set({ userId: null }).where(eq(votes.userId, userId)).run();

    // A second factor, its recovery codes and any half sign-in.
    removeFactor(db, userId);

    // Rate-limit counters keyed by the address (failed sign-ins, reset links): by its hash, and
    // plainly in counters written before keys were hashed.
    if (email) {
      db.delete(rateLimits)
        .where(sql`instr(${rateLimits.key}, ${email}) > 0 or instr(${rateLimits.key}, ${emailKeyPart(email)}) > 0`)
        .run();
    }

    db.update(users)
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
      .where(eq(users.id, userId))
      .run();
    return mail;
  });
}
