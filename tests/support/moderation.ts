import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { comments, moderationLog, notifications, projects, proposals, reviewItems, threads, users, type NotificationKind, type TargetType, type User } from "../../db/schema";
import { makeUser } from "./factories";

/** An account made just now that has published nothing yet: screening holds its first contributions. */
export const makeNewAuthor = (db: Db, overrides: Parameters<typeof makeUser>[1] = {}) => makeUser(db, { contributionCount: 0, createdAt: new Date(), ...overrides });

/** Every review item about one piece of content, oldest first. */
export const reviewItemsFor = (db: Db, type: TargetType, id: number) =>
  db.select().from(reviewItems).where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id))).orderBy(asc(reviewItems.id)).all();

/** The open review item about one piece of content (there is at most one). */
export function openItemFor(db: Db, type: TargetType, id: number) {
  const open = reviewItemsFor(db, type, id).filter((i) => i.status === "open");
  if (open.length !== 1) throw new Error(`expected one open review item for ${type} ${id}, found ${open.length}`);
  return open[0]!;
}

export const notificationsOf = (db: Db, userId: number, kind: NotificationKind) =>
  db.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, kind))).orderBy(asc(notifications.id)).all();

/** Log rows about one target, oldest first. */
export const logRowsFor = (db: Db, targetType: string, targetId: number | string) =>
  db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, targetType), eq(moderationLog.targetId, String(targetId))))
    .orderBy(asc(moderationLog.id))
    .all();

export const userRow = (db: Db, id: number): User => db.select().from(users).where(eq(users.id, id)).get()!;
export const projectRow = (db: Db, id: number) => db.select().from(projects).where(eq(projects.id, id)).get()!;
export const threadRow = (db: Db, id: number) => db.select().from(threads).where(eq(threads.id, id)).get()!;
export const commentRow = (db: Db, id: number) => db.select().from(comments).where(eq(comments.id, id)).get()!;
export const proposalRow = (db: Db, id: number) => db.select().from(proposals).where(eq(proposals.id, id)).get()!;
