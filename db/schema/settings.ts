import { sql } from "drizzle-orm";
import { sqliteTable, integer, text, primaryKey } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns";
import { users } from "./accounts";

/** Overrides of the typed defaults in app/settings.server.ts, stored as JSON. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`),
});

/** Fixed-window counters for rateLimit(); shared by every process on the same file. */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start").notNull(),
    count: integer("count").notNull().default(0),
    /** Consecutive failures, for growing delays (sign-in). */
    failures: integer("failures").notNull().default(0),
    blockedUntil: timestamp("blocked_until"),
  },
  (t) => [primaryKey({ columns: [t.key] })],
);

/**
 * Background jobs that every app server (and every command) may start, but that one of them runs
 * at a time: the privacy housekeeping, the daily digest. A process runs a job only after claiming
 * it here (app/jobs.server.ts): the claim moves `next_run_at` ahead in one conditional update, so
 * two claims at the same moment cannot both succeed.
 */
export const jobRuns = sqliteTable("job_runs", {
  name: text("name").primaryKey(),
  /** Before this moment the job is not due (someone ran it, or runs it now until then). */
  nextRunAt: timestamp("next_run_at").notNull(),
  /** When the last claim was made: what an operator sees in a "running elsewhere" line. */
  claimedAt: timestamp("claimed_at"),
});
