// The PostgreSQL twin of db/schema/discussion.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, boolean, index, uniqueIndex, check, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp, visibility, VISIBILITIES } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { proposals } from "./proposals";
import { STANCES } from "../schema/values";
export { STANCES } from "../schema/values";
export type { Stance } from "../schema/values";

export const threads = pgTable(
  "threads",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    visibility: visibility(),
    pinned: boolean("pinned").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    proposalId: integer("proposal_id").references(() => proposals.id),
    commentCount: integer("comment_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at"),
    editedAt: timestamp("edited_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("threads_project_list_idx").on(t.projectId, t.visibility, t.pinned, t.lastActivityAt),
    index("threads_author_idx").on(t.authorId, t.createdAt),
    uniqueIndex("threads_proposal_unique")
      .on(t.proposalId)
      .where(sql`proposal_id is not null`),
    check("threads_visibility_check", inList("visibility", VISIBILITIES)),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    parentId: integer("parent_id").references((): AnyPgColumn => comments.id),
    depth: integer("depth").notNull().default(0),
    sortKey: text("sort_key").notNull(),
    stance: text("stance", { enum: STANCES }),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    visibility: visibility(),
    replyCount: integer("reply_count").notNull().default(0),
    editedAt: timestamp("edited_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("comments_thread_sort_idx").on(t.threadId, t.sortKey),
    index("comments_project_idx").on(t.projectId, t.visibility, t.createdAt),
    index("comments_author_idx").on(t.authorId, t.createdAt),
    index("comments_parent_idx").on(t.parentId),
    check("comments_visibility_check", inList("visibility", VISIBILITIES)),
    check("comments_stance_check", sql`stance is null or ${inList("stance", STANCES)}`),
    check("comments_depth_check", sql`depth between 0 and 2`),
  ],
);

export const commentRevisions = pgTable(
  "comment_revisions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    commentId: integer("comment_id")
      .notNull()
      .references(() => comments.id),
    editorId: integer("editor_id")
      .notNull()
      .references(() => users.id),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    visibility: visibility(),
    createdAt: createdAt(),
  },
  (t) => [
    index("comment_revisions_comment_idx").on(t.commentId, t.createdAt),
    index("comment_revisions_editor_idx").on(t.editorId),
    check("comment_revisions_visibility_check", inList("visibility", VISIBILITIES)),
  ],
);

export type Thread = typeof threads.$inferSelect;
export type Comment = typeof comments.$inferSelect;
