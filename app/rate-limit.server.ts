import { eq, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { rateLimits } from "~db/schema";
import type { RateRule } from "./settings.server";
import { DomainError } from "~/domain-error";

export type RateResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed-window counter kept in SQLite, so it holds across processes sharing the database.
 * Each call consumes one unit of `key`.
 */
export function rateLimit(db: Db, key: string, rule: RateRule, now = new Date()): RateResult {
  return immediate(db, () => {
    const windowMs = rule.windowSeconds * 1000;
    const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
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
    db.insert(rateLimits)
      .values({ key, windowStart, count: count + 1 })
      .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart, count: count + 1 } })
      .run();
    return { ok: true, remaining: rule.limit - count - 1 };
  });
}

/**
 * The refusal of an account form over its limit (sign-in, sign-up, reset, erasure, a second
 * factor): 429 "too many attempts", with the wait in `seconds` for Retry-After and the page's notice.
 */
export function tooManyAttempts(seconds: number): DomainError {
  return new DomainError(429, "errors.rateLimited", { seconds });
}

/** Records a failure for `key`; after `freeFailures` each one doubles the delay (1 s, 2 s, 4 s … up to 15 min). */
export function recordFailure(db: Db, key: string, freeFailures: number, now = new Date()): number {
  return immediate(db, () => {
    const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
    const failures = (row?.failures ?? 0) + 1;
    const over = failures - freeFailures;
    const delaySeconds = over > 0 ? Math.min(900, 2 ** (over - 1)) : 0;
    const blockedUntil = delaySeconds > 0 ? new Date(now.getTime() + delaySeconds * 1000) : null;
    db.insert(rateLimits)
      .values({ key, windowStart: now, count: 0, failures, blockedUntil })
      .onConflictDoUpdate({ target: rateLimits.key, set: { failures, blockedUntil } })
      .run();
    return delaySeconds;
  });
}

export function clearFailures(db: Db, key: string) {
  db.update(rateLimits).set({ failures: 0, blockedUntil: null }).where(eq(rateLimits.key, key)).run();
}

/** Forgets every counter whose key starts with `prefix` (say, one account from all addresses). */
export function forgetRateLimits(db: Db, prefix: string) {
  db.delete(rateLimits)
    .where(sql`substr(${rateLimits.key}, 1, ${prefix.length}) = ${prefix}`)
    .run();
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
export function readRateLimit(db: Db, key: string, rule: RateRule, now = new Date()): RateState {
  const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
  if (!row) return { blockedSeconds: 0, failures: 0, spentSeconds: 0 };
  const nowMs = now.getTime();
  const blockedSeconds = row.blockedUntil && row.blockedUntil.getTime() > nowMs ? Math.ceil((row.blockedUntil.getTime() - nowMs) / 1000) : 0;
  const windowEnd = row.windowStart.getTime() + rule.windowSeconds * 1000;
  const spentSeconds = windowEnd > nowMs && row.count >= rule.limit ? Math.max(1, Math.ceil((windowEnd - nowMs) / 1000)) : 0;
  return { blockedSeconds, failures: row.failures, spentSeconds };
}

/** Removes counters whose window and block have long passed; cheap enough to run now and then. */
export function pruneRateLimits(db: Db, olderThan: Date) {
  db.delete(rateLimits)
    .where(
      sql`${rateLimits.windowStart} < ${olderThan.getTime()} and (${rateLimits.blockedUntil} is null or ${rateLimits.blockedUntil} < ${olderThan.getTime()})`,
    )
    .run();
}
