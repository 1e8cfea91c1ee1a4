// The PostgreSQL twin of db/schema/moderation.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, jsonb, text, index, uniqueIndex, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { TARGET_TYPES, FLAG_REASONS, FLAG_STATUSES, REVIEW_STATUSES, LOG_ACTIONS, LOG_TARGET_TYPES, type ReviewReason } from "../schema/values";
export { TARGET_TYPES, FLAG_REASONS, FLAG_STATUSES, REVIEW_STATUSES, REVIEW_REASONS, LOG_ACTIONS, LOG_TARGET_TYPES } from "../schema/values";
export type { TargetType, FlagReason, ReviewStatus, ReviewReason, LogAction, LogTargetType } from "../schema/values";

export const flags = pgTable(
  "flags",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    targetType: text("target_type", { enum: TARGET_TYPES }).notNull(),
    targetId: integer("target_id").notNull(),
    projectId: integer("project_id").references(() => projects.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason", { enum: FLAG_REASONS }).notNull(),
    note: text("note"),
    weight: integer("weight").notNull().default(1),
    status: text("status", { enum: FLAG_STATUSES }).notNull().default("open"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("flags_target_user_unique").on(t.targetType, t.targetId, t.userId),
    index("flags_user_idx").on(t.userId, t.createdAt),
    index("flags_project_idx").on(t.projectId),
    check("flags_target_type_check", inList("target_type", TARGET_TYPES)),
    check("flags_reason_check", inList("reason", FLAG_REASONS)),
    check("flags_status_check", inList("status", FLAG_STATUSES)),
    check("flags_note_length_check", sql`note is null or length(note) <= 500`),
  ],
);

export const reviewItems = pgTable(
  "review_items",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    targetType: text("target_type", { enum: TARGET_TYPES }).notNull(),
    targetId: integer("target_id").notNull(),
    projectId: integer("project_id").references(() => projects.id),
    authorId: integer("author_id").references(() => users.id),
    reasons: jsonb("reasons").$type<ReviewReason[]>().notNull().default([]),
    score: integer("score").notNull().default(0),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("open"),
    version: integer("version").notNull().default(0),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at"),
    decisionReason: text("decision_reason"),
    appealText: text("appeal_text"),
    appealedAt: timestamp("appealed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("review_items_open_target_unique")
      .on(t.targetType, t.targetId)
      .where(sql`status = 'open'`),
    index("review_items_queue_idx").on(t.status, t.score, t.createdAt),
    index("review_items_target_idx").on(t.targetType, t.targetId),
    index("review_items_project_idx").on(t.projectId),
    index("review_items_author_idx").on(t.authorId),
    index("review_items_decided_by_idx").on(t.decidedBy),
    check("review_items_target_type_check", inList("target_type", TARGET_TYPES)),
    check("review_items_status_check", inList("status", REVIEW_STATUSES)),
  ],
);

export const moderationLog = pgTable(
  "moderation_log",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    actorId: integer("actor_id").references(() => users.id),
    action: text("action", { enum: LOG_ACTIONS }).notNull(),
    targetType: text("target_type", { enum: LOG_TARGET_TYPES }).notNull(),
    targetId: text("target_id"),
    reason: text("reason"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("moderation_log_created_idx").on(t.createdAt),
    index("moderation_log_actor_idx").on(t.actorId, t.createdAt),
    index("moderation_log_action_idx").on(t.action, t.createdAt),
    index("moderation_log_target_idx").on(t.targetType, t.targetId),
    check("moderation_log_action_check", inList("action", LOG_ACTIONS)),
    check("moderation_log_target_type_check", inList("target_type", LOG_TARGET_TYPES)),
  ],
);

export type ReviewItem = typeof reviewItems.$inferSelect;
export type ModerationLogEntry = typeof moderationLog.$inferSelect;
