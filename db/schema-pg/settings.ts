// The PostgreSQL twin of db/schema/settings.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, primaryKey } from "drizzle-orm/pg-core";
import { timestamp } from "./columns";
import { users } from "./accounts";

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});

export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start").notNull(),
    count: integer("count").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    blockedUntil: timestamp("blocked_until"),
  },
  (t) => [primaryKey({ columns: [t.key] })],
);

export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  nextRunAt: timestamp("next_run_at").notNull(),
  claimedAt: timestamp("claimed_at"),
});
