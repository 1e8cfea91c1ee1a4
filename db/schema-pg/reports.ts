// The PostgreSQL twin of db/schema/reports.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, jsonb, text, doublePrecision, uniqueIndex, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { inList, timestamp } from "./columns";
import { projects } from "./projects";
import { THEME_RUN_STATUSES, type ThemeQuote } from "../schema/reports";
export { THEME_RUN_STATUSES } from "../schema/reports";
export type { ThemeRunStatus, ThemeQuote } from "../schema/reports";

export const reportThemeRuns = pgTable(
  "report_theme_runs",
  {
    projectId: integer("project_id")
      .primaryKey()
      .references(() => projects.id),
    status: text("status", { enum: THEME_RUN_STATUSES }).notNull(),
    processed: integer("processed").notNull().default(0),
    total: integer("total").notNull().default(0),
    startedAt: timestamp("started_at").notNull(),
    computedAt: timestamp("computed_at"),
    commentCount: integer("comment_count").notNull().default(0),
    lastCommentId: integer("last_comment_id").notNull().default(0),
    publishedCount: integer("published_count").notNull().default(0),
  },
  () => [
    check("report_theme_runs_status_check", inList("status", THEME_RUN_STATUSES)),
    check("report_theme_runs_progress_check", sql`processed >= 0 and total >= 0`),
  ],
);

export const reportThemes = pgTable(
  "report_themes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    rank: integer("rank").notNull(),
    label: text("label").notNull(),
    terms: jsonb("terms").$type<string[]>().notNull(),
    weight: doublePrecision("weight").notNull(),
    commentCount: integer("comment_count").notNull(),
    stanceSupport: integer("stance_support").notNull().default(0),
    stanceOppose: integer("stance_oppose").notNull().default(0),
    stanceNeutral: integer("stance_neutral").notNull().default(0),
    stanceNone: integer("stance_none").notNull().default(0),
    quotes: jsonb("quotes").$type<ThemeQuote[]>().notNull(),
    corpusSize: integer("corpus_size").notNull(),
    computedAt: timestamp("computed_at").notNull(),
  },
  (t) => [
    uniqueIndex("report_themes_project_rank_unique").on(t.projectId, t.rank),
    check("report_themes_counts_check", sql`comment_count >= 0 and corpus_size >= 0`),
  ],
);

export type ReportTheme = typeof reportThemes.$inferSelect;
export type ReportThemeRun = typeof reportThemeRuns.$inferSelect;
