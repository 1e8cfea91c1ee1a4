import { and, count, gte, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { engineOf, tables, type AppDb } from "~db/engine";
import { FLAG_REASONS, type FlagReason } from "~db/schema";
import { reasonsIncludeAny } from "./reasons-sql.server";

export const TRANSPARENCY_MONTHS = 12;

export interface MonthFigures {
  month: string;
  held: number;
  hidden: number;
  approved: number;
  rejected: number;
  appealed: number;
  overturned: number;
  flagsByReason: Record<FlagReason, number>;
}

/** A month with nothing in it: every figure zero. */
export function emptyMonth(month: string): MonthFigures {
  return {
    month,
    held: 0,
    hidden: 0,
    approved: 0,
    rejected: 0,
    appealed: 0,
    overturned: 0,
    flagsByReason: Object.fromEntries(FLAG_REASONS.map((r) => [r, 0])) as Record<FlagReason, number>,
  };
}

/**
 * "2026-03" of a timestamp column, shifted by the city's offset from UTC now: SQLite reads its
 * milliseconds with strftime, PostgreSQL its timestamptz with to_char. The offset is a whole
 * number written into the SQL (not a parameter), so the select and the group by are the same
 * expression on PostgreSQL.
 */
function monthOf(db: AppDb, column: SQLiteColumn, offsetMinutes: number): SQL<string> {
  const offset = Math.trunc(offsetMinutes);
  if (engineOf(db) === "pg") return sql<string>`to_char((${column} at time zone 'UTC') + interval '${sql.raw(String(offset))} minutes', 'YYYY-MM')`;
  return sql<string>`strftime('%Y-%m', (${column} / 1000) + ${sql.raw(String(offset * 60))}, 'unixepoch')`;
}

/** The reasons that hold content before anyone sees it (what "held" counts). */
const HELD_REASONS = ["new_author", "blocked_word", "too_many_links", "edit"] as const;
const COUNTED_ACTIONS = ["auto_hide", "review_approve", "review_reject", "appeal", "appeal_overturn", "appeal_uphold"] as const;

/**
 * Public moderation figures per month (in the city's time zone) and per flag reason: counts
 * only, no names, no text. Three grouped queries whatever the volume, on either engine.
 */
export async function transparencyFigures(db: AppDb, timeZone: string, now = new Date()): Promise<MonthFigures[]> {
  const { flags, moderationLog, reviewItems } = tables(db);
  const offsetMinutes = timeZoneOffset(timeZone, now);
  const since = new Date(now.getTime() - 400 * 86_400_000);
  const months = new Map<string, MonthFigures>();
  const get = (month: string) => {
    let m = months.get(month);
    if (!m) {
      m = emptyMonth(month);
      months.set(month, m);
    }
    return m;
  };
  const heldMonth = monthOf(db, reviewItems.createdAt, offsetMinutes);
  const held = await db
    .select({ month: heldMonth, n: count() })
    .from(reviewItems)
    .where(and(gte(reviewItems.createdAt, since), reasonsIncludeAny(db, reviewItems.reasons, HELD_REASONS)))
    .groupBy(heldMonth);
  for (const r of held) get(r.month).held = r.n;
  const logMonth = monthOf(db, moderationLog.createdAt, offsetMinutes);
  const actions = await db
    .select({ month: logMonth, action: moderationLog.action, n: count() })
    .from(moderationLog)
    .where(and(gte(moderationLog.createdAt, since), inArray(moderationLog.action, [...COUNTED_ACTIONS])))
    .groupBy(logMonth, moderationLog.action);
  for (const r of actions) {
    const m = get(r.month);
    if (r.action === "auto_hide") m.hidden += r.n;
    if (r.action === "review_approve") m.approved += r.n;
    if (r.action === "review_reject") m.rejected += r.n;
    if (r.action === "appeal") m.appealed += r.n;
    if (r.action === "appeal_overturn") {
      m.overturned += r.n;
      m.approved += r.n;
    }
    if (r.action === "appeal_uphold") m.rejected += r.n;
  }
  const flagMonth = monthOf(db, flags.createdAt, offsetMinutes);
  const flagRows = await db
    .select({ month: flagMonth, reason: flags.reason, n: count() })
    .from(flags)
    .where(gte(flags.createdAt, since))
    .groupBy(flagMonth, flags.reason);
  for (const r of flagRows) get(r.month).flagsByReason[r.reason] = r.n;
  return [...months.values()].sort((a, b) => b.month.localeCompare(a.month)).slice(0, TRANSPARENCY_MONTHS);
}

function timeZoneOffset(timeZone: string, at: Date): number {
  const local = new Date(at.toLocaleString("en-US", { timeZone }));
  const utc = new Date(at.toLocaleString("en-US", { timeZone: "UTC" }));
  return Math.round((local.getTime() - utc.getTime()) / 60000);
}

/** The last TRANSPARENCY_MONTHS months ("2026-03", newest first) in the city's time zone. */
export function lastMonths(timeZone: string, now = new Date()): string[] {
  const local = new Date(now.getTime() + timeZoneOffset(timeZone, now) * 60000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  return Array.from({ length: TRANSPARENCY_MONTHS }, (_, i) => {
    const d = new Date(Date.UTC(year, month - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}
