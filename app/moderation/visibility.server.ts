import { and, eq, sql } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { TargetType, Visibility } from "~db/schema";
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

export interface LoadContentOptions {
  /**
   * Inside a write transaction: lock the content's row until the transaction ends (PostgreSQL
   * `FOR NO KEY UPDATE`; SQLite's writer holds the whole database already), so a check of its
   * state and the write that depends on it cannot interleave with another transaction's. Every
   * moderation write on content locks it first: the content, then its review item, then counts.
   */
  lock?: boolean;
}

export async function loadContent(db: AppDb, type: TargetType, id: number, { lock = false }: LoadContentOptions = {}): Promise<ModeratedContent | null> {
  const { comments, proposals, threads } = tables(db);
  const locked = <Q extends object>(query: Q) => (lock ? forUpdate(query, "no key update") : query);
  if (type === "comment") {
    const [c] = await locked(db.select().from(comments).where(eq(comments.id, id)).limit(1));
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
    const [t] = await locked(db.select().from(threads).where(eq(threads.id, id)).limit(1));
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
  const [p] = await locked(db.select().from(proposals).where(eq(proposals.id, id)).limit(1));
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
 * through the FTS triggers. Runs in the caller's transaction when handed one (load the content
 * there with `{ lock: true }`). The row changes only while it still has the visibility `content`
 * says (`UPDATE … WHERE visibility = from`): resolves to true when it moved the content, false
 * when it was already there or someone else moved it first (then no count changes either).
 */
export async function setVisibility(db: AppDb, content: ModeratedContent, to: Visibility): Promise<boolean> {
  const from = content.visibility;
  if (from === to) return false;
  const wasPublic = from === "published";
  const isPublic = to === "published";
  const moved = await withWriteTx(db, async (tx) => {
    const { comments, projects, proposals, threads } = tables(tx);
    if (content.type === "comment") {
      const changed = await tx
        .update(comments)
        .set({ visibility: to })
        .where(and(eq(comments.id, content.id), eq(comments.visibility, from)))
        .returning({ id: comments.id });
      if (!changed.length) return false;
      if (wasPublic !== isPublic)
        await adjustCommentCounts(tx, { threadId: content.threadId!, projectId: content.projectId, parentId: content.parentId }, isPublic ? 1 : -1);
      // A comment published now (approved, or restored) is activity of the moment it was written.
      if (isPublic && !wasPublic) {
        await touchThread(tx, content.threadId!, content.createdAt);
        await touchProject(tx, content.projectId, content.createdAt);
      }
    } else if (content.type === "thread") {
      const changed = await tx
        .update(threads)
        .set({ visibility: to })
        .where(and(eq(threads.id, content.id), eq(threads.visibility, from)))
        .returning({ id: threads.id });
      if (!changed.length) return false;
      if (wasPublic !== isPublic && !content.proposalId) {
        await tx
          .update(projects)
          .set({ threadCount: sql`${projects.threadCount} + ${isPublic ? 1 : -1}` })
          .where(eq(projects.id, content.projectId));
      }
    } else {
      const changed = await tx
        .update(proposals)
        .set({ visibility: to })
        .where(and(eq(proposals.id, content.id), eq(proposals.visibility, from)))
        .returning({ id: proposals.id });
      if (!changed.length) return false;
      if (wasPublic !== isPublic) {
        await tx
          .update(projects)
          .set({ proposalCount: sql`${projects.proposalCount} + ${isPublic ? 1 : -1}` })
          .where(eq(projects.id, content.projectId));
      }
    }
    if (wasPublic !== isPublic) await countContribution(tx, content.authorId, isPublic ? 1 : -1);
    return true;
  });
  if (moved) content.visibility = to;
  return moved;
}
