import { sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { FLAG_REASONS, type FlagReason } from "~db/schema";

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
 * Public moderation figures per month (in the city's time zone) and per flag reason: counts
 * only, no names, no text. Four grouped queries whatever the volume.
 */
export function transparencyFigures(db: Db, timeZone: string, now = new Date()): MonthFigures[] {
  const offsetMinutes = timeZoneOffset(timeZone, now);
  const monthExpr = (column: string) => sql.raw(`strftime('%Y-%m', (${column} / 1000) + ${offsetMinutes * 60}, 'unixepoch')`);
  const since = new Date(now.getTime() - 400 * 86_400_000).getTime();
  const months = new Map<string, MonthFigures>();
  const get = (month: string) => {
    let m = months.get(month);
    if (!m) {
      m = emptyMonth(month);
      months.set(month, m);
    }
    return m;
  };
  const held = db.all<{ month: string; n: number }>(sql`
    select ${monthExpr("created_at")} as month, count(*) as n from review_items
    where created_at >= ${since} and exists (select 1 from json_each(reasons) where value in ('new_author', 'blocked_word', 'too_many_links', 'edit'))
    group by month`);
  for (const r of held) get(r.month).held = r.n;
  const actions = db.all<{ month: string; action: string; n: number }>(sql`
    select ${monthExpr("created_at")} as month, action, count(*) as n from moderation_log
    where created_at >= ${since} and action in ('auto_hide', 'review_approve', 'review_reject', 'appeal', 'appeal_overturn', 'appeal_uphold')
    group by month, action`);
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
  const flagRows = db.all<{ month: string; reason: FlagReason; n: number }>(sql`
    select ${monthExpr("created_at")} as month, reason, count(*) as n from flags where created_at >= ${since} group by month, reason`);
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
