import { and, asc, eq } from "drizzle-orm";
import type { AppDb } from "../../db/engine";
import {
  comments,
  moderationLog,
  notifications,
  projects,
  proposals,
  reviewItems,
  threads,
  users,
  type LogTargetType,
  type NotificationKind,
  type TargetType,
  type User,
} from "../../db/schema";
import { makeProject, makeUser, reloadUser } from "./factories";
import { makeComment, makeThread } from "./more-factories";

/** An account made just now that has published nothing yet: screening holds its first contributions. */
export const makeNewAuthor = (db: AppDb, overrides: Parameters<typeof makeUser>[1] = {}) =>
  makeUser(db, { contributionCount: 0, createdAt: new Date(), ...overrides });

/** Published contributions an established account has behind it: more than any premoderationCount the tests set. */
export const ESTABLISHED_HISTORY = 5;
const archives = new WeakMap<AppDb, { id: number; projectId: number }>();

/**
 * An account with a real history of published comments (in a thread of a draft project, which no
 * public list, search or report of the tests' projects shows), so screening does not hold its
 * posts and its stored contribution count is what its rows say.
 */
export async function makeEstablishedUser(db: AppDb, overrides: Parameters<typeof makeUser>[1] = {}): Promise<User> {
  const user = await makeUser(db, overrides);
  let archive = archives.get(db);
  if (!archive) {
    const opener = await makeUser(db);
    const project = await makeProject(db, { phase: "draft", title: "Arsip uji" });
    const thread = await makeThread(db, opener.id, project.id);
    archive = { id: thread.id, projectId: thread.projectId };
    archives.set(db, archive);
  }
  for (let i = 0; i < ESTABLISHED_HISTORY; i++) await makeComment(db, archive, user.id, { bodySource: `Riwayat ${i + 1}` });
  return reloadUser(db, user.id);
}

/** Every review item about one piece of content, oldest first. */
export const reviewItemsFor = async (db: AppDb, type: TargetType, id: number) =>
  db
    .select()
    .from(reviewItems)
    .where(and(eq(reviewItems.targetType, type), eq(reviewItems.targetId, id)))
    .orderBy(asc(reviewItems.id));

/** The open review item about one piece of content (there is at most one). */
export async function openItemFor(db: AppDb, type: TargetType, id: number) {
  const open = (await reviewItemsFor(db, type, id)).filter((i) => i.status === "open");
  if (open.length !== 1) throw new Error(`expected one open review item for ${type} ${id}, found ${open.length}`);
  return open[0]!;
}

export const notificationsOf = async (db: AppDb, userId: number, kind: NotificationKind) =>
  db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)))
    .orderBy(asc(notifications.id));

/** Log rows about one target, oldest first. */
export const logRowsFor = async (db: AppDb, targetType: LogTargetType, targetId: number | string) =>
  db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, targetType), eq(moderationLog.targetId, String(targetId))))
    .orderBy(asc(moderationLog.id));

const first = async <T>(rows: PromiseLike<T[]>): Promise<T> => (await rows)[0]!;
export const userRow = (db: AppDb, id: number): Promise<User> => first(db.select().from(users).where(eq(users.id, id)).limit(1));
export const projectRow = (db: AppDb, id: number) => first(db.select().from(projects).where(eq(projects.id, id)).limit(1));
export const threadRow = (db: AppDb, id: number) => first(db.select().from(threads).where(eq(threads.id, id)).limit(1));
export const commentRow = (db: AppDb, id: number) => first(db.select().from(comments).where(eq(comments.id, id)).limit(1));
export const proposalRow = (db: AppDb, id: number) => first(db.select().from(proposals).where(eq(proposals.id, id)).limit(1));
