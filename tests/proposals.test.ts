import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { moderationLog, notifications, projects, proposals, supports, threads, users, type Proposal, type User } from "~db/schema";
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

let db: AppDb;
let author: User;
let supporter: User;
let planner: User;
let admin: User;
let moderator: User;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  await setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
  author = await makeUser(db);
  supporter = await makeUser(db);
  planner = await makeUser(db, { role: "planner" });
  admin = await makeUser(db, { role: "admin" });
  moderator = await makeUser(db, { role: "moderator" });
});

const projectRow = async (id: number) => (await db.select().from(projects).where(eq(projects.id, id)).limit(1))[0]!;
const proposalRow = async (id: number) => (await db.select().from(proposals).where(eq(proposals.id, id)).limit(1))[0]!;
const supportRows = async (proposalId: number) => await db.select().from(supports).where(eq(supports.proposalId, proposalId));

let n = 0;
// Each proposal its own text: the same text twice within ten minutes is refused as a duplicate.
const propose = async (projectId: number, by = author, body?: string) =>
  submitProposal(db, by, projectId, { title: `Tambah jalur sepeda ${++n}`, body: body ?? `Supaya anak sekolah aman, usulan ${n}.` });

describe("submitting a proposal", () => {
  it("creates the proposal with its own thread and counts it on the project and the author", async () => {
    const project = await makeProject(db);
    const contributions = (await db.select().from(users).where(eq(users.id, author.id)).limit(1))[0]!.contributionCount;
    const proposal = await propose(project.id, author, "Supaya anak sekolah **aman**.");
    expect(proposal).toMatchObject({ status: "open", visibility: "published", supportCount: 0, bodyHtml: "<p>Supaya anak sekolah <strong>aman</strong>.</p>" });
    const own = await db.select().from(threads).where(eq(threads.proposalId, proposal.id));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ projectId: project.id, authorId: author.id, title: proposal.title });
    expect(await projectRow(project.id)).toMatchObject({ proposalCount: 1, threadCount: 0 });
    expect((await db.select().from(users).where(eq(users.id, author.id)).limit(1))[0]!.contributionCount).toBe(contributions + 1);
    expect((await getProposal(db, project.id, proposal.id, null))?.thread?.id).toBe(own[0]!.id);
    expect((await listProposals(db, project.id)).rows.map((r) => r.id)).toEqual([proposal.id]);
  });

  it("is refused when the consultation is closed (403) or on a draft (404)", async () => {
    const closed = await makeProject(db, { consultationOpensAt: daysAgo(9), consultationClosesAt: daysAgo(1) });
    await expectDomainError(() => propose(closed.id), 403, "participation.closed");
    const draft = await makeProject(db, { phase: "draft" });
    await expectDomainError(() => propose(draft.id), 404, "errors.notFound");
    expect((await projectRow(closed.id)).proposalCount).toBe(0);
  });

  it("validates the title and body", async () => {
    const project = await makeProject(db);
    await expectDomainError(() => submitProposal(db, author, project.id, { title: "", body: "isi" }), 400, "errors.required");
    await expectDomainError(() => submitProposal(db, author, project.id, { title: "x".repeat(151), body: "isi" }), 400, "errors.tooLongMax");
    await expectDomainError(() => submitProposal(db, author, project.id, { title: "judul", body: "x".repeat(10_001) }), 400, "errors.tooLongMax");
    expect((await projectRow(project.id)).proposalCount).toBe(0);
  });
});

describe("supporting", () => {
  it("counts one support per resident: a second support adds nothing", async () => {
    const proposal = await propose((await makeProject(db)).id);
    expect(await supportProposal(db, supporter, proposal.id)).toMatchObject({ added: true });
    expect(await supportProposal(db, supporter, proposal.id)).toMatchObject({ added: false });
    expect((await proposalRow(proposal.id)).supportCount).toBe(1);
    expect(await supportRows(proposal.id)).toHaveLength(1);
    expect(await hasSupported(db, supporter.id, proposal.id)).toBe(true);
  });

  it("refuses the author's support of their own proposal (409)", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await expectDomainError(() => supportProposal(db, author, proposal.id), 409, "proposals.ownProposal");
    expect((await proposalRow(proposal.id)).supportCount).toBe(0);
    expect(await supportRows(proposal.id)).toEqual([]);
  });

  it("allows at most N supports per resident per project; supports in another project do not count", async () => {
    const own = (await freshDatabase()).db;
    await setSetting(own, "supportsPerResident", 2);
    const writer = await makeUser(own);
    const resident = await makeUser(own);
    const project = await makeProject(own);
    const elsewhere = await makeProject(own);
    const here: Proposal[] = [];
    for (const i of [1, 2, 3]) here.push(await submitProposal(own, writer, project.id, { title: `Usulan ${i}`, body: `isi ${i}` }));
    const [a, b, c] = here;
    const there: Proposal[] = [];
    for (const i of [1, 2]) there.push(await submitProposal(own, writer, elsewhere.id, { title: `Usulan lain ${i}`, body: `isi lain ${i}` }));
    const [x, y] = there;
    await supportProposal(own, resident, x!.id);
    await supportProposal(own, resident, y!.id);

    expect(await remainingSupports(own, resident.id, project.id)).toBe(2);
    expect(await supportProposal(own, resident, a!.id)).toEqual({ added: true, remaining: 1 });
    expect(await remainingSupports(own, resident.id, project.id)).toBe(1);
    expect(await supportProposal(own, resident, b!.id)).toEqual({ added: true, remaining: 0 });
    expect(await remainingSupports(own, resident.id, project.id)).toBe(0);
    const error = await expectDomainError(() => supportProposal(own, resident, c!.id), 409, "proposals.supportLimit");
    expect(error.params).toEqual({ max: 2 });
    expect((await own.select().from(proposals).where(eq(proposals.id, c!.id)).limit(1))[0]!.supportCount).toBe(0);

    // Withdrawing one frees it for another proposal.
    expect(await withdrawSupport(own, resident, a!.id)).toEqual({ removed: true, remaining: 1 });
    expect((await own.select().from(proposals).where(eq(proposals.id, a!.id)).limit(1))[0]!.supportCount).toBe(0);
    expect(await supportProposal(own, resident, c!.id)).toEqual({ added: true, remaining: 0 });
    expect(await remainingSupports(own, resident.id, elsewhere.id)).toBe(0);
  });

  it("withdrawing a support one never gave changes nothing", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await supportProposal(db, supporter, proposal.id);
    expect(await withdrawSupport(db, planner, proposal.id)).toMatchObject({ removed: false });
    expect((await proposalRow(proposal.id)).supportCount).toBe(1);
  });

  it("a support given to a proposal its author later withdrew no longer uses up one of the resident's supports", async () => {
    const own = (await freshDatabase()).db;
    await setSetting(own, "supportsPerResident", 1);
    const writer = await makeUser(own);
    const resident = await makeUser(own);
    const project = await makeProject(own);
    const first = await submitProposal(own, writer, project.id, { title: "Pertama", body: "isi pertama" });
    const second = await submitProposal(own, writer, project.id, { title: "Kedua", body: "isi kedua" });
    await supportProposal(own, resident, first.id);
    expect(await remainingSupports(own, resident.id, project.id)).toBe(0);
    await withdrawProposal(own, writer, first.id);
    expect(await remainingSupports(own, resident.id, project.id)).toBe(1);
    expect(await supportProposal(own, resident, second.id)).toEqual({ added: true, remaining: 0 });
  });

  it("is refused for a suspended resident (403) and when the consultation has closed", async () => {
    const project = await makeProject(db);
    const proposal = await propose(project.id);
    const suspended = await makeUser(db, { suspendedUntil: new Date(Date.now() + 86400000) });
    await expectDomainError(() => supportProposal(db, suspended, proposal.id), 403, "accounts.refusal.suspendedUntil");
    await withWriteTx(db, async (tx) => {
      await tx.update(projects).set({ phase: "review" }).where(eq(projects.id, project.id));
    });
    await expectDomainError(() => supportProposal(db, supporter, proposal.id), 403, "participation.closed");
    expect((await proposalRow(proposal.id)).supportCount).toBe(0);
  });
});

describe("withdrawing a proposal", () => {
  it("is the author's alone (someone else's → 403)", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await expectDomainError(() => withdrawProposal(db, supporter, proposal.id), 403, "proposals.notYours");
    await expectDomainError(() => withdrawProposal(db, planner, proposal.id), 403, "proposals.notYours");
    expect((await proposalRow(proposal.id)).status).toBe("open");
    expect((await withdrawProposal(db, author, proposal.id)).status).toBe("withdrawn");
    expect((await proposalRow(proposal.id)).status).toBe("withdrawn");
  });

  it("is refused once the proposal is decided", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await answerProposal(db, planner, proposal.id, { status: "accepted", answer: "Akan dikerjakan." });
    await expectDomainError(() => withdrawProposal(db, author, proposal.id), 409, "proposals.notWithdrawable");
  });

  it("leaves a proposal that can be neither supported nor answered", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await withdrawProposal(db, author, proposal.id);
    await expectDomainError(() => supportProposal(db, supporter, proposal.id), 409, "proposals.notSupportable");
    await expectDomainError(() => answerProposal(db, planner, proposal.id, { status: "accepted", answer: "Ya." }), 409, "proposals.withdrawnNoAnswer");
    expect(await proposalRow(proposal.id)).toMatchObject({ status: "withdrawn", supportCount: 0, answeredBy: null });
  });
});

describe("answering a proposal", () => {
  it.each(["resident", "moderator"] as const)("is refused to a %s (403)", async (role) => {
    const proposal = await propose((await makeProject(db)).id);
    const actor = role === "resident" ? supporter : moderator;
    await expectDomainError(() => answerProposal(db, actor, proposal.id, { status: "accepted", answer: "Ya." }), 403, "errors.forbidden");
    expect(await proposalRow(proposal.id)).toMatchObject({ status: "open", answeredBy: null });
  });

  it.each(["accepted", "rejected"] as const)("as %s needs an answer text", async (status) => {
    const proposal = await propose((await makeProject(db)).id);
    await expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "" }), 400, "proposals.answerRequired");
    await expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "   " }), 400, "proposals.answerRequired");
    await expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: undefined }), 400, "proposals.answerRequired");
    expect((await proposalRow(proposal.id)).status).toBe("open");
  });

  it("refuses a status outside the planners' list", async () => {
    const proposal = await propose((await makeProject(db)).id);
    for (const status of ["withdrawn", "open", "done", null]) {
      await expectDomainError(() => answerProposal(db, planner, proposal.id, { status, answer: "Ya." }), 400, "proposals.statusInvalid");
    }
  });

  it("moves the proposal, notifies its author with proposal_answer and writes the log", async () => {
    const project = await makeProject(db);
    const proposal = await propose(project.id);
    await answerProposal(db, planner, proposal.id, { status: "under_evaluation", answer: "" });
    expect((await proposalRow(proposal.id)).status).toBe("under_evaluation");
    const answered = await answerProposal(db, admin, proposal.id, { status: "accepted", answer: "Masuk anggaran **2027**." });
    expect(answered).toMatchObject({
      status: "accepted",
      answerSource: "Masuk anggaran **2027**.",
      answerHtml: "<p>Masuk anggaran <strong>2027</strong>.</p>",
      answeredBy: admin.id,
    });
    expect(answered.answeredAt).toBeInstanceOf(Date);

    const received = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, author.id), eq(notifications.projectId, project.id)))
      .orderBy(notifications.id);
    expect(received.map((r) => [r.kind, r.params.status])).toEqual([
      ["proposal_answer", "under_evaluation"],
      ["proposal_answer", "accepted"],
    ]);
    expect(received[1]!.link).toBe(`/projects/${project.slug}/proposals/${proposal.id}`);

    const log = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, "proposal"), eq(moderationLog.targetId, String(proposal.id))))
      .orderBy(moderationLog.id);
    expect(log.map((l) => [l.action, l.actorId, l.details])).toEqual([
      ["proposal_answer", planner.id, { from: "open", to: "under_evaluation" }],
      ["proposal_answer", admin.id, { from: "under_evaluation", to: "accepted" }],
    ]);
  });

  it("an accepted or rejected proposal can no longer be supported", async () => {
    const proposal = await propose((await makeProject(db)).id);
    await answerProposal(db, planner, proposal.id, { status: "rejected", answer: "Lahan tidak ada." });
    await expectDomainError(() => supportProposal(db, supporter, proposal.id), 409, "proposals.notSupportable");
  });

  it("of an unknown proposal is a 404", async () => {
    await expectDomainError(() => answerProposal(db, planner, 987654, { status: "accepted", answer: "Ya." }), 404, "errors.notFound");
  });
});
