import { inArray } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import type { LogTargetType } from "~db/schema";
import { commentPath, projectPath, proposalPath, threadPath } from "~/content/links";

interface LogTarget {
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

const idsOf = (entries: LogTarget[], type: string) => [
  ...new Set(entries.filter((e) => e.targetType === type && e.targetId && /^\d+$/.test(e.targetId)).map((e) => Number(e.targetId))),
];

/**
 * Where each logged target can be seen (a project, thread, comment or proposal page) and the
 * names of users acted upon: a fixed number of batched queries per page of the log.
 */
export async function describeLogTargets(db: AppDb, entries: LogTarget[]) {
  const { comments, projects, proposals, threads, users } = tables(db);
  const commentIds = idsOf(entries, "comment");
  const commentRows = commentIds.length
    ? await db.select({ id: comments.id, threadId: comments.threadId, projectId: comments.projectId }).from(comments).where(inArray(comments.id, commentIds))
    : [];
  const threadIds = [...new Set([...idsOf(entries, "thread"), ...commentRows.map((c) => c.threadId)])];
  const threadRows = threadIds.length
    ? await db.select({ id: threads.id, projectId: threads.projectId, proposalId: threads.proposalId }).from(threads).where(inArray(threads.id, threadIds))
    : [];
  const proposalIds = idsOf(entries, "proposal");
  const proposalRows = proposalIds.length
    ? await db.select({ id: proposals.id, projectId: proposals.projectId }).from(proposals).where(inArray(proposals.id, proposalIds))
    : [];
  const projectIds = [...new Set([...idsOf(entries, "project"), ...threadRows.map((t) => t.projectId), ...proposalRows.map((p) => p.projectId)])];
  const projectRows = projectIds.length ? await db.select({ id: projects.id, slug: projects.slug }).from(projects).where(inArray(projects.id, projectIds)) : [];
  const userIds = idsOf(entries, "user");
  const userRows = userIds.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)) : [];

  const slugOf = (projectId: number) => projectRows.find((p) => p.id === projectId)?.slug ?? null;
  const located = (threadId: number) => {
    const thread = threadRows.find((t) => t.id === threadId);
    const slug = thread ? slugOf(thread.projectId) : null;
    return thread && slug ? { slug, thread } : null;
  };

  return entries.map((e) => {
    const id = Number(e.targetId);
    let href: string | null = null;
    let name: string | null = null;
    if (e.targetType === "project") {
      const slug = typeof e.details?.slug === "string" ? e.details.slug : slugOf(id);
      href = slug ? projectPath(slug) : null;
    } else if (e.targetType === "thread") {
      const at = located(id);
      href = at ? threadPath(at.slug, at.thread) : null;
    } else if (e.targetType === "comment") {
      const comment = commentRows.find((c) => c.id === id);
      const at = comment ? located(comment.threadId) : null;
      href = at ? commentPath(at.slug, at.thread, id) : null;
    } else if (e.targetType === "proposal") {
      const proposal = proposalRows.find((p) => p.id === id);
      const slug = proposal ? slugOf(proposal.projectId) : null;
      href = slug ? proposalPath(slug, id) : null;
    } else if (e.targetType === "user") {
      name = userRows.find((u) => u.id === id)?.name ?? null;
    }
    return { href, name };
  });
}

/** The distinct target types present, for the log's filter. */
export async function logTargetTypes(db: AppDb): Promise<LogTargetType[]> {
  const { moderationLog } = tables(db);
  const rows = await db.selectDistinct({ type: moderationLog.targetType }).from(moderationLog).orderBy(moderationLog.targetType);
  return rows.map((r) => r.type);
}
