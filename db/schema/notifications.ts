import { sqliteTable, integer, text, index, check } from "drizzle-orm/sqlite-core";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { projects } from "./projects";
import { NOTIFICATION_KINDS } from "./values";
export { NOTIFICATION_KINDS } from "./values";
export type { NotificationKind } from "./values";

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    projectId: integer("project_id").references(() => projects.id),
    /** Where the notification leads, a same-site path. */
    link: text("link").notNull(),
    /** Parameters for the translated message (titles, phase names), never another person's e-mail. */
    params: text("params", { mode: "json" }).$type<Record<string, string>>().notNull(),
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
