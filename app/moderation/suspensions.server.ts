import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { users, SUSPENSION_DURATIONS, type SuspensionDuration, type User } from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { notify } from "~/notifications/notifications.server";
import { logAction } from "./log.server";

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

/**
 * Suspends a user: they keep reading and their sessions, but every write is refused until the
 * end. Moderators suspend residents; only an admin may suspend staff, and nobody themself.
 */
export function suspendUser(db: Db, moderator: User, userId: number, duration: unknown, reasonInput: string, now = new Date()) {
  if (!MODERATOR_ROLES.includes(moderator.role)) throw forbidden();
  if (!SUSPENSION_DURATIONS.includes(duration as SuspensionDuration)) throw new DomainError(400, "moderation.durationInvalid", {}, "suspend");
  const reason = reasonInput.trim();
  if (!reason) throw new DomainError(400, "moderation.reasonRequired", {}, "reason");
  return immediate(db, () => {
    const target = db.select().from(users).where(eq(users.id, userId)).get();
    if (!target || target.deletedAt) throw notFound();
    if (target.id === moderator.id) throw new DomainError(403, "moderation.notSelf");
    if (target.role !== "resident" && moderator.role !== "admin") throw new DomainError(403, "moderation.staffOnlyByAdmin");
    const until = suspensionEnd(duration as SuspensionDuration, now);
    db.update(users).set({ suspendedUntil: until, suspensionReason: reason }).where(eq(users.id, userId)).run();
    logAction(db, moderator, "suspend", { type: "user", id: userId }, reason, { duration, until: until.toISOString() }, now);
    notify(db, [userId], "suspended", "/account", { until: duration === "permanent" ? "" : until.toISOString(), reason }, null);
    return until;
  });
}

export function liftSuspension(db: Db, moderator: User, userId: number, reasonInput = "", now = new Date()) {
  if (!MODERATOR_ROLES.includes(moderator.role)) throw forbidden();
  return immediate(db, () => {
    const target = db.select().from(users).where(eq(users.id, userId)).get();
    if (!target || target.deletedAt) throw notFound();
    if (!target.suspendedUntil || target.suspendedUntil <= now) throw new DomainError(409, "moderation.notSuspended");
    db.update(users).set({ suspendedUntil: null, suspensionReason: null }).where(eq(users.id, userId)).run();
    logAction(db, moderator, "suspension_lift", { type: "user", id: userId }, reasonInput.trim() || null, null, now);
  });
}
