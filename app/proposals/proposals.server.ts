import { and, count, desc, eq, ne, sql } from "drizzle-orm";
import { logAction } from "~/audit/log.server";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { Proposal, ProposalStatus, User } from "~db/schema";
import { DomainError, forbidden, notFound } from "~/domain-error";
import { assertMayWrite } from "~/accounts/users.server";
import { assertActsAs } from "~/accounts/authority.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { assertConsultationOpen, followProject, getProjectForWrite } from "~/projects/projects.server";
import { touchProject } from "~/content/counts.server";
import { cookTitled, insertThread, validateBody, validateTitle } from "~/discussion/discussion.server";
import { assertMarkdownLength, cookMarkdown } from "~/content/markdown.server";
import { countContribution } from "~/content/counts.server";
import { assertNotDuplicate, screenContribution } from "~/moderation/screening.server";
import { enqueueReview } from "~/moderation/review.server";
import { notify } from "~/notifications/notifications.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { proposalPath } from "~/content/links";
import { mayView, publishedSql } from "~/content/visibility.server";
import { paginate } from "~/paginate";

export const PROPOSALS_PAGE_SIZE = 20;
/** Planners' answers move a proposal along; withdrawal is the author's alone. */
export const ANSWER_STATUSES = ["under_evaluation", "accepted", "rejected"] as const;
type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/**
 * Submits a proposal with its own discussion thread, while the consultation is open. Serializable
 * on PostgreSQL: the rate limit and the duplicate check read what no row lock covers.
 */
export async function submitProposal(db: AppDb, user: User, projectId: number, input: { title: unknown; body: unknown }, now = new Date()): Promise<Proposal> {
  const title = validateTitle(input.title);
  const body = validateBody(input.body);
  assertMayWrite(user, now);
  const cooked = cookTitled(title, body);
  return withWriteTx(
    db,
    async (tx) => {
      const { projects, proposals } = tables(tx);
      const project = await getProjectForWrite(tx, projectId);
      assertConsultationOpen(project, now);
      const limited = await rateLimit(tx, `proposal:user:${user.id}`, await getSetting(tx, "rateProposalsPerDay"), now);
      if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
      await assertNotDuplicate(tx, user.id, body, now);
      const screening = await screenContribution(tx, user, `${title}\n\n${body}`, { links: cooked.links });
      const held = screening.verdict === "hold";
      const [proposal] = await tx
        .insert(proposals)
        .values({ projectId, authorId: user.id, title, bodySource: body, bodyHtml: cooked.html, visibility: held ? "pending" : "published", createdAt: now })
        .returning();
      await insertThread(tx, { projectId, authorId: user.id, title, body: "", proposalId: proposal!.id, now });
      if (held) {
        await enqueueReview(tx, { type: "proposal", id: proposal!.id, projectId, authorId: user.id }, screening.reasons, 0, now);
      } else {
        await tx
          .update(projects)
          .set({ proposalCount: sql`${projects.proposalCount} + 1` })
          .where(eq(projects.id, projectId));
        await countContribution(tx, user.id, 1);
      }
      await touchProject(tx, projectId, now);
      await followProject(tx, user.id, projectId, { automatic: true });
      return proposal!;
    },
    { serializable: true },
  );
}

/** A proposal as `viewer` may see it (app/content/visibility.server.ts), with its discussion thread; or null. */
export async function getProposal(db: AppDb, projectId: number, proposalId: number, viewer: User | null) {
  const { projects, proposals, threads, users } = tables(db);
  const [row] = await db
    .select({ proposal: proposals, authorName: users.displayName, authorRole: users.role, authorDeleted: users.deletedAt, projectPhase: projects.phase })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .innerJoin(projects, eq(projects.id, proposals.projectId))
    .where(and(eq(proposals.id, proposalId), eq(proposals.projectId, projectId)))
    .limit(1);
  if (!row) return null;
  const { projectPhase, ...found } = row;
  if (!mayView(viewer, { kind: "proposal", visibility: found.proposal.visibility, authorId: found.proposal.authorId, projectPhase })) return null;
  const [thread] = await db.select().from(threads).where(eq(threads.proposalId, proposalId)).limit(1);
  return { ...found, thread: thread ?? null };
}

export async function listProposals(db: AppDb, projectId: number, page = 1) {
  const { proposals, users } = tables(db);
  const where = and(eq(proposals.projectId, projectId), publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }));
  const total = (await db.select({ n: count() }).from(proposals).where(where).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, PROPOSALS_PAGE_SIZE);
  const rows = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      status: proposals.status,
      supportCount: proposals.supportCount,
      createdAt: proposals.createdAt,
      answeredAt: proposals.answeredAt,
      authorName: users.displayName,
      authorRole: users.role,
      authorDeleted: users.deletedAt,
    })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .where(where)
    .orderBy(desc(proposals.supportCount), desc(proposals.createdAt), desc(proposals.id))
    .limit(PROPOSALS_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

/**
 * How many more proposals of this project the resident may support. A support of a proposal its
 * author withdrew no longer counts: it cannot be withdrawn any more, so it would use up a slot for good.
 */
export async function remainingSupports(db: AppDb, userId: number, projectId: number): Promise<number> {
  const { proposals, supports } = tables(db);
  const used =
    (
      await db
        .select({ n: count() })
        .from(supports)
        .innerJoin(proposals, eq(proposals.id, supports.proposalId))
        .where(and(eq(supports.userId, userId), eq(supports.projectId, projectId), ne(proposals.status, "withdrawn")))
        .limit(1)
    )[0]?.n ?? 0;
  return Math.max(0, (await getSetting(db, "supportsPerResident")) - used);
}

export async function hasSupported(db: AppDb, userId: number, proposalId: number): Promise<boolean> {
  const { supports } = tables(db);
  const [row] = await db
    .select({ id: supports.proposalId })
    .from(supports)
    .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, userId)))
    .limit(1);
  return Boolean(row);
}

async function loadForSupport(db: AppDb, proposalId: number, now: Date) {
  const { proposals } = tables(db);
  const [proposal] = await db.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1);
  if (!proposal || proposal.visibility !== "published") throw notFound();
  assertConsultationOpen(await getProjectForWrite(db, proposal.projectId), now);
  if (proposal.status === "withdrawn" || proposal.status === "accepted" || proposal.status === "rejected") {
    throw new DomainError(409, "proposals.notSupportable");
  }
  return proposal;
}

/**
 * One support per resident per proposal (the primary key), at most N per resident per project
 * (setting). The limit is a count that no row lock covers: on PostgreSQL the transaction is
 * SERIALIZABLE (re-run on a conflict), so supports given at once cannot pass it together.
 * The stored support count moves in the same transaction as the row.
 */
export async function supportProposal(db: AppDb, user: User, proposalId: number, now = new Date()) {
  // A support counts a person: only a verified e-mail address may give one.
  assertMayWrite(user, now, { verified: true, resident: true });
  const limited = await rateLimit(db, `support:user:${user.id}`, await getSetting(db, "rateSupportsPerMinute"), now);
  if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
  return withWriteTx(
    db,
    async (tx) => {
      const { proposals, supports } = tables(tx);
      const proposal = await loadForSupport(tx, proposalId, now);
      if (proposal.authorId === user.id) throw new DomainError(409, "proposals.ownProposal");
      if (await hasSupported(tx, user.id, proposalId)) return { added: false, remaining: await remainingSupports(tx, user.id, proposal.projectId) };
      const remaining = await remainingSupports(tx, user.id, proposal.projectId);
      if (remaining <= 0) throw new DomainError(409, "proposals.supportLimit", { max: await getSetting(tx, "supportsPerResident") });
      await tx.insert(supports).values({ proposalId, userId: user.id, projectId: proposal.projectId, createdAt: now });
      await tx
        .update(proposals)
        .set({ supportCount: sql`${proposals.supportCount} + 1` })
        .where(eq(proposals.id, proposalId));
      await touchProject(tx, proposal.projectId, now);
      await followProject(tx, user.id, proposal.projectId, { automatic: true });
      return { added: true, remaining: remaining - 1 };
    },
    { serializable: true },
  );
}

export async function withdrawSupport(db: AppDb, user: User, proposalId: number, now = new Date()) {
  assertMayWrite(user, now);
  return withWriteTx(db, async (tx) => {
    const { proposals, supports } = tables(tx);
    const proposal = await loadForSupport(tx, proposalId, now);
    const removed = (
      await tx
        .delete(supports)
        .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, user.id)))
        .returning({ proposalId: supports.proposalId })
    ).length;
    if (removed)
      await tx
        .update(proposals)
        .set({ supportCount: sql`${proposals.supportCount} - 1` })
        .where(eq(proposals.id, proposalId));
    return { removed: removed > 0, remaining: await remainingSupports(tx, user.id, proposal.projectId) };
  });
}

/** The author withdraws their own proposal while it has not been decided (its row locked while that is checked). */
export async function withdrawProposal(db: AppDb, user: User, proposalId: number, now = new Date()): Promise<Proposal> {
  assertMayWrite(user, now);
  return withWriteTx(db, async (tx) => {
    const { proposals } = tables(tx);
    const [proposal] = await forUpdate(tx.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1), "no key update");
    if (!proposal || !mayView(user, { kind: "proposal", ...proposal })) throw notFound();
    if (proposal.authorId !== user.id) throw forbidden("proposals.notYours");
    if (proposal.status !== "open" && proposal.status !== "under_evaluation") throw new DomainError(409, "proposals.notWithdrawable");
    const [updated] = await tx.update(proposals).set({ status: "withdrawn" }).where(eq(proposals.id, proposalId)).returning();
    return updated!;
  });
}

/**
 * A planner's official answer: under evaluation, accepted or rejected, with an answer the
 * author is notified of. Accepting or rejecting needs the answer's text. The proposal's row is
 * locked while its status is checked and written (a withdrawal at the same moment waits).
 */
export async function answerProposal(
  db: AppDb,
  actor: User,
  proposalId: number,
  input: { status: unknown; answer: unknown },
  now = new Date(),
): Promise<Proposal> {
  assertActsAs(actor, PLANNER_ROLES, now);
  const status = input.status as AnswerStatus;
  if (!ANSWER_STATUSES.includes(status)) throw new DomainError(400, "proposals.statusInvalid", {}, "status");
  const answerText = typeof input.answer === "string" ? input.answer.trim() : "";
  if (status !== "under_evaluation" && !answerText) throw new DomainError(400, "proposals.answerRequired", {}, "answer");
  assertMarkdownLength(answerText, "answer");
  const answerHtml = answerText ? cookMarkdown(answerText, "answer") : "";
  return withWriteTx(db, async (tx) => {
    const { projects, proposals } = tables(tx);
    const [proposal] = await forUpdate(tx.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1), "no key update");
    // A planner answers what they may open: not held, hidden or rejected proposals (moderators' to decide).
    if (!proposal || !mayView(actor, { kind: "proposal", ...proposal })) throw notFound();
    if (proposal.status === "withdrawn") throw new DomainError(409, "proposals.withdrawnNoAnswer");
    const [project] = await tx.select({ slug: projects.slug, title: projects.title }).from(projects).where(eq(projects.id, proposal.projectId)).limit(1);
    const [updated] = await tx
      .update(proposals)
      .set({
        status,
        ...(answerText ? { answerSource: answerText, answerHtml } : {}),
        answeredBy: actor.id,
        answeredAt: now,
      })
      .where(eq(proposals.id, proposalId))
      .returning();
    await logAction(tx, actor, "proposal_answer", { type: "proposal", id: proposalId }, null, { from: proposal.status, to: status });
    if (proposal.authorId !== actor.id) {
      await notify(tx, [proposal.authorId], "proposal_answer", proposalPath(project!.slug, proposalId), { title: proposal.title, status }, proposal.projectId);
    }
    return updated!;
  });
}

export type { ProposalStatus };
