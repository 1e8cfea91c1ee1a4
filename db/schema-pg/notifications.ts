// The PostgreSQL twin of db/schema/notifications.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, jsonb, text, index, check } from "drizzle-orm/pg-core";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { NOTIFICATION_KINDS } from "../schema/values";
export { NOTIFICATION_KINDS } from "../schema/values";
export type { NotificationKind } from "../schema/values";

export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    projectId: integer("project_id").references(() => projects.id),
    link: text("link").notNull(),
    params: jsonb("params").$type<Record<string, string>>().notNull(),
    readAt: timestamp("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.createdAt),
    index("notifications_user_unread_idx").on(t.userId, t.readAt),
    index("notifications_project_idx").on(t.projectId),
    check("notifications_kind_check", inList("kind", NOTIFICATION_KINDS)),
  ],
);

export type Notification = typeof notifications.$inferSelect;
