import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { moderationLog, proposals, reviewItems, votes, type User } from "~db/schema";
import { changeRole } from "~/accounts/users.server";
import { setThreadState } from "~/discussion/discussion.server";
import { flagContent } from "~/moderation/flags.server";
import { appealDecision, decideInBulk, decideReviewItem, enqueueReview, hideContent, listQueue, rejectingModerators } from "~/moderation/review.server";
import { queueItemView } from "~/moderation/queue-page.server";
import { currentModerationSettings, updateModerationSettings, type SettingsForm } from "~/moderation/settings-admin.server";
import { liftSuspension, suspendUser } from "~/moderation/suspensions.server";
import { createProject, moveProjectPhase, postProjectUpdate, updateProject } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { answerProposal, supportProposal } from "~/proposals/proposals.server";
import { assertReportExporter, assertReportReader } from "~/reports/access.server";
import { castVote } from "~/voting/voting.server";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeAreas, makeProject, makeUser } from "./support/factories";
import { makeComment, makeProposal, makeThread } from "./support/more-factories";
import { expectDomainError } from "./support/domain-errors";
import { commentRow, openItemFor, projectRow, threadRow, userRow } from "./support/moderation";

/**
 * One rule for every role: a suspended account reads and appeals, nothing else; nobody lifts
 * their own suspension; only an admin lifts one imposed on staff. Staff do not decide on their
 * own content, and staff ballots and supports do not enter the public tallies.
 */
let db: AppDb;
let admin: User;
let secondAdmin: User;
let moderator: User;
let secondModerator: User;
let planner: User;
let resident: User;
let areaId: number;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  await setSetting(db, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  admin = await makeUser(db, { role: "admin" });
  secondAdmin = await makeUser(db, { role: "admin" });
  moderator = await makeUser(db, { role: "moderator" });
  secondModerator = await makeUser(db, { role: "moderator" });
  planner = await makeUser(db, { role: "planner" });
  resident = await makeUser(db);
  areaId = (await makeAreas(db)).kelurahan.id;
});

let n = 0;
const projectInput = () => {
  n++;
  return {
    title: `Saluran Drainase ${n}`,
    slug: `saluran-drainase-${n}`,
    summary: "Saluran diperdalam.",
    body: "Rencana **pendalaman** saluran.",
    category: "drainage",
    areaId: String(areaId),
    budget: "500000000",
  };
};

function formOf(current: Awaited<ReturnType<typeof currentModerationSettings>>): SettingsForm {
  return {
    numbers: Object.fromEntries(Object.entries(current.numbers).map(([k, v]) => [k, String(v)])) as SettingsForm["numbers"],
    blockedWords: current.blockedWords.join("\n"),
  };
}

/** Suspends `who` as an admin would, and returns the reloaded row the session would carry. */
async function suspended(role: User["role"]): Promise<User> {
  const user = await makeUser(db, { role });
  await suspendUser(db, admin, user.id, "7d", "Penyalahgunaan wewenang");
  return await userRow(db, user.id);
}

async function flaggedCommentBy(authorId: number) {
  const thread = await makeThread(db, resident.id);
  const comment = await makeComment(db, thread, authorId);
  const item = await enqueueReview(db, { type: "comment", id: comment.id, projectId: thread.projectId, authorId }, ["flagged"], 5);
  return { thread, comment, item };
}

const logCount = async () => (await db.select().from(moderationLog)).length;

describe("a suspended moderator keeps no staff power", () => {
  it("cannot decide, hide, lock, suspend or lift: 403 with the suspension's message, and nothing changes", async () => {
    const mod = await suspended("moderator");
    const { comment, thread, item } = await flaggedCommentBy(resident.id);
    const other = await makeUser(db);
    const before = await logCount();
    await expectDomainError(() => decideReviewItem(db, mod, item.id, { decision: "approve", version: item.version }), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => decideInBulk(db, mod, [{ id: item.id, version: item.version }], "reject", "Spam"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => hideContent(db, mod, "comment", comment.id, "Spam"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => setThreadState(db, mod, thread.id, { locked: true }), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => suspendUser(db, mod, other.id, "1d", "Spam"), 403, "accounts.refusal.suspendedUntil");
    expect((await db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).limit(1))[0]!.status).toBe("open");
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await threadRow(db, thread.id)).locked).toBe(false);
    expect((await userRow(db, other.id)).suspendedUntil).toBeNull();
    expect(await logCount()).toBe(before);
  });

  it("cannot lift their own suspension, nor anyone else's", async () => {
    const mod = await suspended("moderator");
    const other = await makeUser(db);
    await suspendUser(db, moderator, other.id, "1d", "Spam");
    await expectDomainError(() => liftSuspension(db, mod, mod.id, "Saya tidak bersalah"), 403);
    await expectDomainError(() => liftSuspension(db, mod, other.id), 403, "accounts.refusal.suspendedUntil");
    expect((await userRow(db, mod.id)).suspendedUntil).not.toBeNull();
    expect((await userRow(db, other.id)).suspendedUntil).not.toBeNull();
  });

  it("may still appeal a decision on their own content", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const { comment, item } = await flaggedCommentBy(mod.id);
    await decideReviewItem(db, admin, item.id, { decision: "reject", version: item.version, reason: "Menyerang warga.", suspend: "7d" });
    const now = await userRow(db, mod.id);
    expect(now.suspendedUntil).not.toBeNull();
    const appeal = await appealDecision(db, now, "comment", comment.id, "Saya mohon ditinjau ulang.");
    expect(appeal.reasons).toContain("appeal");
  });
});

describe("a suspended planner keeps no staff power", () => {
  it("cannot create, edit, move, publish an update or answer a proposal", async () => {
    const p = await suspended("planner");
    const project = await makeProject(db);
    const proposal = await makeProposal(db, resident.id, project.id);
    const before = await logCount();
    await expectDomainError(() => createProject(db, p, projectInput(), "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => updateProject(db, p, project.id, projectInput(), "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => moveProjectPhase(db, p, project.id, { to: "review" }, "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => postProjectUpdate(db, p, project.id, "Pekerjaan dimulai."), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => answerProposal(db, p, proposal.id, { status: "accepted", answer: "Diterima." }), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(
      async () => setThreadState(db, p, (await makeThread(db, resident.id, project.id)).id, { pinned: true }),
      403,
      "accounts.refusal.suspendedUntil",
    );
    expect((await projectRow(db, project.id)).phase).toBe("consultation");
    expect((await db.select().from(proposals).where(eq(proposals.id, proposal.id)).limit(1))[0]!.status).toBe("open");
    expect(await logCount()).toBe(before);
  });
});

describe("a suspended planner reads reports but exports nothing", () => {
  it("the report page stays open; every download is refused with the suspension's message", async () => {
    const p = await suspended("planner");
    expect(() => assertReportReader(p)).not.toThrow();
    await expectDomainError(() => assertReportExporter(p), 403, "accounts.refusal.suspendedUntil");
    expect(() => assertReportExporter(planner)).not.toThrow();
    await expectDomainError(() => assertReportExporter(moderator), 403);
  });
});

describe("a suspended admin keeps no staff power", () => {
  it("cannot change roles or settings, and cannot lift their own suspension", async () => {
    const a = await makeUser(db, { role: "admin" });
    await suspendUser(db, secondAdmin, a.id, "30d", "Akun dibajak");
    const me = await userRow(db, a.id);
    const target = await makeUser(db);
    const form = formOf(await currentModerationSettings(db));
    form.numbers.linkLimit = "9";
    await expectDomainError(() => changeRole(db, me, target.id, "moderator"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => updateModerationSettings(db, me, form), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => liftSuspension(db, me, me.id), 403);
    expect((await userRow(db, target.id)).role).toBe("resident");
    expect((await currentModerationSettings(db)).numbers.linkLimit).not.toBe(9);
    expect((await userRow(db, me.id)).suspendedUntil).not.toBeNull();
  });
});

describe("who lifts a suspension", () => {
  it("nobody lifts their own, even an admin whose suspension has a reason they dispute", async () => {
    const a = await makeUser(db, { role: "admin" });
    await suspendUser(db, admin, a.id, "1d", "Uji");
    await expectDomainError(async () => liftSuspension(db, await userRow(db, a.id), a.id), 403);
  });

  it("a moderator cannot lift a suspension imposed on staff; an admin can", async () => {
    const p = await suspended("planner");
    await expectDomainError(() => liftSuspension(db, moderator, p.id, "Salah paham"), 403, "moderation.staffOnlyByAdmin");
    expect((await userRow(db, p.id)).suspendedUntil).not.toBeNull();
    await liftSuspension(db, admin, p.id, "Salah paham");
    expect((await userRow(db, p.id)).suspendedUntil).toBeNull();
  });

  it("a moderator still lifts a resident's suspension", async () => {
    const r = await makeUser(db);
    await suspendUser(db, moderator, r.id, "7d", "Spam");
    await liftSuspension(db, secondModerator, r.id, "Bukan spam");
    expect((await userRow(db, r.id)).suspendedUntil).toBeNull();
  });
});

describe("four eyes on one's own content", () => {
  it("a moderator cannot decide the flags against their own comment; another moderator can", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const { thread, comment } = await flaggedCommentBy(mod.id);
    const flagger = await makeUser(db);
    await flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
    const item = (await openItemFor(db, "comment", comment.id))!;
    await expectDomainError(
      () => decideReviewItem(db, mod, item.id, { decision: "approve", version: item.version }),
      403,
      "moderation.ownContentNeedsOtherModerator",
    );
    expect(await decideInBulk(db, mod, [{ id: item.id, version: item.version }], "approve", null)).toEqual([
      { id: item.id, ok: false, key: "moderation.ownContentNeedsOtherModerator", params: {}, status: 403 },
    ]);
    expect((await db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).limit(1))[0]!.status).toBe("open");
    await decideReviewItem(db, secondModerator, item.id, { decision: "approve", version: item.version });
    expect((await db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).limit(1))[0]!.status).toBe("approved");
    expect(thread.id).toBeGreaterThan(0);
  });

  it("an admin cannot decide on their own content either", async () => {
    const a = await makeUser(db, { role: "admin" });
    const { item } = await flaggedCommentBy(a.id);
    await expectDomainError(
      () => decideReviewItem(db, a, item.id, { decision: "reject", version: item.version, reason: "x" }),
      403,
      "moderation.ownContentNeedsOtherModerator",
    );
  });
});

describe("the queue offers only what the rules allow", () => {
  /** The queue page's view of the item about `commentId`, as `viewer` sees it. */
  async function viewOf(viewer: User, commentId: number) {
    const rows = (await listQueue(db, { status: "open" }, 1)).rows.filter((r) => r.item.targetType === "comment" && r.item.targetId === commentId);
    expect(rows).toHaveLength(1);
    return queueItemView(
      rows[0]!,
      {},
      new Date(),
      viewer,
      await rejectingModerators(
        db,
        rows.map((r) => r.item),
      ),
    );
  }

  it("no decision form on one's own content, nor for a suspended moderator, with the reason; suspend only where allowed", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const own = await flaggedCommentBy(mod.id);
    expect((await viewOf(mod, own.comment.id)).may).toEqual({
      decide: false,
      suspend: false,
      refusal: { key: "moderation.ownContentNeedsOtherModerator", params: {} },
    });
    // Another moderator decides it, but may not suspend a staff member: only an admin may.
    expect((await viewOf(secondModerator, own.comment.id)).may).toMatchObject({ decide: true, suspend: false, refusal: null });
    expect((await viewOf(admin, own.comment.id)).may).toMatchObject({ decide: true, suspend: true, refusal: null });

    const byResident = await flaggedCommentBy(resident.id);
    expect((await viewOf(secondModerator, byResident.comment.id)).may).toMatchObject({ decide: true, suspend: true });
    const off = await suspended("moderator");
    const view = await viewOf(off, byResident.comment.id);
    expect(view.may).toMatchObject({ decide: false, suspend: false, refusal: { key: "accounts.refusal.suspendedUntil" } });
  });

  it("an appeal is not offered to the moderator whose rejection it contests", async () => {
    const { comment, item } = await flaggedCommentBy(resident.id);
    await decideReviewItem(db, moderator, item.id, { decision: "reject", version: item.version, reason: "Spam" });
    await appealDecision(db, await userRow(db, resident.id), "comment", comment.id, "Ini bukan spam, mohon ditinjau.");
    expect((await viewOf(moderator, comment.id)).may).toMatchObject({ decide: false, refusal: { key: "moderation.appealNeedsOtherModerator" } });
    expect((await viewOf(secondModerator, comment.id)).may).toMatchObject({ decide: true, suspend: false });
  });
});

describe("staff ballots and supports", () => {
  it("staff cannot cast a ballot or support a proposal: the tallies count residents only", async () => {
    const project = await makeProject(db);
    const proposal = await makeProposal(db, resident.id, project.id);
    for (const staff of [planner, moderator, admin]) {
      await expectDomainError(() => castVote(db, staff, project.id, "support"), 403, "accounts.refusal.staffDoNotVote");
      await expectDomainError(() => supportProposal(db, staff, proposal.id), 403, "accounts.refusal.staffDoNotVote");
    }
    expect(await db.select().from(votes).where(eq(votes.projectId, project.id))).toEqual([]);
    expect(await projectRow(db, project.id)).toMatchObject({ votesSupport: 0, votesOppose: 0, votesAbstain: 0 });
    expect((await db.select().from(proposals).where(eq(proposals.id, proposal.id)).limit(1))[0]!.supportCount).toBe(0);
    await castVote(db, resident, project.id, "support");
    expect((await projectRow(db, project.id)).votesSupport).toBe(1);
  });

  it("the vote box tells staff why, before they try", async () => {
    const project = await makeProject(db);
    expect(participationState(project, planner, new Date(), { verified: true, resident: true })).toEqual({
      kind: "refused",
      key: "accounts.refusal.staffDoNotVote",
      params: {},
    });
    expect(participationState(project, resident, new Date(), { verified: true, resident: true })).toEqual({ kind: "open" });
  });
});
