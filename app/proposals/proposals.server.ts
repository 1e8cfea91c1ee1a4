import { and, count, desc, eq, ne, sql } from "drizzle-orm";
import { logAction } from "~/audit/log.server";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { projects, proposals, supports, threads, users, type Proposal, type ProposalStatus, type User } from "~db/schema";
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

/** Submits a proposal with its own discussion thread, while the consultation is open. */
export function submitProposal(db: Db, user: User, projectId: number, input: { title: unknown; body: unknown }, now = new Date()) {
  const title = validateTitle(input.title);
  const body = validateBody(input.body);
  assertMayWrite(user, now);
  const cooked = cookTitled(title, body);
  return immediate(db, () => {
    const project = getProjectForWrite(db, projectId);
    assertConsultationOpen(project, now);
    const limited = rateLimit(db, `proposal:user:${user.id}`, getSetting(db, "rateProposalsPerDay"), now);
    if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
    assertNotDuplicate(db, user.id, body, now);
    const screening = screenContribution(db, user, `${title}\n\n${body}`, { links: cooked.links });
    const held = screening.verdict === "hold";
    const proposal = db
      .insert(proposals)
      .values({ projectId, authorId: user.id, title, bodySource: body, bodyHtml: cooked.html, visibility: held ? "pending" : "published", createdAt: now })
      .returning()
      .get();
    insertThread(db, { projectId, authorId: user.id, title, body: "", proposalId: proposal.id, now });
    if (held) {
      enqueueReview(db, { type: "proposal", id: proposal.id, projectId, authorId: user.id }, screening.reasons, 0, now);
    } else {
      db.update(projects)
        .set({ proposalCount: sql`${projects.proposalCount} + 1` })
        .where(eq(projects.id, projectId))
        .run();
      countContribution(db, user.id, 1);
    }
    touchProject(db, projectId, now);
    followProject(db, user.id, projectId, { automatic: true });
    return proposal;
  });
}

/** A proposal as `viewer` may see it (app/content/visibility.server.ts), with its discussion thread; or null. */
export function getProposal(db: Db, projectId: number, proposalId: number, viewer: User | null) {
  const row = db
    .select({ proposal: proposals, authorName: users.displayName, authorRole: users.role, authorDeleted: users.deletedAt, projectPhase: projects.phase })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .innerJoin(projects, eq(projects.id, proposals.projectId))
    .where(and(eq(proposals.id, proposalId), eq(proposals.projectId, projectId)))
    .get();
  if (!row) return null;
  const { projectPhase, ...found } = row;
  if (!mayView(viewer, { kind: "proposal", visibility: found.proposal.visibility, authorId: found.proposal.authorId, projectPhase })) return null;
  const thread = db.select().from(threads).where(eq(threads.proposalId, proposalId)).get() ?? null;
  return { ...found, thread };
}

export function listProposals(db: Db, projectId: number, page = 1) {
  const where = and(eq(proposals.projectId, projectId), publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }));
  const total = db.select({ n: count() }).from(proposals).where(where).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, PROPOSALS_PAGE_SIZE);
  const rows = db
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
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

/**
 * How many more proposals of this project the resident may support. A support of a proposal its
 * author withdrew no longer counts: it cannot be withdrawn any more, so it would use up a slot for good.
 */
export function remainingSupports(db: Db, userId: number, projectId: number): number {
  const used =
    db
      .select({ n: count() })
      .from(supports)
      .innerJoin(proposals, eq(proposals.id, supports.proposalId))
      .where(and(eq(supports.userId, userId), eq(supports.projectId, projectId), ne(proposals.status, "withdrawn")))
      .get()?.n ?? 0;
  return Math.max(0, getSetting(db, "supportsPerResident") - used);
}

export function hasSupported(db: Db, userId: number, proposalId: number) {
  return Boolean(
    db
      .select({ id: supports.proposalId })
      .from(supports)
      .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, userId)))
      .get(),
  );
}

function loadForSupport(db: Db, proposalId: number, now: Date) {
  const proposal = db.select().from(proposals).where(eq(proposals.id, proposalId)).get();
  if (!proposal || proposal.visibility !== "published") throw notFound();
  assertConsultationOpen(getProjectForWrite(db, proposal.projectId), now);
  if (proposal.status === "withdrawn" || proposal.status === "accepted" || proposal.status === "rejected") {
    throw new DomainError(409, "proposals.notSupportable");
  }
  return proposal;
}

/** One support per resident per proposal, at most N per resident per project (setting). */
export function supportProposal(db: Db, user: User, proposalId: number, now = new Date()) {
  // A support counts a person: only a verified e-mail address may give one.
  assertMayWrite(user, now, { verified: true, resident: true });
  const limited = rateLimit(db, `support:user:${user.id}`, getSetting(db, "rateSupportsPerMinute"), now);
  if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
  return immediate(db, () => {
    const proposal = loadForSupport(db, proposalId, now);
    if (proposal.authorId === user.id) throw new DomainError(409, "proposals.ownProposal");
    if (hasSupported(db, user.id, proposalId)) return { added: false, remaining: remainingSupports(db, user.id, proposal.projectId) };
    const remaining = remainingSupports(db, user.id, proposal.projectId);
    if (remaining <= 0) throw new DomainError(409, "proposals.supportLimit", { max: getSetting(db, "supportsPerResident") });
    db.insert(supports).values({ proposalId, userId: user.id, projectId: proposal.projectId, createdAt: now }).run();
    db.update(proposals)
      .set({ supportCount: sql`${proposals.supportCount} + 1` })
      .where(eq(proposals.id, proposalId))
      .run();
    touchProject(db, proposal.projectId, now);
    followProject(db, user.id, proposal.projectId, { automatic: true });
    return { added: true, remaining: remaining - 1 };
  });
}

export function withdrawSupport(db: Db, user: User, proposalId: number, now = new Date()) {
  assertMayWrite(user, now);
  return immediate(db, () => {
    const proposal = loadForSupport(db, proposalId, now);
    const removed = db
      .delete(supports)
      .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, user.id)))
      .run().changes;
    if (removed)
      db.update(proposals)
        .set({ supportCount: sql`${proposals.supportCount} - 1` })
        .where(eq(proposals.id, proposalId))
        .run();
    return { removed: removed > 0, remaining: remainingSupports(db, user.id, proposal.projectId) };
  });
}

/** The author withdraws their own proposal while it has not been decided. */
export function withdrawProposal(db: Db, user: User, proposalId: number, now = new Date()) {
  assertMayWrite(user, now);
  return immediate(db, () => {
    const proposal = db.select().from(proposals).where(eq(proposals.id, proposalId)).get();
    if (!proposal || !mayView(user, { kind: "proposal", ...proposal })) throw notFound();
    if (proposal.authorId !== user.id) throw forbidden("proposals.notYours");
    if (proposal.status !== "open" && proposal.status !== "under_evaluation") throw new DomainError(409, "proposals.notWithdrawable");
    return db.update(proposals).set({ status: "withdrawn" }).where(eq(proposals.id, proposalId)).returning().get();
  });
}

/**
 * A planner's official answer: under evaluation, accepted or rejected, with an answer the
 * author is notified of. Accepting or rejecting needs the answer's text.
 */
export function answerProposal(db: Db, actor: User, proposalId: number, input: { status: unknown; answer: unknown }, now = new Date()): Proposal {
  assertActsAs(actor, PLANNER_ROLES, now);
  const status = input.status as AnswerStatus;
  if (!ANSWER_STATUSES.includes(status)) throw new DomainError(400, "proposals.statusInvalid", {}, "status");
  const answerText = typeof input.answer === "string" ? input.answer.trim() : "";
  if (status !== "under_evaluation" && !answerText) throw new DomainError(400, "proposals.answerRequired", {}, "answer");
  assertMarkdownLength(answerText, "answer");
  const answerHtml = answerText ? cookMarkdown(answerText, "answer") : "";
  return immediate(db, () => {
    const proposal = db.select().from(proposals).where(eq(proposals.id, proposalId)).get();
    // A planner answers what they may open: not held, hidden or rejected proposals (moderators' to decide).
    if (!proposal || !mayView(actor, { kind: "proposal", ...proposal })) throw notFound();
    if (proposal.status === "withdrawn") throw new DomainError(409, "proposals.withdrawnNoAnswer");
    const project = db.select({ slug: projects.slug, title: projects.title }).from(projects).where(eq(projects.id, proposal.projectId)).get()!;
    const updated = db
      .update(proposals)
      .set({
        status,
        ...(answerText ? { answerSource: answerText, answerHtml } : {}),
        answeredBy: actor.id,
        answeredAt: now,
      })
      .where(eq(proposals.id, proposalId))
      .returning()
      .get();
    logAction(db, actor, "proposal_answer", { type: "proposal", id: proposalId }, null, { from: proposal.status, to: status });
    if (proposal.authorId !== actor.id) {
      notify(db, [proposal.authorId], "proposal_answer", proposalPath(project.slug, proposalId), { title: proposal.title, status }, proposal.projectId);
    }
    return updated;
  });
}

export type { ProposalStatus };
