import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { RateRule } from "./settings.server";
import { DomainError } from "~/domain-error";

export type RateResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed-window counter kept in the database, so it holds across processes and app servers.
 * Each call consumes one unit of `key`. On PostgreSQL the read-then-write is SERIALIZABLE (re-run
 * on a conflict): two servers counting the same key at once cannot both take the last unit.
 */
export function rateLimit(db: AppDb, key: string, rule: RateRule, now = new Date()): Promise<RateResult> {
  return withWriteTx(
    db,
    async (tx): Promise<RateResult> => {
      const { rateLimits } = tables(tx);
      const windowMs = rule.windowSeconds * 1000;
      const [row] = await forUpdate(tx.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1));
      const nowMs = now.getTime();
      if (row?.blockedUntil && row.blockedUntil.getTime() > nowMs) {
        return { ok: false, retryAfterSeconds: Math.ceil((row.blockedUntil.getTime() - nowMs) / 1000) };
      }
      const inWindow = row && nowMs - row.windowStart.getTime() < windowMs;
      const count = inWindow ? row.count : 0;
      if (count >= rule.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((row!.windowStart.getTime() + windowMs - nowMs) / 1000)) };
      }
      const windowStart = inWindow ? row.windowStart : now;
      await tx
        .insert(rateLimits)
        .values({ key, windowStart, count: count + 1 })
        .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart, count: count + 1 } });
      return { ok: true, remaining: rule.limit - count - 1 };
    },
    { serializable: true },
  );
}

/**
 * The refusal of an account form over its limit (sign-in, sign-up, reset, erasure, a second
 * factor): 429 "too many attempts", with the wait in `seconds` for Retry-After and the page's notice.
 */
export function tooManyAttempts(seconds: number): DomainError {
  return new DomainError(429, "errors.rateLimited", { seconds });
}

/** Records a failure for `key`; after `freeFailures` each one doubles the delay (1 s, 2 s, 4 s … up to 15 min). */
export function recordFailure(db: AppDb, key: string, freeFailures: number, now = new Date()): Promise<number> {
  return withWriteTx(
    db,
    async (tx) => {
      const { rateLimits } = tables(tx);
      const [row] = await forUpdate(tx.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1));
      const failures = (row?.failures ?? 0) + 1;
      const over = failures - freeFailures;
      const delaySeconds = over > 0 ? Math.min(900, 2 ** (over - 1)) : 0;
      const blockedUntil = delaySeconds > 0 ? new Date(now.getTime() + delaySeconds * 1000) : null;
      await tx
        .insert(rateLimits)
        .values({ key, windowStart: now, count: 0, failures, blockedUntil })
        .onConflictDoUpdate({ target: rateLimits.key, set: { failures, blockedUntil } });
      return delaySeconds;
    },
    { serializable: true },
  );
}

export async function clearFailures(db: AppDb, key: string): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { rateLimits } = tables(tx);
    await tx.update(rateLimits).set({ failures: 0, blockedUntil: null }).where(eq(rateLimits.key, key));
  });
}

/** Forgets every counter whose key starts with `prefix` (say, one account from all addresses). */
export async function forgetRateLimits(db: AppDb, prefix: string): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { rateLimits } = tables(tx);
    await tx.delete(rateLimits).where(sql`substr(${rateLimits.key}, 1, ${prefix.length}) = ${prefix}`);
  });
}

export interface RateState {
  /** Seconds left on a block set by recordFailure; 0 when none. */
  blockedSeconds: number;
  /** Failures recorded since the last clearFailures. */
  failures: number;
  /** Seconds until the window restarts when its `limit` is spent; 0 while calls remain. */
  spentSeconds: number;
}

/** What `key` holds now, consuming nothing. */
export async function readRateLimit(db: AppDb, key: string, rule: RateRule, now = new Date()): Promise<RateState> {
  const { rateLimits } = tables(db);
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  if (!row) return { blockedSeconds: 0, failures: 0, spentSeconds: 0 };
  const nowMs = now.getTime();
  const blockedSeconds = row.blockedUntil && row.blockedUntil.getTime() > nowMs ? Math.ceil((row.blockedUntil.getTime() - nowMs) / 1000) : 0;
  const windowEnd = row.windowStart.getTime() + rule.windowSeconds * 1000;
  const spentSeconds = windowEnd > nowMs && row.count >= rule.limit ? Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)) : 0;
  return { blockedSeconds, failures: row.failures, spentSeconds };
}

/** Removes counters whose window and block have long passed; cheap enough to run now and then. */
export async function pruneRateLimits(db: AppDb, olderThan: Date): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { rateLimits } = tables(tx);
    await tx.delete(rateLimits).where(and(lt(rateLimits.windowStart, olderThan), or(isNull(rateLimits.blockedUntil), lt(rateLimits.blockedUntil, olderThan))));
  });
}
