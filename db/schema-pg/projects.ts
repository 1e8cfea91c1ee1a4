// The PostgreSQL twin of db/schema/projects.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, bigint, boolean, text, doublePrecision, index, uniqueIndex, check, primaryKey } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { areas } from "./areas";
import { users } from "./accounts";
import { PHASES, OUTCOMES, CATEGORIES, UPDATE_KINDS } from "../schema/values";
export { PHASES, OUTCOMES, CATEGORIES, UPDATE_KINDS } from "../schema/values";
export type { Phase, Outcome, Category } from "../schema/values";

export const projects = pgTable(
  "projects",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    category: text("category", { enum: CATEGORIES }).notNull(),
    areaId: integer("area_id")
      .notNull()
      .references(() => areas.id),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    // Rupiah amounts pass 2^31 (a 2.2 billion rupiah road), so a bigint, read as a JS number like SQLite's INTEGER.
    budgetRupiah: bigint("budget_rupiah", { mode: "number" }).notNull().default(0),
    phase: text("phase", { enum: PHASES }).notNull().default("draft"),
    outcome: text("outcome", { enum: OUTCOMES }),
    outcomeReason: text("outcome_reason"),
    consultationOpensAt: timestamp("consultation_opens_at"),
    consultationClosesAt: timestamp("consultation_closes_at"),
    createdBy: integer("created_by").references(() => users.id),
    votesSupport: integer("votes_support").notNull().default(0),
    votesOppose: integer("votes_oppose").notNull().default(0),
    votesAbstain: integer("votes_abstain").notNull().default(0),
    threadCount: integer("thread_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    proposalCount: integer("proposal_count").notNull().default(0),
    followerCount: integer("follower_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at"),
    publishedAt: timestamp("published_at"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at"),
  },
  (t) => [
    uniqueIndex("projects_slug_unique").on(t.slug),
    index("projects_phase_closes_idx").on(t.phase, t.consultationClosesAt),
    index("projects_phase_activity_idx").on(t.phase, t.lastActivityAt),
    index("projects_phase_created_idx").on(t.phase, t.createdAt),
    index("projects_area_idx").on(t.areaId),
    index("projects_category_idx").on(t.category, t.phase),
    index("projects_created_by_idx").on(t.createdBy),
    check("projects_phase_check", inList("phase", PHASES)),
    check("projects_category_check", inList("category", CATEGORIES)),
    check("projects_outcome_check", sql`outcome is null or outcome in ('approved', 'rejected', 'deferred')`),
    check("projects_decided_outcome_check", sql`phase <> 'decided' or outcome is not null`),
    check("projects_budget_check", sql`budget_rupiah >= 0`),
    check("projects_window_check", sql`consultation_opens_at is null or consultation_closes_at is null or consultation_opens_at < consultation_closes_at`),
    check("projects_lat_check", sql`lat is null or (lat between -90 and 90)`),
    check("projects_lng_check", sql`lng is null or (lng between -180 and 180)`),
  ],
);

export const projectUpdates = pgTable(
  "project_updates",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    authorId: integer("author_id").references(() => users.id),
    kind: text("kind", { enum: UPDATE_KINDS }).notNull().default("update"),
    fromPhase: text("from_phase", { enum: PHASES }),
    toPhase: text("to_phase", { enum: PHASES }),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("project_updates_project_idx").on(t.projectId, t.createdAt),
    index("project_updates_author_idx").on(t.authorId),
    check("project_updates_kind_check", inList("kind", UPDATE_KINDS)),
  ],
);

export const follows = pgTable(
  "follows",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.projectId] }), index("follows_project_idx").on(t.projectId, t.active)],
);

export type Project = typeof projects.$inferSelect;
export type ProjectUpdate = typeof projectUpdates.$inferSelect;
