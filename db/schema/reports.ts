import { sqliteTable, integer, text, real, uniqueIndex, check } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { inList, timestamp } from "./columns";
import { projects } from "./projects";

export const THEME_RUN_STATUSES = ["computing", "done", "failed"] as const;
export type ThemeRunStatus = (typeof THEME_RUN_STATUSES)[number];

/**
 * One row per project whose themes were ever computed: the state of the last computation, its
 * progress while it runs (the report page polls it), and what it covered, so the page can say
 * when the themes were computed, over how many comments, and whether newer comments exist.
 */
export const reportThemeRuns = sqliteTable(
  "report_theme_runs",
  {
    projectId: integer("project_id")
      .primaryKey()
      .references(() => projects.id),
    status: text("status", { enum: THEME_RUN_STATUSES }).notNull(),
    /** Comments read so far by a running computation, of `total`. */
    processed: integer("processed").notNull().default(0),
    total: integer("total").notNull().default(0),
    startedAt: timestamp("started_at").notNull(),
    /** When the stored themes were computed (null before the first computation ends). */
    computedAt: timestamp("computed_at"),
    /** How many published comments the stored themes were computed over. */
    commentCount: integer("comment_count").notNull().default(0),
    /** The newest comment id they covered. */
    lastCommentId: integer("last_comment_id").notNull().default(0),
    /**
     * Published comments, threads and proposals of the project when the run started (a count the
     * indexes answer at once): when it differs now, something was published or hidden since.
     */
    publishedCount: integer("published_count").notNull().default(0),
  },
  () => [
    check("report_theme_runs_status_check", inList("status", THEME_RUN_STATUSES)),
    check("report_theme_runs_progress_check", sql`processed >= 0 and total >= 0`),
  ],
);

export interface ThemeQuote {
  /** A comment, a thread's opening post or a proposal. */
  kind: "comment" | "thread" | "proposal";
  id: number;
  /** Plain text, trimmed at a word boundary; re-checked against the content's visibility when shown. */
  excerpt: string;
}

/** The recurring topics of a project's published comments, computed offline from their text. */
export const reportThemes = sqliteTable(
  "report_themes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    rank: integer("rank").notNull(),
    label: text("label").notNull(),
    /** The words and two-word phrases that make up the theme, strongest first. */
    terms: text("terms", { mode: "json" }).$type<string[]>().notNull(),
    /** Sum of the terms' log-odds z-scores against the rest of the city's comments. */
    weight: real("weight").notNull(),
    commentCount: integer("comment_count").notNull(),
    stanceSupport: integer("stance_support").notNull().default(0),
    stanceOppose: integer("stance_oppose").notNull().default(0),
    stanceNeutral: integer("stance_neutral").notNull().default(0),
    stanceNone: integer("stance_none").notNull().default(0),
    quotes: text("quotes", { mode: "json" }).$type<ThemeQuote[]>().notNull(),
    /** How many published comments the computation read (the theme's share is commentCount / corpusSize). */
    corpusSize: integer("corpus_size").notNull(),
    computedAt: timestamp("computed_at").notNull(),
  },
  (t) => [
    // The report lists a project's themes in rank order.
    uniqueIndex("report_themes_project_rank_unique").on(t.projectId, t.rank),
    check("report_themes_counts_check", sql`comment_count >= 0 and corpus_size >= 0`),
  ],
);

export type ReportTheme = typeof reportThemes.$inferSelect;
export type ReportThemeRun = typeof reportThemeRuns.$inferSelect;
