import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
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
let db: Db;
let admin: User;
let secondAdmin: User;
let moderator: User;
let secondModerator: User;
let planner: User;
let resident: User;
let areaId: number;

beforeAll(async () => {
  db = freshDatabase().db;
  setSetting(db, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  admin = await makeUser(db, { role: "admin" });
  secondAdmin = await makeUser(db, { role: "admin" });
  moderator = await makeUser(db, { role: "moderator" });
  secondModerator = await makeUser(db, { role: "moderator" });
  planner = await makeUser(db, { role: "planner" });
  resident = await makeUser(db);
  areaId = makeAreas(db).kelurahan.id;
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

function formOf(current: ReturnType<typeof currentModerationSettings>): SettingsForm {
  return {
    numbers: Object.fromEntries(Object.entries(current.numbers).map(([k, v]) => [k, String(v)])) as SettingsForm["numbers"],
    blockedWords: current.blockedWords.join("\n"),
  };
}

/** Suspends `who` as an admin would, and returns the reloaded row the session would carry. */
async function suspended(role: User["role"]): Promise<User> {
  const user = await makeUser(db, { role });
  suspendUser(db, admin, user.id, "7d", "Penyalahgunaan wewenang");
  return userRow(db, user.id);
}

function flaggedCommentBy(authorId: number) {
  const thread = makeThread(db, resident.id);
  const comment = makeComment(db, thread, authorId);
  const item = enqueueReview(db, { type: "comment", id: comment.id, projectId: thread.projectId, authorId }, ["flagged"], 5);
  return { thread, comment, item };
}

const logCount = () => db.select().from(moderationLog).all().length;

describe("a suspended moderator keeps no staff power", () => {
  it("cannot decide, hide, lock, suspend or lift: 403 with the suspension's message, and nothing changes", async () => {
    const mod = await suspended("moderator");
    const { comment, thread, item } = flaggedCommentBy(resident.id);
    const other = await makeUser(db);
    const before = logCount();
    expectDomainError(() => decideReviewItem(db, mod, item.id, { decision: "approve", version: item.version }), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => decideInBulk(db, mod, [{ id: item.id, version: item.version }], "reject", "Spam"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => hideContent(db, mod, "comment", comment.id, "Spam"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => setThreadState(db, mod, thread.id, { locked: true }), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => suspendUser(db, mod, other.id, "1d", "Spam"), 403, "accounts.refusal.suspendedUntil");
    expect(db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).get()!.status).toBe("open");
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(threadRow(db, thread.id).locked).toBe(false);
    expect(userRow(db, other.id).suspendedUntil).toBeNull();
    expect(logCount()).toBe(before);
  });

  it("cannot lift their own suspension, nor anyone else's", async () => {
    const mod = await suspended("moderator");
    const other = await makeUser(db);
    suspendUser(db, moderator, other.id, "1d", "Spam");
    expectDomainError(() => liftSuspension(db, mod, mod.id, "Saya tidak bersalah"), 403);
    expectDomainError(() => liftSuspension(db, mod, other.id), 403, "accounts.refusal.suspendedUntil");
    expect(userRow(db, mod.id).suspendedUntil).not.toBeNull();
    expect(userRow(db, other.id).suspendedUntil).not.toBeNull();
  });

  it("may still appeal a decision on their own content", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const { comment, item } = flaggedCommentBy(mod.id);
    decideReviewItem(db, admin, item.id, { decision: "reject", version: item.version, reason: "Menyerang warga.", suspend: "7d" });
    const now = userRow(db, mod.id);
    expect(now.suspendedUntil).not.toBeNull();
    const appeal = appealDecision(db, now, "comment", comment.id, "Saya mohon ditinjau ulang.");
    expect(appeal.reasons).toContain("appeal");
  });
});

describe("a suspended planner keeps no staff power", () => {
  it("cannot create, edit, move, publish an update or answer a proposal", async () => {
    const p = await suspended("planner");
    const project = makeProject(db);
    const proposal = makeProposal(db, resident.id, project.id);
    const before = logCount();
    expectDomainError(() => createProject(db, p, projectInput(), "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => updateProject(db, p, project.id, projectInput(), "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => moveProjectPhase(db, p, project.id, { to: "review" }, "Asia/Jakarta"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => postProjectUpdate(db, p, project.id, "Pekerjaan dimulai."), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => answerProposal(db, p, proposal.id, { status: "accepted", answer: "Diterima." }), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => setThreadState(db, p, makeThread(db, resident.id, project.id).id, { pinned: true }), 403, "accounts.refusal.suspendedUntil");
    expect(projectRow(db, project.id).phase).toBe("consultation");
    expect(db.select().from(proposals).where(eq(proposals.id, proposal.id)).get()!.status).toBe("open");
    expect(logCount()).toBe(before);
  });
});

describe("a suspended planner reads reports but exports nothing", () => {
  it("the report page stays open; every download is refused with the suspension's message", async () => {
    const p = await suspended("planner");
    expect(() => assertReportReader(p)).not.toThrow();
    expectDomainError(() => assertReportExporter(p), 403, "accounts.refusal.suspendedUntil");
    expect(() => assertReportExporter(planner)).not.toThrow();
    expectDomainError(() => assertReportExporter(moderator), 403);
  });
});

describe("a suspended admin keeps no staff power", () => {
  it("cannot change roles or settings, and cannot lift their own suspension", async () => {
    const a = await makeUser(db, { role: "admin" });
    suspendUser(db, secondAdmin, a.id, "30d", "Akun dibajak");
    const me = userRow(db, a.id);
    const target = await makeUser(db);
    const form = formOf(currentModerationSettings(db));
    form.numbers.linkLimit = "9";
    expectDomainError(() => changeRole(db, me, target.id, "moderator"), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => updateModerationSettings(db, me, form), 403, "accounts.refusal.suspendedUntil");
    expectDomainError(() => liftSuspension(db, me, me.id), 403);
    expect(userRow(db, target.id).role).toBe("resident");
    expect(currentModerationSettings(db).numbers.linkLimit).not.toBe(9);
    expect(userRow(db, me.id).suspendedUntil).not.toBeNull();
  });
});

describe("who lifts a suspension", () => {
  it("nobody lifts their own, even an admin whose suspension has a reason they dispute", async () => {
    const a = await makeUser(db, { role: "admin" });
    suspendUser(db, admin, a.id, "1d", "Uji");
    expectDomainError(() => liftSuspension(db, userRow(db, a.id), a.id), 403);
  });

  it("a moderator cannot lift a suspension imposed on staff; an admin can", async () => {
    const p = await suspended("planner");
    expectDomainError(() => liftSuspension(db, moderator, p.id, "Salah paham"), 403, "moderation.staffOnlyByAdmin");
    expect(userRow(db, p.id).suspendedUntil).not.toBeNull();
    liftSuspension(db, admin, p.id, "Salah paham");
    expect(userRow(db, p.id).suspendedUntil).toBeNull();
  });

  it("a moderator still lifts a resident's suspension", async () => {
    const r = await makeUser(db);
    suspendUser(db, moderator, r.id, "7d", "Spam");
    liftSuspension(db, secondModerator, r.id, "Bukan spam");
    expect(userRow(db, r.id).suspendedUntil).toBeNull();
  });
});

describe("four eyes on one's own content", () => {
  it("a moderator cannot decide the flags against their own comment; another moderator can", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const { thread, comment } = flaggedCommentBy(mod.id);
    const flagger = await makeUser(db);
    flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
    const item = openItemFor(db, "comment", comment.id)!;
    expectDomainError(
      () => decideReviewItem(db, mod, item.id, { decision: "approve", version: item.version }),
      403,
      "moderation.ownContentNeedsOtherModerator",
    );
    expect(decideInBulk(db, mod, [{ id: item.id, version: item.version }], "approve", null)).toEqual([
      { id: item.id, ok: false, key: "moderation.ownContentNeedsOtherModerator", params: {}, status: 403 },
    ]);
    expect(db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).get()!.status).toBe("open");
    decideReviewItem(db, secondModerator, item.id, { decision: "approve", version: item.version });
    expect(db.select().from(reviewItems).where(eq(reviewItems.id, item.id)).get()!.status).toBe("approved");
    expect(thread.id).toBeGreaterThan(0);
  });

  it("an admin cannot decide on their own content either", async () => {
    const a = await makeUser(db, { role: "admin" });
    const { item } = flaggedCommentBy(a.id);
    expectDomainError(
      () => decideReviewItem(db, a, item.id, { decision: "reject", version: item.version, reason: "x" }),
      403,
      "moderation.ownContentNeedsOtherModerator",
    );
  });
});

describe("the queue offers only what the rules allow", () => {
  /** The queue page's view of the item about `commentId`, as `viewer` sees it. */
  function viewOf(viewer: User, commentId: number) {
    const rows = listQueue(db, { status: "open" }, 1).rows.filter((r) => r.item.targetType === "comment" && r.item.targetId === commentId);
    expect(rows).toHaveLength(1);
    return queueItemView(
      rows[0]!,
      {},
      new Date(),
      viewer,
      rejectingModerators(
        db,
        rows.map((r) => r.item),
      ),
    );
  }

  it("no decision form on one's own content, nor for a suspended moderator, with the reason; suspend only where allowed", async () => {
    const mod = await makeUser(db, { role: "moderator" });
    const own = flaggedCommentBy(mod.id);
    expect(viewOf(mod, own.comment.id).may).toEqual({
      decide: false,
      suspend: false,
      refusal: { key: "moderation.ownContentNeedsOtherModerator", params: {} },
    });
    // Another moderator decides it, but may not suspend a staff member: only an admin may.
    expect(viewOf(secondModerator, own.comment.id).may).toMatchObject({ decide: true, suspend: false, refusal: null });
    expect(viewOf(admin, own.comment.id).may).toMatchObject({ decide: true, suspend: true, refusal: null });

    const byResident = flaggedCommentBy(resident.id);
    expect(viewOf(secondModerator, byResident.comment.id).may).toMatchObject({ decide: true, suspend: true });
    const off = await suspended("moderator");
    const view = viewOf(off, byResident.comment.id);
    expect(view.may).toMatchObject({ decide: false, suspend: false, refusal: { key: "accounts.refusal.suspendedUntil" } });
  });

  it("an appeal is not offered to the moderator whose rejection it contests", async () => {
    const { comment, item } = flaggedCommentBy(resident.id);
    decideReviewItem(db, moderator, item.id, { decision: "reject", version: item.version, reason: "Spam" });
    appealDecision(db, userRow(db, resident.id), "comment", comment.id, "Ini bukan spam, mohon ditinjau.");
    expect(viewOf(moderator, comment.id).may).toMatchObject({ decide: false, refusal: { key: "moderation.appealNeedsOtherModerator" } });
    expect(viewOf(secondModerator, comment.id).may).toMatchObject({ decide: true, suspend: false });
  });
});

describe("staff ballots and supports", () => {
  it("staff cannot cast a ballot or support a proposal: the tallies count residents only", async () => {
    const project = makeProject(db);
    const proposal = makeProposal(db, resident.id, project.id);
    for (const staff of [planner, moderator, admin]) {
      expectDomainError(() => castVote(db, staff, project.id, "support"), 403, "accounts.refusal.staffDoNotVote");
      expectDomainError(() => supportProposal(db, staff, proposal.id), 403, "accounts.refusal.staffDoNotVote");
    }
    expect(db.select().from(votes).where(eq(votes.projectId, project.id)).all()).toEqual([]);
    expect(projectRow(db, project.id)).toMatchObject({ votesSupport: 0, votesOppose: 0, votesAbstain: 0 });
    expect(db.select().from(proposals).where(eq(proposals.id, proposal.id)).get()!.supportCount).toBe(0);
    castVote(db, resident, project.id, "support");
    expect(projectRow(db, project.id).votesSupport).toBe(1);
  });

  it("the vote box tells staff why, before they try", () => {
    const project = makeProject(db);
    expect(participationState(project, planner, new Date(), { verified: true, resident: true })).toEqual({
      kind: "refused",
      key: "accounts.refusal.staffDoNotVote",
      params: {},
    });
    expect(participationState(project, resident, new Date(), { verified: true, resident: true })).toEqual({ kind: "open" });
  });
});
