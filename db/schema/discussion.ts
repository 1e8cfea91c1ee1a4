import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp, visibility, VISIBILITIES } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { proposals } from "./proposals";
import { STANCES } from "./values";
export { STANCES } from "./values";
export type { Stance } from "./values";

export const threads = sqliteTable(
  "threads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    locked: integer("locked", { mode: "boolean" }).notNull().default(false),
    /** Set when the thread is the discussion of a proposal; a proposal has at most one. */
    proposalId: integer("proposal_id").references(() => proposals.id),
    commentCount: integer("comment_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at"),
    editedAt: timestamp("edited_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // A project's thread list: pinned first, then latest activity, published only.
    index("threads_project_list_idx").on(t.projectId, t.visibility, t.pinned, t.lastActivityAt),
    index("threads_author_idx").on(t.authorId, t.createdAt),
    // One discussion thread per proposal; also serves the foreign key.
    uniqueIndex("threads_proposal_unique")
      .on(t.proposalId)
      .where(sql`proposal_id is not null`),
    check("threads_visibility_check", inList("visibility", VISIBILITIES)),
  ],
);

export const comments = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    threadId: integer("thread_id")
      .notNull()
      .references(() => threads.id),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    parentId: integer("parent_id").references((): AnySQLiteColumn => comments.id),
    /** 0 for a top-level comment; replies deeper than 2 are stored at depth 2 under the third level. */
    depth: integer("depth").notNull().default(0),
    /**
     * Orders a thread's comments for display: the parent's key plus this comment's zero-padded id,
     * so replies follow their parent; past the third level replies share their ancestor's prefix.
     */
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
    // A thread's comments in display order, paginated.
    index("comments_thread_sort_idx").on(t.threadId, t.sortKey),
    index("comments_project_idx").on(t.projectId, t.visibility, t.createdAt),
    index("comments_author_idx").on(t.authorId, t.createdAt),
    index("comments_parent_idx").on(t.parentId),
    check("comments_visibility_check", inList("visibility", VISIBILITIES)),
    check("comments_stance_check", sql`stance is null or ${inList("stance", STANCES)}`),
    check("comments_depth_check", sql`depth between 0 and 2`),
  ],
);

export const commentRevisions = sqliteTable(
  "comment_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
