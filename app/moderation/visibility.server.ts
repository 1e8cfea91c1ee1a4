import { eq, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { comments, projects, proposals, threads, type TargetType, type Visibility } from "~db/schema";
import { adjustCommentCounts, countContribution, touchProject, touchThread } from "~/content/counts.server";

export interface ModeratedContent {
  type: TargetType;
  id: number;
  projectId: number;
  authorId: number;
  visibility: Visibility;
  /** Text for review and for duplicate checks: title and body. */
  title: string | null;
  bodySource: string;
  bodyHtml: string;
  createdAt: Date;
  threadId: number | null;
  parentId: number | null;
  proposalId: number | null;
}

export function loadContent(db: Db, type: TargetType, id: number): ModeratedContent | null {
  if (type === "comment") {
    const c = db.select().from(comments).where(eq(comments.id, id)).get();
    return c
      ? {
          type,
          id,
          projectId: c.projectId,
          authorId: c.authorId,
          visibility: c.visibility,
          title: null,
          bodySource: c.bodySource,
          bodyHtml: c.bodyHtml,
          createdAt: c.createdAt,
          threadId: c.threadId,
          parentId: c.parentId,
          proposalId: null,
        }
      : null;
  }
  if (type === "thread") {
    const t = db.select().from(threads).where(eq(threads.id, id)).get();
    return t
      ? {
          type,
          id,
          projectId: t.projectId,
          authorId: t.authorId,
          visibility: t.visibility,
          title: t.title,
          bodySource: t.bodySource,
          bodyHtml: t.bodyHtml,
          createdAt: t.createdAt,
          threadId: t.id,
          parentId: null,
          proposalId: t.proposalId,
        }
      : null;
  }
  const p = db.select().from(proposals).where(eq(proposals.id, id)).get();
  return p
    ? {
        type,
        id,
        projectId: p.projectId,
        authorId: p.authorId,
        visibility: p.visibility,
        title: p.title,
        bodySource: p.bodySource,
        bodyHtml: p.bodyHtml,
        createdAt: p.createdAt,
        threadId: null,
        parentId: null,
        proposalId: p.id,
      }
    : null;
}

/**
 * Moves content to another moderation visibility and keeps every stored count in step: the
 * thread, project and parent counts, and the author's published contributions. Search follows
 * through the FTS triggers. Call inside the caller's transaction.
 */
export function setVisibility(db: Db, content: ModeratedContent, to: Visibility) {
  const from = content.visibility;
  if (from === to) return;
  const wasPublic = from === "published";
  const isPublic = to === "published";
  if (content.type === "comment") {
    db.update(comments).set({ visibility: to }).where(eq(comments.id, content.id)).run();
    if (wasPublic !== isPublic)
      adjustCommentCounts(db, { threadId: content.threadId!, projectId: content.projectId, parentId: content.parentId }, isPublic ? 1 : -1);
    // A comment published now (approved, or restored) is activity of the moment it was written.
    if (isPublic && !wasPublic) {
      touchThread(db, content.threadId!, content.createdAt);
      touchProject(db, content.projectId, content.createdAt);
    }
  } else if (content.type === "thread") {
    db.update(threads).set({ visibility: to }).where(eq(threads.id, content.id)).run();
    if (wasPublic !== isPublic && !content.proposalId) {
      db.update(projects)
        .set({ threadCount: sql`${projects.threadCount} + ${isPublic ? 1 : -1}` })
        .where(eq(projects.id, content.projectId))
        .run();
    }
  } else {
    db.update(proposals).set({ visibility: to }).where(eq(proposals.id, content.id)).run();
    if (wasPublic !== isPublic) {
      db.update(projects)
        .set({ proposalCount: sql`${projects.proposalCount} + ${isPublic ? 1 : -1}` })
        .where(eq(projects.id, content.projectId))
        .run();
    }
  }
  if (wasPublic !== isPublic) countContribution(db, content.authorId, isPublic ? 1 : -1);
  content.visibility = to;
}
