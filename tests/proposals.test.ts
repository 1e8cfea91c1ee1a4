import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { moderationLog, notifications, projects, proposals, supports, threads, users, type User } from "~db/schema";
import {
  answerProposal,
  getProposal,
  hasSupported,
  listProposals,
  remainingSupports,
  submitProposal,
  supportProposal,
  withdrawProposal,
  withdrawSupport,
} from "~/proposals/proposals.server";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { daysAgo, expectDomainError } from "./support/domain-errors";

let db: Db;
let author: User;
let supporter: User;
let planner: User;
let admin: User;
let moderator: User;

beforeAll(async () => {
  db = freshDatabase().db;
  setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
  author = await makeUser(db);
  supporter = await makeUser(db);
  planner = await makeUser(db, { role: "planner" });
  admin = await makeUser(db, { role: "admin" });
  moderator = await makeUser(db, { role: "moderator" });
});

const projectRow = (id: number) => db.select().from(projects).where(eq(projects.id, id)).get()!;
const proposalRow = (id: number) => db.select().from(proposals).where(eq(proposals.id, id)).get()!;
const supportRows = (proposalId: number) => db.select().from(supports).where(eq(supports.proposalId, proposalId)).all();

let n = 0;
// Each proposal its own text: the same text twice within ten minutes is refused as a duplicate.
const propose = (projectId: number, by = author, body?: string) =>
  submitProposal(db, by, projectId, { title: `Tambah jalur sepeda ${++n}`, body: body ?? `Supaya anak sekolah aman, usulan ${n}.` });

describe("submitting a proposal", () => {
  it("creates the proposal with its own thread and counts it on the project and the author", () => {
    const project = makeProject(db);
    const contributions = db.select().from(users).where(eq(users.id, author.id)).get()!.contributionCount;
    const proposal = propose(project.id, author, "Supaya anak sekolah **aman**.");
    expect(proposal).toMatchObject({ status: "open", visibility: "published", supportCount: 0, bodyHtml: "<p>Supaya anak sekolah <strong>aman</strong>.</p>" });
    const own = db.select().from(threads).where(eq(threads.proposalId, proposal.id)).all();
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ projectId: project.id, authorId: author.id, title: proposal.title });
    expect(projectRow(project.id)).toMatchObject({ proposalCount: 1, threadCount: 0 });
    expect(db.select().from(users).where(eq(users.id, author.id)).get()!.contributionCount).toBe(contributions + 1);
    expect(getProposal(db, project.id, proposal.id, null)?.thread?.id).toBe(own[0]!.id);
    expect(listProposals(db, project.id).rows.map((r) => r.id)).toEqual([proposal.id]);
  });

  it("is refused when the consultation is closed (403) or on a draft (404)", () => {
    const closed = makeProject(db, { consultationOpensAt: daysAgo(9), consultationClosesAt: daysAgo(1) });
    expectDomainError(() => propose(closed.id), 403, "participation.closed");
    expectDomainError(() => propose(makeProject(db, { phase: "draft" }).id), 404, "errors.notFound");
    expect(projectRow(closed.id).proposalCount).toBe(0);
  });

  it("validates the title and body", () => {
    const project = makeProject(db);
    expectDomainError(() => submitProposal(db, author, project.id, { title: "", body: "isi" }), 400, "errors.required");
    expectDomainError(() => submitProposal(db, author, project.id, { title: "x".repeat(151), body: "isi" }), 400, "errors.tooLongMax");
    expectDomainError(() => submitProposal(db, author, project.id, { title: "judul", body: "x".repeat(10_001) }), 400, "errors.tooLongMax");
    expect(projectRow(project.id).proposalCount).toBe(0);
  });
});

describe("supporting", () => {
  it("counts one support per resident: a second support adds nothing", () => {
    const proposal = propose(makeProject(db).id);
    expect(supportProposal(db, supporter, proposal.id)).toMatchObject({ added: true });
    expect(supportProposal(db, supporter, proposal.id)).toMatchObject({ added: false });
    expect(proposalRow(proposal.id).supportCount).toBe(1);
    expect(supportRows(proposal.id)).toHaveLength(1);
    expect(hasSupported(db, supporter.id, proposal.id)).toBe(true);
  });

  it("refuses the author's support of their own proposal (409)", () => {
    const proposal = propose(makeProject(db).id);
    expectDomainError(() => supportProposal(db, author, proposal.id), 409, "proposals.ownProposal");
    expect(proposalRow(proposal.id).supportCount).toBe(0);
    expect(supportRows(proposal.id)).toEqual([]);
  });

  it("allows at most N supports per resident per project; supports in another project do not count", async () => {
    const own = freshDatabase().db;
    setSetting(own, "supportsPerResident", 2);
    const writer = await makeUser(own);
    const resident = await makeUser(own);
    const project = makeProject(own);
    const elsewhere = makeProject(own);
    const [a, b, c] = [1, 2, 3].map((i) => submitProposal(own, writer, project.id, { title: `Usulan ${i}`, body: `isi ${i}` }));
    const [x, y] = [1, 2].map((i) => submitProposal(own, writer, elsewhere.id, { title: `Usulan lain ${i}`, body: `isi lain ${i}` }));
    supportProposal(own, resident, x!.id);
    supportProposal(own, resident, y!.id);

    expect(remainingSupports(own, resident.id, project.id)).toBe(2);
    expect(supportProposal(own, resident, a!.id)).toEqual({ added: true, remaining: 1 });
    expect(remainingSupports(own, resident.id, project.id)).toBe(1);
    expect(supportProposal(own, resident, b!.id)).toEqual({ added: true, remaining: 0 });
    expect(remainingSupports(own, resident.id, project.id)).toBe(0);
    const error = expectDomainError(() => supportProposal(own, resident, c!.id), 409, "proposals.supportLimit");
    expect(error.params).toEqual({ max: 2 });
    expect(own.select().from(proposals).where(eq(proposals.id, c!.id)).get()!.supportCount).toBe(0);

    // Withdrawing one frees it for another proposal.
    expect(withdrawSupport(own, resident, a!.id)).toEqual({ removed: true, remaining: 1 });
    expect(own.select().from(proposals).where(eq(proposals.id, a!.id)).get()!.supportCount).toBe(0);
    expect(supportProposal(own, resident, c!.id)).toEqual({ added: true, remaining: 0 });
    expect(remainingSupports(own, resident.id, elsewhere.id)).toBe(0);
  });

  it("withdrawing a support one never gave changes nothing", () => {
    const proposal = propose(makeProject(db).id);
    supportProposal(db, supporter, proposal.id);
    expect(withdrawSupport(db, planner, proposal.id)).toMatchObject({ removed: false });
    expect(proposalRow(proposal.id).supportCount).toBe(1);
  });

  it("a support given to a proposal its author later withdrew no longer uses up one of the resident's supports", async () => {
    const own = freshDatabase().db;
    setSetting(own, "supportsPerResident", 1);
    const writer = await makeUser(own);
    const resident = await makeUser(own);
    const project = makeProject(own);
    const first = submitProposal(own, writer, project.id, { title: "Pertama", body: "isi pertama" });
    const second = submitProposal(own, writer, project.id, { title: "Kedua", body: "isi kedua" });
    supportProposal(own, resident, first.id);
    expect(remainingSupports(own, resident.id, project.id)).toBe(0);
    withdrawProposal(own, writer, first.id);
    expect(remainingSupports(own, resident.id, project.id)).toBe(1);
    expect(supportProposal(own, resident, second.id)).toEqual({ added: true, remaining: 0 });
  });

  it("is refused for a suspended resident (403) and when the consultation has closed", async () => {
    const project = makeProject(db);
    const proposal = propose(project.id);
    const suspended = await makeUser(db, { suspendedUntil: new Date(Date.now() + 86400000) });
    expectDomainError(() => supportProposal(db, suspended, proposal.id), 403, "accounts.refusal.suspendedUntil");
    db.update(projects).set({ phase: "review" }).where(eq(projects.id, project.id)).run();
    expectDomainError(() => supportProposal(db, supporter, proposal.id), 403, "participation.closed");
    expect(proposalRow(proposal.id).supportCount).toBe(0);
  });
});

describe("withdrawing a proposal", () => {
  it("is the author's alone (someone else's → 403)", () => {
    const proposal = propose(makeProject(db).id);
    expectDomainError(() => withdrawProposal(db, supporter, proposal.id), 403, "proposals.notYours");
    expectDomainError(() => withdrawProposal(db, planner, proposal.id), 403, "proposals.notYours");
    expect(proposalRow(proposal.id).status).toBe("open");
    expect(withdrawProposal(db, author, proposal.id).status).toBe("withdrawn");
    expect(proposalRow(proposal.id).status).toBe("withdrawn");
  });

  it("is refused once the proposal is decided", () => {
    const proposal = propose(makeProject(db).id);
    answerProposal(db, planner, proposal.id, { status: "accepted", answer: "Akan dikerjakan." });
    expectDomainError(() => withdrawProposal(db, author, proposal.id), 409, "proposals.notWithdrawable");
  });

  it("leaves a proposal that can be neither supported nor answered", () => {
    const proposal = propose(makeProject(db).id);
    withdrawProposal(db, author, proposal.id);
    expectDomainError(() => supportProposal(db, supporter, proposal.id), 409, "proposals.notSupportable");
    expectDomainError(() => answerProposal(db, planner, proposal.id, { status: "accepted", answer: "Ya." }), 409, "proposals.withdrawnNoAnswer");
    expect(proposalRow(proposal.id)).toMatchObject({ status: "withdrawn", supportCount: 0, answeredBy: null });
  });
});

describe("answering a proposal", () => {
  it.each(["resident", "moderator"] as const)("is refused to a %s (403)", (role) => {
    const proposal = propose(makeProject(db).id);
    const actor = role === "resident" ? supporter : moderator;
    expectDomainError(() => answerProposal(db, actor, proposal.id, { status: "accepted", answer: "Ya." }), 403, "errors.forbidden");
    expect(proposalRow(proposal.id)).toMatchObject({ status: "open", answeredBy: null });
  });

  it.each(["accepted", "rejected"] as const)("as %s needs an answer text", (status) => {
    const proposal = propose(makeProject(db).id);
    expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "" }), 400, "proposals.answerRequired");
    expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "   " }), 400, "proposals.answerRequired");
    expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: undefined }), 400, "proposals.answerRequired");
    expect(proposalRow(proposal.id).status).toBe("open");
  });

  it("refuses a status outside the planners' list", () => {
    const proposal = propose(makeProject(db).id);
    for (const status of ["withdrawn", "open", "done", null]) {
      expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "Ya." }), 400, "proposals.statusInvalid");
    }
  });

  it("moves the proposal, notifies its author with proposal_answer and writes the log", () => {
    const project = makeProject(db);
    const proposal = propose(project.id);
    answerProposal(db, planner, proposal.id, { status: "under_evaluation", answer: "" });
    expect(proposalRow(proposal.id).status).toBe("under_evaluation");
    const answered = answerProposal(db, admin, proposal.id, { status: "accepted", answer: "Masuk anggaran **2027**." });
    expect(answered).toMatchObject({
      status: "accepted",
      answerSource: "Masuk anggaran **2027**.",
      answerHtml: "<p>Masuk anggaran <strong>2027</strong>.</p>",
      answeredBy: admin.id,
    });
    expect(answered.answeredAt).toBeInstanceOf(Date);

    const received = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, author.id), eq(notifications.projectId, project.id)))
      .orderBy(notifications.id)
      .all();
    expect(received.map((r) => [r.kind, r.params.status])).toEqual([
      ["proposal_answer", "under_evaluation"],
      ["proposal_answer", "accepted"],
    ]);
    expect(received[1]!.link).toBe(`/projects/${project.slug}/proposals/${proposal.id}`);

    const log = db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, "proposal"), eq(moderationLog.targetId, String(proposal.id))))
      .orderBy(moderationLog.id)
      .all();
    expect(log.map((l) => [l.action, l.actorId, l.details])).toEqual([
      ["proposal_answer", planner.id, { from: "open", to: "under_evaluation" }],
      ["proposal_answer", admin.id, { from: "under_evaluation", to: "accepted" }],
    ]);
  });

  it("an accepted or rejected proposal can no longer be supported", () => {
    const proposal = propose(makeProject(db).id);
    answerProposal(db, planner, proposal.id, { status: "rejected", answer: "Lahan tidak ada." });
    expectDomainError(() => supportProposal(db, supporter, proposal.id), 409, "proposals.notSupportable");
  });

  it("of an unknown proposal is a 404", () => {
    expectDomainError(() => answerProposal(db, planner, 987654, { status: "accepted", answer: "Ya." }), 404, "errors.notFound");
  });
});
