import { eq, sql, type SQL } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import type { Comment } from "~db/schema";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * The later of a timestamp column and `at`, as SQL on both engines (a `case`, not SQLite's scalar
 * `max` or PostgreSQL's `greatest`): a latest-activity moment is never moved back by an earlier one.
 */
function latest(column: SQLiteColumn, at: Date): SQL {
  const moment = sql.param(at, column);
  return sql`case when ${column} is null or ${column} < ${moment} then ${moment} else ${column} end`;
}

/** Keeps thread, project and parent counts in step when a comment enters or leaves "published" (in the caller's transaction). */
export async function adjustCommentCounts(db: AppDb, comment: Pick<Comment, "threadId" | "projectId" | "parentId">, delta: 1 | -1): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { comments, projects, threads } = tables(tx);
    await tx
      .update(threads)
      .set({ commentCount: sql`${threads.commentCount} + ${delta}` })
      .where(eq(threads.id, comment.threadId));
    await tx
      .update(projects)
      .set({ commentCount: sql`${projects.commentCount} + ${delta}` })
      .where(eq(projects.id, comment.projectId));
    if (comment.parentId)
      await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + ${delta}` })
        .where(eq(comments.id, comment.parentId));
  });
}

/** A user's published contributions: what screening's "first N contributions" counts. */
export async function countContribution(db: AppDb, userId: number, delta: 1 | -1): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    await tx
      .update(users)
      .set({ contributionCount: sql`${users.contributionCount} + ${delta}` })
      .where(eq(users.id, userId));
  });
}

/** A thread's latest activity (a comment published in it): the latest moment, never moved back by an earlier one. */
export async function touchThread(db: AppDb, threadId: number, at: Date): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { threads } = tables(tx);
    await tx
      .update(threads)
      .set({ lastActivityAt: latest(threads.lastActivityAt, at) })
      .where(eq(threads.id, threadId));
  });
}

/** Records activity for the "most active" sort: the latest moment, never moved back by an earlier one. */
export async function touchProject(db: AppDb, projectId: number, now = new Date()): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { projects } = tables(tx);
    await tx
      .update(projects)
      .set({ lastActivityAt: latest(projects.lastActivityAt, now) })
      .where(eq(projects.id, projectId));
  });
}
