import { lt, or, isNotNull, and, lte } from "drizzle-orm";
import type { Db } from "~db/client";
import { emailTokens, sessions } from "~db/schema";
import { pruneRateLimits } from "~/rate-limit.server";
import { pruneSentMail } from "~/notifications/outbox.server";
import { RETENTION } from "./retention";

const DAY = 86_400_000;

/**
 * Removes what has outlived its purpose, as /privacy promises: expired sessions, old links, old
 * rate-limit counters (they name client addresses) and sent mail past its retention. Unsent
 * mail is never removed. Returns the outbox ids removed, for their files.
 */
export function runHousekeeping(db: Db, now = new Date()) {
  const t = now.getTime();
  const expiredSessions = db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
  const oldLinks = db
    .delete(emailTokens)
    .where(
      or(
        lt(emailTokens.expiresAt, new Date(t - RETENTION.usedLinkDays * DAY)),
        and(isNotNull(emailTokens.usedAt), lt(emailTokens.usedAt, new Date(t - RETENTION.usedLinkDays * DAY))),
      ),
    )
    .run().changes;
  pruneRateLimits(db, new Date(t - RETENTION.rateLimitDays * DAY));
  const sentMail = pruneSentMail(db, new Date(t - RETENTION.sentMailDays * DAY));
  return { expiredSessions, oldLinks, sentMail };
}
