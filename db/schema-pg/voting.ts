// The PostgreSQL twin of db/schema/voting.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, index, uniqueIndex, check } from "drizzle-orm/pg-core";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { CHOICES } from "../schema/values";
export { CHOICES } from "../schema/values";
export type { Choice } from "../schema/values";

export const votes = pgTable(
  "votes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    userId: integer("user_id").references(() => users.id),
    choice: text("choice", { enum: CHOICES }).notNull(),
    areaId: integer("area_id"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at"),
  },
  (t) => [
    uniqueIndex("votes_project_user_unique").on(t.projectId, t.userId),
    index("votes_user_idx").on(t.userId),
    index("votes_project_area_idx").on(t.projectId, t.areaId, t.choice),
    check("votes_choice_check", inList("choice", CHOICES)),
  ],
);

export type Vote = typeof votes.$inferSelect;
