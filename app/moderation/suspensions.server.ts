import { eq } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import { SUSPENSION_DURATIONS, type SuspensionDuration, type User } from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { assertActsAs } from "~/accounts/authority.server";
import { notify } from "~/notifications/notifications.server";
import { DEFAULT_CITY_TIMEZONE } from "~/i18n/format";
import { logAction } from "~/audit/log.server";

/** Year 9999 stands for "permanently" (see writeRefusal in the accounts domain). */
export const PERMANENT = new Date(Date.UTC(9999, 11, 31));
const DAY = 86_400_000;

export function suspensionEnd(duration: SuspensionDuration, now: Date): Date {
  switch (duration) {
    case "1d":
      return new Date(now.getTime() + DAY);
    case "7d":
      return new Date(now.getTime() + 7 * DAY);
    case "30d":
      return new Date(now.getTime() + 30 * DAY);
    case "permanent":
      return PERMANENT;
  }
}

/** Who may suspend `target` or lift their suspension: never oneself, and only an admin for staff. */
/**
 * Why `actor` may not suspend `target` or lift their suspension, or null: nobody acts on their own
 * account, and only an admin on staff. The queue page asks it before it offers "suspend".
 */
export function suspensionRefusal(actor: Pick<User, "id" | "role">, target: Pick<User, "id" | "role">): DomainError | null {
  if (target.id === actor.id) return new DomainError(403, "moderation.notSelf");
  if (target.role !== "resident" && actor.role !== "admin") return new DomainError(403, "moderation.staffOnlyByAdmin");
  return null;
}

function assertMayJudgeSuspension(actor: User, target: User) {
  const refusal = suspensionRefusal(actor, target);
  if (refusal) throw refusal;
}

/**
 * Suspends a user: they keep reading and their sessions, but every write is refused until the
 * end. Moderators suspend residents; only an admin may suspend staff, and nobody themself.
 */
/**
 * `timeZone` is the city's, in which the suspension's end is written in the resident's e-mail.
 * The target's row is read locked (FOR NO KEY UPDATE on PostgreSQL) before the checks; runs in
 * the caller's transaction when handed one (a rejection that suspends).
 */
export async function suspendUser(
  db: AppDb,
  moderator: User,
  userId: number,
  duration: unknown,
  reasonInput: string,
  now = new Date(),
  timeZone = DEFAULT_CITY_TIMEZONE,
) {
  assertActsAs(moderator, MODERATOR_ROLES, now);
  if (!SUSPENSION_DURATIONS.includes(duration as SuspensionDuration)) throw new DomainError(400, "moderation.durationInvalid", {}, "suspend");
  const reason = reasonInput.trim();
  if (!reason) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  return withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    const [target] = await forUpdate(tx.select().from(users).where(eq(users.id, userId)).limit(1), "no key update");
    if (!target || target.deletedAt) throw notFound();
    if (target.id === moderator.id) throw new DomainError(403, "moderation.notSelf");
    assertMayJudgeSuspension(moderator, target);
    const until = suspensionEnd(duration as SuspensionDuration, now);
    await tx.update(users).set({ suspendedUntil: until, suspensionReason: reason }).where(eq(users.id, userId));
    await logAction(tx, moderator, "suspend", { type: "user", id: userId }, reason, { duration, until: until.toISOString() }, now);
    await notify(tx, [userId], "suspended", "/account", { until: duration === "permanent" ? "" : until.toISOString(), reason }, null, timeZone);
    return until;
  });
}

/**
 * Lifts a suspension before its end. The same rule as imposing one: a moderator who may write,
 * never on themself, and only an admin for staff. The target's row is read locked, so two lifts
 * at once make one (the second finds nothing suspended: 409).
 */
export async function liftSuspension(db: AppDb, moderator: User, userId: number, reasonInput = "", now = new Date()): Promise<void> {
  if (!MODERATOR_ROLES.includes(moderator.role)) throw forbidden();
  if (moderator.id === userId) throw new DomainError(403, "moderation.notSelf");
  assertActsAs(moderator, MODERATOR_ROLES, now);
  await withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    const [target] = await forUpdate(tx.select().from(users).where(eq(users.id, userId)).limit(1), "no key update");
    if (!target || target.deletedAt) throw notFound();
    assertMayJudgeSuspension(moderator, target);
    if (!target.suspendedUntil || target.suspendedUntil <= now) throw new DomainError(409, "moderation.notSuspended");
    await tx.update(users).set({ suspendedUntil: null, suspensionReason: null }).where(eq(users.id, userId));
    await logAction(tx, moderator, "suspension_lift", { type: "user", id: userId }, reasonInput.trim() || null, null, now);
  });
}
