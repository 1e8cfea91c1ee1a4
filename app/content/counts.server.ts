import { eq, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { comments, projects, threads, users, type Comment } from "~db/schema";

/** Keeps thread, project and parent counts in step when a comment enters or leaves "published". */
export function adjustCommentCounts(db: Db, comment: Pick<Comment, "threadId" | "projectId" | "parentId">, delta: 1 | -1) {
  db.update(threads)
    .set({ commentCount: sql`${threads.commentCount} + ${delta}` })
    .where(eq(threads.id, comment.threadId))
    .run();
  db.update(projects)
    .set({ commentCount: sql`${projects.commentCount} + ${delta}` })
    .where(eq(projects.id, comment.projectId))
    .run();
  if (comment.parentId)
    db.update(comments)
      .set({ replyCount: sql`${comments.replyCount} + ${delta}` })
      .where(eq(comments.id, comment.parentId))
      .run();
}

/** A user's published contributions: what screening's "first N contributions" counts. */
export function countContribution(db: Db, userId: number, delta: 1 | -1) {
  db.update(users)
    .set({ contributionCount: sql`${users.contributionCount} + ${delta}` })
    .where(eq(users.id, userId))
    .run();
}

/** A thread's latest activity (a comment published in it): the latest moment, never moved back by an earlier one. */
export function touchThread(db: Db, threadId: number, at: Date) {
  db.update(threads)
    .set({ lastActivityAt: sql`max(coalesce(${threads.lastActivityAt}, 0), ${at.getTime()})` })
    .where(eq(threads.id, threadId))
    .run();
}

/** Records activity for the "most active" sort: the latest moment, never moved back by an earlier one. */
export function touchProject(db: Db, projectId: number, now = new Date()) {
  db.update(projects)
    .set({ lastActivityAt: sql`max(coalesce(${projects.lastActivityAt}, 0), ${now.getTime()})` })
    .where(eq(projects.id, projectId))
    .run();
}
