// The PostgreSQL twin of db/schema/proposals.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, index, check, primaryKey } from "drizzle-orm/pg-core";
import { createdAt, inList, timestamp, visibility, VISIBILITIES } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { PROPOSAL_STATUSES } from "../schema/values";
export { PROPOSAL_STATUSES } from "../schema/values";
export type { ProposalStatus } from "../schema/values";

export const proposals = pgTable(
  "proposals",
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
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull().default("open"),
    visibility: visibility(),
    answerSource: text("answer_source"),
    answerHtml: text("answer_html"),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: timestamp("answered_at"),
    supportCount: integer("support_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("proposals_project_list_idx").on(t.projectId, t.visibility, t.supportCount),
    index("proposals_author_idx").on(t.authorId, t.createdAt),
    index("proposals_answered_by_idx").on(t.answeredBy),
    check("proposals_status_check", inList("status", PROPOSAL_STATUSES)),
    check("proposals_visibility_check", inList("visibility", VISIBILITIES)),
  ],
);

export const proposalRevisions = pgTable(
  "proposal_revisions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id),
    editorId: integer("editor_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    bodySource: text("body_source").notNull(),
    bodyHtml: text("body_html").notNull(),
    visibility: visibility(),
    createdAt: createdAt(),
  },
  (t) => [
    index("proposal_revisions_proposal_idx").on(t.proposalId, t.createdAt),
    index("proposal_revisions_editor_idx").on(t.editorId),
    check("proposal_revisions_visibility_check", inList("visibility", VISIBILITIES)),
  ],
);

export const supports = pgTable(
  "supports",
  {
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.userId] }),
    index("supports_user_project_idx").on(t.userId, t.projectId),
    index("supports_project_idx").on(t.projectId),
  ],
);

export type Proposal = typeof proposals.$inferSelect;
