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
