import { sqliteTable, integer, text, index, uniqueIndex, check } from "drizzle-orm/sqlite-core";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { CHOICES } from "./values";
export { CHOICES } from "./values";
export type { Choice } from "./values";

/** Ballots are secret: only tallies (stored on projects) ever leave the voting domain. */
export const votes = sqliteTable(
  "votes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    /** Null once the voter erased their account: the ballot stays counted but unlinkable. */
    userId: integer("user_id").references(() => users.id),
    choice: text("choice", { enum: CHOICES }).notNull(),
    /** Area of the voter at casting time, for breakdowns by area without joining users. */
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
