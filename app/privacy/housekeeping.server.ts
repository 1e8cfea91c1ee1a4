import { lt, or, isNotNull, and, lte } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { pruneRateLimits } from "~/rate-limit.server";
import { pruneSentMail } from "~/notifications/outbox.server";
import { RETENTION } from "./retention";
import { claimJob } from "~/jobs.server";

const DAY = 86_400_000;

/**
 * Removes what has outlived its purpose, as /privacy promises: expired sessions, old links, old
 * rate-limit counters (they name client addresses) and sent mail past its retention. Unsent
 * mail is never removed, in a few short transactions. Returns the outbox ids
 * removed, for their files.
 */
export async function runHousekeeping(db: AppDb, now = new Date()) {
  const t = now.getTime();
  const { expiredSessions, oldLinks } = await withWriteTx(db, async (tx) => {
    const { emailTokens, sessions } = tables(tx);
    const sessionsGone = await tx.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
    const linksGone = await tx
      .delete(emailTokens)
      .where(
        or(
          lt(emailTokens.expiresAt, new Date(t - RETENTION.usedLinkDays * DAY)),
          and(isNotNull(emailTokens.usedAt), lt(emailTokens.usedAt, new Date(t - RETENTION.usedLinkDays * DAY))),
        ),
      )
      .returning({ id: emailTokens.id });
    return { expiredSessions: sessionsGone.length, oldLinks: linksGone.length };
  });
  await pruneRateLimits(db, new Date(t - RETENTION.rateLimitDays * DAY));
  const sentMail = await pruneSentMail(db, new Date(t - RETENTION.sentMailDays * DAY));
  return { expiredSessions, oldLinks, sentMail };
}

/** The housekeeping runs once an hour for the whole deployment, whichever app server gets to it. */
export const HOUSEKEEPING_EVERY_MS = 3_600_000;

/**
 * The housekeeping when it is due for the deployment (claimJob: one app server runs it an hour,
 * however many there are); null when another process has run it in the last hour. Each server
 * asks often (every minute), and a server that goes down does not stop it.
 */
export async function runHousekeepingIfDue(db: AppDb, now = new Date()) {
  const claim = await claimJob(db, "housekeeping", HOUSEKEEPING_EVERY_MS, now);
  return claim.claimed ? runHousekeeping(db, now) : null;
}
