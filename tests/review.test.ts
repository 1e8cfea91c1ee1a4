import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { comments, flags, moderationLog, reviewItems, votes, type SuspensionDuration, type User } from "~db/schema";
import { deleteComment, editComment, openThread, postComment } from "~/discussion/discussion.server";
import { submitProposal, supportProposal } from "~/proposals/proposals.server";
import { castVote } from "~/voting/voting.server";
import { flagContent } from "~/moderation/flags.server";
import { appealDecision, decideInBulk, decideReviewItem, enqueueReview, hideContent, listQueue, QUEUE_PAGE_SIZE } from "~/moderation/review.server";
import { parseQueueFilters } from "~/http/queue-filters.server";
import { liftSuspension, PERMANENT, suspendUser } from "~/moderation/suspensions.server";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject } from "./support/factories";
import { expectConstraint, makeProposal, makeThread, makeUsers } from "./support/more-factories";
import { daysFromNow, expectDomainError } from "./support/domain-errors";
import {
  commentRow,
  logRowsFor,
  makeEstablishedUser,
  makeNewAuthor,
  notificationsOf,
  openItemFor,
  projectRow,
  reviewItemsFor,
  threadRow,
  userRow,
} from "./support/moderation";
import { runConcurrently } from "./support/concurrent-children";
import type { DecideSummary } from "./support/decide-child";

let db: AppDb;
let dbPath: string;
let moderator: User;
let secondModerator: User;
let admin: User;
let resident: User;

const liberalLimits = async (database: AppDb) => {
  await setSetting(database, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(database, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
  await setSetting(database, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  await setSetting(database, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
};

beforeAll(async () => {
  ({ db, path: dbPath } = await freshDatabase({ appDefaults: true }));
  await liberalLimits(db);
  moderator = await makeEstablishedUser(db, { role: "moderator", displayName: "Moderator Sari" });
  secondModerator = await makeEstablishedUser(db, { role: "moderator", displayName: "Moderator Tono" });
  admin = await makeEstablishedUser(db, { role: "admin" });
  resident = await makeEstablishedUser(db);
});

let texts = 0;
const unique = (text: string) => `${text} (${++texts})`;
const itemRow = async (id: number) => (await db.select().from(reviewItems).where(eq(reviewItems.id, id)).limit(1))[0]!;
const flagStatuses = async (commentId: number) =>
  (
    await db
      .select({ status: flags.status })
      .from(flags)
      .where(and(eq(flags.targetType, "comment"), eq(flags.targetId, commentId)))
  ).map((f) => f.status);

async function newThread(database = db, opener = resident) {
  const project = await makeProject(database);
  return { project, thread: await makeThread(database, opener.id, project.id) };
}

/** A comment of a new author, held for review, with its open queue item. */
async function heldComment(options: { parentId?: number } = {}) {
  const { project, thread } = await newThread();
  const author = await makeNewAuthor(db);
  const comment = await postComment(db, author, thread.id, { body: unique("Komentar menunggu"), parentId: options.parentId });
  expect(comment.visibility).toBe("pending");
  return { project, thread, author, comment, item: await openItemFor(db, "comment", comment.id) };
}

/** A published comment of an established author, flagged once (weight 1, not hidden). */
async function flaggedComment() {
  const { project, thread } = await newThread();
  const author = await makeEstablishedUser(db);
  const comment = await postComment(db, author, thread.id, { body: unique("Komentar yang ditandai") });
  await flagContent(db, resident, "comment", comment.id, { reason: "harassment", note: "Kasar." });
  return { project, thread, author, comment, item: await openItemFor(db, "comment", comment.id) };
}

const decide = async (mod: User, itemId: number, input: { decision: "approve" | "reject"; reason?: string; suspend?: SuspensionDuration }, now?: Date) =>
  decideReviewItem(db, mod, itemId, { ...input, version: (await itemRow(itemId)).version }, now);

describe("the queue", () => {
  it("lists open items by score, highest first, then oldest first", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await liberalLimits(own);
    await setSetting(own, "blockedWords", ["bodoh"]);
    const opener = await makeEstablishedUser(own);
    const { thread } = await newThread(own, opener);
    const t0 = Date.now() - 30 * 60_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const newbie = await makeNewAuthor(own);
    const olderHeld = await postComment(own, newbie, thread.id, { body: "Pertama" }, at(0));
    const newerHeld = await postComment(own, newbie, thread.id, { body: "Kedua" }, at(1));
    const blocked = await postComment(own, opener, thread.id, { body: "Dasar bodoh" }, at(2));
    const published = await postComment(own, opener, thread.id, { body: "Terbit" }, at(3));
    await flagContent(own, await makeEstablishedUser(own, { role: "moderator" }), "comment", published.id, { reason: "spam" }, at(4));
    const newestHeld = await postComment(own, newbie, thread.id, { body: "Ketiga" }, at(5));
    const queue = await listQueue(own, {}, 1);
    expect(queue.rows.map((r) => [r.item.targetId, r.item.score])).toEqual([
      [published.id, 3],
      [blocked.id, 2],
      [olderHeld.id, 1],
      [newerHeld.id, 1],
      [newestHeld.id, 1],
    ]);
    expect(queue.total).toBe(5);
    // Each row carries what a moderator needs: the content, its thread, the author's history.
    expect(queue.rows[0]).toMatchObject({ content: { bodyHtml: "<p>Terbit</p>" }, context: { threadId: thread.id }, author: { id: opener.id } });
  });

  it("filters by reason, content type, project and status", async () => {
    const held = await heldComment();
    const flagged = await flaggedComment();
    const { project } = await newThread();
    const newbie = await makeNewAuthor(db);
    const heldThread = await openThread(db, newbie, project.id, { title: "Utas tertahan", body: unique("Isi utas") });
    const ids = async (filters: Parameters<typeof listQueue>[1]) => (await listQueue(db, filters, 1)).rows.map((r) => r.item.id);

    expect(await ids({ reason: "flagged" })).toContain(flagged.item.id);
    expect(await ids({ reason: "flagged" })).not.toContain(held.item.id);
    expect(await ids({ reason: "new_author" })).toEqual(expect.arrayContaining([held.item.id, (await openItemFor(db, "thread", heldThread.id)).id]));
    expect(await ids({ reason: "new_author" })).not.toContain(flagged.item.id);
    expect((await listQueue(db, { type: "thread" }, 1)).rows.every((r) => r.item.targetType === "thread")).toBe(true);
    expect(await ids({ type: "thread" })).toContain((await openItemFor(db, "thread", heldThread.id)).id);
    expect(await ids({ type: "thread" })).not.toContain(held.item.id);
    expect(await ids({ projectId: held.project.id })).toEqual([held.item.id]);
    expect(await ids({ projectId: project.id, type: "comment" })).toEqual([]);

    await decide(moderator, held.item.id, { decision: "approve" });
    await decide(moderator, flagged.item.id, { decision: "reject", reason: "Kasar." });
    expect(await ids({})).not.toContain(held.item.id);
    expect(await ids({ status: "approved" })).toContain(held.item.id);
    expect(await ids({ status: "approved" })).not.toContain(flagged.item.id);
    expect(await ids({ status: "rejected" })).toContain(flagged.item.id);
  });

  it("reads its filters from the URL and ignores values it does not know", async () => {
    expect(parseQueueFilters(new URL("https://x.id/staff/moderation?status=rejected&reason=flagged&type=proposal&project=7"))).toEqual({
      status: "rejected",
      reason: "flagged",
      type: "proposal",
      projectId: 7,
    });
    expect(parseQueueFilters(new URL("https://x.id/staff/moderation?status=all&reason=bored&type=user&project=-1"))).toEqual({
      status: "open",
      reason: null,
      type: null,
      projectId: null,
    });
  });

  it("is paginated, 25 items a page", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await liberalLimits(own);
    const writer = await makeEstablishedUser(own);
    const { thread } = await newThread(own, writer);
    for (let i = 0; i < 30; i++) {
      const c = await postComment(own, writer, thread.id, { body: `Komentar ${i}` });
      await enqueueReview(own, { type: "comment", id: c.id, projectId: thread.projectId, authorId: writer.id }, ["flagged"], 1);
    }
    expect(QUEUE_PAGE_SIZE).toBe(25);
    const [first, second] = [await listQueue(own, {}, 1), await listQueue(own, {}, 2)];
    expect([first.rows.length, second.rows.length, first.total, first.pageCount]).toEqual([25, 5, 30, 2]);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.item.id)).size).toBe(30);
  });

  it("keeps one open item per piece of content: reasons merge, scores add up, the version moves on", async () => {
    await setSetting(db, "blockedWords", ["bodoh"]);
    const { comment, author, item } = await flaggedComment();
    expect(item).toMatchObject({ reasons: ["flagged"], score: 1 });
    await editComment(db, author, comment.id, "Sekarang bodoh");
    await flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", comment.id, { reason: "spam" });
    const items = await reviewItemsFor(db, "comment", comment.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: item.id, reasons: ["flagged", "edit", "blocked_word"], score: 1 + 1 + 2 + 1, version: item.version + 2 });
    // The database itself refuses a second open item for the same content.
    await expectConstraint(
      () =>
        withWriteTx(db, async (tx) => {
          await tx
            .insert(reviewItems)
            .values({ targetType: "comment", targetId: comment.id, projectId: comment.projectId, authorId: author.id, reasons: ["flagged"] });
        }),
      "UNIQUE",
      /review_items\.target_type/,
    );
    await setSetting(db, "blockedWords", []);
  });
});

describe("approving", () => {
  it("publishes a held reply: counts rise, the parent's author hears of the reply, the author of the approval, and the log records it", async () => {
    const { project, thread } = await newThread();
    const parent = await postComment(db, resident, thread.id, { body: unique("Komentar induk") });
    const author = await makeNewAuthor(db);
    const reply = await postComment(db, author, thread.id, { body: unique("Balasan tertahan"), parentId: parent.id });
    const item = await openItemFor(db, "comment", reply.id);
    const repliesAbout = async () => (await notificationsOf(db, resident.id, "reply")).filter((n) => n.link.includes(`comment=${reply.id}`));
    expect(await repliesAbout()).toEqual([]);
    const before = {
      thread: (await threadRow(db, thread.id)).commentCount,
      project: (await projectRow(db, project.id)).commentCount,
      replies: (await commentRow(db, parent.id)).replyCount,
    };

    const at = new Date();
    await decide(moderator, item.id, { decision: "approve" }, at);
    expect((await commentRow(db, reply.id)).visibility).toBe("published");
    expect({
      thread: (await threadRow(db, thread.id)).commentCount,
      project: (await projectRow(db, project.id)).commentCount,
      replies: (await commentRow(db, parent.id)).replyCount,
    }).toEqual({
      thread: before.thread + 1,
      project: before.project + 1,
      replies: before.replies + 1,
    });
    expect((await userRow(db, author.id)).contributionCount).toBe(1);
    expect(await repliesAbout()).toHaveLength(1);
    expect((await repliesAbout())[0]!.params).toMatchObject({ name: author.displayName });
    expect(await notificationsOf(db, author.id, "content_approved")).toHaveLength(1);
    expect(await itemRow(item.id)).toMatchObject({ status: "approved", decidedBy: moderator.id, decisionReason: null, version: item.version + 1 });
    expect((await itemRow(item.id)).decidedAt?.getTime()).toBe(at.getTime());
    expect((await logRowsFor(db, "comment", reply.id)).map((l) => [l.action, l.actorId])).toEqual([["review_approve", moderator.id]]);
  });

  it("restores a hidden comment and dismisses its flags", async () => {
    const { project, thread } = await newThread();
    const author = await makeEstablishedUser(db);
    const comment = await postComment(db, author, thread.id, { body: unique("Akan disembunyikan") });
    for (const user of await makeUsers(db, 3)) await flagContent(db, user, "comment", comment.id, { reason: "spam" });
    expect((await commentRow(db, comment.id)).visibility).toBe("hidden");
    expect([(await threadRow(db, thread.id)).commentCount, (await projectRow(db, project.id)).commentCount]).toEqual([0, 0]);

    await decide(moderator, (await openItemFor(db, "comment", comment.id)).id, { decision: "approve" });
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect([(await threadRow(db, thread.id)).commentCount, (await projectRow(db, project.id)).commentCount]).toEqual([1, 1]);
    expect(await flagStatuses(comment.id)).toEqual(["dismissed", "dismissed", "dismissed"]);
    expect(await notificationsOf(db, author.id, "content_approved")).toHaveLength(1);
  });
});

describe("rejecting", () => {
  it("needs a reason (400 moderation.reasonRequired), and nothing changes without one", async () => {
    const { comment, item } = await flaggedComment();
    for (const reason of [undefined, "", "   "]) {
      const error = await expectDomainError(() => decide(moderator, item.id, { decision: "reject", reason }), 400, "moderation.reasonRequired");
      expect(error.field).toBe("reason");
    }
    await expectDomainError(() => decide(moderator, item.id, { decision: "reject", reason: "r".repeat(1001) }), 400, "errors.tooLongMax");
    await expectDomainError(
      () => decideReviewItem(db, moderator, item.id, { decision: "delete" as "reject", version: item.version, reason: "x" }),
      400,
      "moderation.decisionInvalid",
    );
    expect(await itemRow(item.id)).toMatchObject({ status: "open", version: item.version });
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect(await flagStatuses(comment.id)).toEqual(["open"]);
  });

  it("hides the content as rejected, upholds its flags and tells the author the reason", async () => {
    const { project, thread, comment, author, item } = await flaggedComment();
    const contributions = (await userRow(db, author.id)).contributionCount;
    await decide(moderator, item.id, { decision: "reject", reason: "  Menyerang pribadi.  " });
    expect((await commentRow(db, comment.id)).visibility).toBe("rejected");
    expect([(await threadRow(db, thread.id)).commentCount, (await projectRow(db, project.id)).commentCount]).toEqual([0, 0]);
    expect((await userRow(db, author.id)).contributionCount).toBe(contributions - 1);
    expect(await flagStatuses(comment.id)).toEqual(["upheld"]);
    expect(await itemRow(item.id)).toMatchObject({ status: "rejected", decidedBy: moderator.id, decisionReason: "Menyerang pribadi." });
    const told = await notificationsOf(db, author.id, "content_rejected");
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ reason: "Menyerang pribadi." });
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => [l.action, l.actorId, l.reason])).toEqual([
      ["review_reject", moderator.id, "Menyerang pribadi."],
    ]);
  });

  it("of held content changes no count: it was never counted", async () => {
    const { project, thread, author, comment, item } = await heldComment();
    await decide(moderator, item.id, { decision: "reject", reason: "Iklan." });
    expect((await commentRow(db, comment.id)).visibility).toBe("rejected");
    expect([
      (await threadRow(db, thread.id)).commentCount,
      (await projectRow(db, project.id)).commentCount,
      (await userRow(db, author.id)).contributionCount,
    ]).toEqual([0, 0, 0]);
  });
});

describe("rejecting and suspending the author", () => {
  it.each([
    ["1d", 1],
    ["7d", 7],
    ["30d", 30],
  ] as const)("for %s sets suspendedUntil that many days ahead, with the reason, logs and notifies", async (duration, days) => {
    const { author, item } = await flaggedComment();
    const at = new Date();
    await decide(moderator, item.id, { decision: "reject", reason: "Spam berulang.", suspend: duration }, at);
    expect(await userRow(db, author.id)).toMatchObject({ suspendedUntil: new Date(at.getTime() + days * 86_400_000), suspensionReason: "Spam berulang." });
    const log = await logRowsFor(db, "user", author.id);
    expect(log.map((l) => [l.action, l.actorId, l.reason])).toEqual([["suspend", moderator.id, "Spam berulang."]]);
    expect(log[0]!.details).toMatchObject({ duration });
    expect(await notificationsOf(db, author.id, "suspended")).toHaveLength(1);
  });

  it("permanently sets the far-future end date", async () => {
    const { author, item } = await flaggedComment();
    await decide(moderator, item.id, { decision: "reject", reason: "Ancaman.", suspend: "permanent" });
    expect((await userRow(db, author.id)).suspendedUntil).toEqual(PERMANENT);
    expect(PERMANENT.getUTCFullYear()).toBe(9999);
  });

  it("with an unknown duration is refused (400) and the rejection is not applied either", async () => {
    const { author, comment, item } = await flaggedComment();
    await expectDomainError(
      () => decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "2w" as SuspensionDuration }),
      400,
      "moderation.durationInvalid",
    );
    expect((await itemRow(item.id)).status).toBe("open");
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await userRow(db, author.id)).suspendedUntil).toBeNull();
    expect(await logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  /** Every write a resident can make, each with something to write on. */
  async function writesFor(author: User) {
    const { project, thread } = await newThread();
    const own = await postComment(db, author, thread.id, { body: unique("Ditulis sebelum diskors") });
    const others = await makeProposal(db, resident.id, project.id);
    const othersComment = await postComment(db, resident, thread.id, { body: unique("Komentar orang lain") });
    return {
      project,
      thread,
      own,
      attempts: {
        postComment: (u: User) => postComment(db, u, thread.id, { body: unique("Komentar saat diskors") }),
        openThread: (u: User) => openThread(db, u, project.id, { title: "Utas saat diskors", body: unique("Isi") }),
        editComment: (u: User) => editComment(db, u, own.id, unique("Diubah saat diskors")),
        deleteComment: (u: User) => deleteComment(db, u, own.id),
        submitProposal: (u: User) => submitProposal(db, u, project.id, { title: "Usulan saat diskors", body: unique("Isi") }),
        supportProposal: (u: User) => supportProposal(db, u, others.id),
        castVote: (u: User) => castVote(db, u, project.id, "support"),
        flagContent: (u: User) => flagContent(db, u, "comment", othersComment.id, { reason: "spam" }),
      },
    };
  }

  it("then refuses every write path (403 accounts.refusal.suspendedUntil, with the end date) and writes nothing", async () => {
    const { author, item } = await flaggedComment();
    const { project, thread, own, attempts } = await writesFor(author);
    await decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "7d" });
    const suspended = await userRow(db, author.id);
    const before = { comments: (await threadRow(db, thread.id)).commentCount, project: await projectRow(db, project.id) };
    for (const [path, attempt] of Object.entries(attempts)) {
      const error = await expectDomainError(() => attempt(suspended), 403, "accounts.refusal.suspendedUntil");
      expect(error.params, path).toEqual({ until: suspended.suspendedUntil!.toISOString() });
    }
    expect((await threadRow(db, thread.id)).commentCount).toBe(before.comments);
    expect(await projectRow(db, project.id)).toMatchObject({
      threadCount: before.project.threadCount,
      proposalCount: before.project.proposalCount,
      votesSupport: before.project.votesSupport,
    });
    expect(await commentRow(db, own.id)).toMatchObject({ visibility: "published", editedAt: null });
    expect(await db.select().from(votes).where(eq(votes.userId, author.id))).toEqual([]);
    expect(await db.select().from(flags).where(eq(flags.userId, author.id))).toEqual([]);
  });

  it("permanently refuses every write path with accounts.refusal.suspendedPermanently", async () => {
    const { author, item } = await flaggedComment();
    const { attempts } = await writesFor(author);
    await decide(moderator, item.id, { decision: "reject", reason: "Ancaman.", suspend: "permanent" });
    for (const attempt of Object.values(attempts)) {
      const suspended = await userRow(db, author.id);
      await expectDomainError(() => attempt(suspended), 403, "accounts.refusal.suspendedPermanently");
    }
  });

  it("liftSuspension restores every write path, is logged, and cannot lift twice (409)", async () => {
    const { author, item } = await flaggedComment();
    const { attempts } = await writesFor(author);
    await decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "30d" });
    const suspended = await userRow(db, author.id);
    await expectDomainError(() => attempts.postComment(suspended), 403, "accounts.refusal.suspendedUntil");
    await liftSuspension(db, secondModerator, author.id, "Salah paham.");
    expect(await userRow(db, author.id)).toMatchObject({ suspendedUntil: null, suspensionReason: null });
    const lifted = await userRow(db, author.id);
    for (const [path, attempt] of Object.entries(attempts)) await expect(attempt(lifted), path).resolves.not.toThrow();
    expect((await logRowsFor(db, "user", author.id)).map((l) => [l.action, l.actorId])).toEqual([
      ["suspend", moderator.id],
      ["suspension_lift", secondModerator.id],
    ]);
    await expectDomainError(() => liftSuspension(db, secondModerator, author.id), 409, "moderation.notSuspended");
  });

  it("ends by itself: after the end date the author writes again", async () => {
    const { author, thread, item } = await flaggedComment();
    await decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "1d" });
    const suspended = await userRow(db, author.id);
    await expectDomainError(() => postComment(db, suspended, thread.id, { body: unique("Terlalu cepat") }), 403, "accounts.refusal.suspendedUntil");
    // The consultation is still open in a day and a minute (makeProject closes it in seven days).
    expect((await postComment(db, suspended, thread.id, { body: unique("Sudah boleh") }, daysFromNow(1, new Date(Date.now() + 60_000)))).visibility).toBe(
      "published",
    );
  });

  it("a moderator may not suspend staff (403) and nobody may suspend themself; an admin may suspend a moderator", async () => {
    const planner = await makeEstablishedUser(db, { role: "planner" });
    await expectDomainError(() => suspendUser(db, moderator, planner.id, "7d", "Alasan"), 403, "moderation.staffOnlyByAdmin");
    await expectDomainError(() => suspendUser(db, moderator, moderator.id, "7d", "Alasan"), 403, "moderation.notSelf");
    await expectDomainError(() => suspendUser(db, moderator, resident.id, "7d", "  "), 400, "moderation.reasonRequired");
    await expectDomainError(() => suspendUser(db, moderator, 987654, "7d", "Alasan"), 404, "errors.notFound");
    expect((await userRow(db, planner.id)).suspendedUntil).toBeNull();
    const other = await makeEstablishedUser(db, { role: "moderator" });
    await suspendUser(db, admin, other.id, "1d", "Menyalahgunakan wewenang");
    expect((await userRow(db, other.id)).suspendedUntil).not.toBeNull();
  });
});

describe("who may decide, and on what", () => {
  it("a resident or a planner calling a moderator's action directly is refused (403) and nothing changes", async () => {
    const { comment, author, item } = await flaggedComment();
    const planner = await makeEstablishedUser(db, { role: "planner" });
    for (const actor of [resident, planner]) {
      await expectDomainError(() => decideReviewItem(db, actor, item.id, { decision: "approve", version: item.version }), 403, "errors.forbidden");
      await expectDomainError(() => decideReviewItem(db, actor, item.id, { decision: "reject", version: item.version, reason: "x" }), 403, "errors.forbidden");
      await expectDomainError(() => decideInBulk(db, actor, [{ id: item.id, version: item.version }], "approve", null), 403, "errors.forbidden");
      await expectDomainError(() => hideContent(db, actor, "comment", comment.id, "Disembunyikan"), 403, "errors.forbidden");
      await expectDomainError(() => suspendUser(db, actor, author.id, "7d", "Alasan"), 403, "errors.forbidden");
      await expectDomainError(() => liftSuspension(db, actor, author.id), 403, "errors.forbidden");
    }
    expect(await itemRow(item.id)).toMatchObject({ status: "open", version: item.version });
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await userRow(db, author.id)).suspendedUntil).toBeNull();
    expect(await logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("an item already decided is refused (409 moderation.alreadyDecided), naming the moderator who decided it", async () => {
    const { comment, item } = await flaggedComment();
    await decide(moderator, item.id, { decision: "approve" });
    const error = await expectDomainError(
      () => decideReviewItem(db, secondModerator, item.id, { decision: "reject", version: item.version, reason: "x" }),
      409,
      "moderation.alreadyDecided",
    );
    expect(error.params).toEqual({ name: "Moderator Sari" });
    await expectDomainError(() => decide(secondModerator, item.id, { decision: "reject", reason: "x" }), 409, "moderation.alreadyDecided");
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => l.action)).toEqual(["review_approve"]);
  });

  it("an unknown item is refused (404)", async () => {
    await expectDomainError(() => decideReviewItem(db, moderator, 987654, { decision: "approve", version: 0 }), 404, "errors.notFound");
  });

  it("a decision on a view older than the item is refused (409 moderation.changedSinceLoaded); on the current view it applies", async () => {
    const { comment, item } = await flaggedComment();
    const seen = item.version;
    await flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", comment.id, { reason: "spam" });
    expect((await itemRow(item.id)).version).toBe(seen + 1);
    await expectDomainError(() => decideReviewItem(db, moderator, item.id, { decision: "approve", version: seen }), 409, "moderation.changedSinceLoaded");
    expect((await itemRow(item.id)).status).toBe("open");
    expect(await flagStatuses(comment.id)).toEqual(["open", "open"]);
    await decideReviewItem(db, moderator, item.id, { decision: "approve", version: seen + 1 });
    expect(await flagStatuses(comment.id)).toEqual(["dismissed", "dismissed"]);
  });
});

describe("two moderators deciding the same items at once, in two processes", () => {
  it("record exactly one decision per item; the other moderator gets 409 moderation.alreadyDecided with the first one's name", async () => {
    const { thread } = await newThread();
    const author = await makeEstablishedUser(db);
    const flagger = await makeEstablishedUser(db, { createdAt: new Date() });
    const ITEMS = 150;
    const items = [];
    for (let i = 0; i < ITEMS; i++) {
      const comment = await postComment(db, author, thread.id, { body: `Komentar serentak nomor ${i}` });
      await flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
      items.push({ comment, item: await openItemFor(db, "comment", comment.id) });
    }
    const list = items.map(({ item }) => `${item.id}:${item.version}`).join(",");
    // Both moderators loaded the queue at the same versions; one approves, the other rejects.
    const [approved, rejected] = await runConcurrently<DecideSummary>("decide-child.ts", [
      [dbPath, String(moderator.id), "approve", list],
      [dbPath, String(secondModerator.id), "reject", list],
    ]);

    expect(approved.otherErrors).toEqual([]);
    expect(rejected.otherErrors).toEqual([]);
    // The two processes really ran at the same time.
    expect(Math.max(approved.startedAt, rejected.startedAt)).toBeLessThan(Math.min(approved.endedAt, rejected.endedAt));

    const names = new Map([
      [moderator.id, "Moderator Sari"],
      [secondModerator.id, "Moderator Tono"],
    ]);
    for (const { comment, item } of items) {
      const a = approved.outcomes.find((o) => o.id === item.id)!;
      const r = rejected.outcomes.find((o) => o.id === item.id)!;
      expect([a.ok, r.ok].filter(Boolean), `item ${item.id}`).toHaveLength(1);
      const row = await itemRow(item.id);
      const winner = a.ok ? moderator : secondModerator;
      const loser = a.ok ? r : a;
      expect(row).toMatchObject({ status: a.ok ? "approved" : "rejected", decidedBy: winner.id, version: item.version + 1 });
      expect(loser).toMatchObject({ ok: false, status: 409, key: "moderation.alreadyDecided", params: { name: names.get(winner.id) } });
      expect((await commentRow(db, comment.id)).visibility).toBe(a.ok ? "published" : "rejected");
      const decisions = (await logRowsFor(db, "comment", comment.id)).filter((l) => l.action.startsWith("review_"));
      expect(decisions.map((l) => [l.action, l.actorId])).toEqual([[a.ok ? "review_approve" : "review_reject", winner.id]]);
      expect(await flagStatuses(comment.id)).toEqual([a.ok ? "dismissed" : "upheld"]);
    }
    // The stored counts agree with what was decided.
    const publishedNow = (
      await db
        .select()
        .from(comments)
        .where(and(eq(comments.threadId, thread.id), eq(comments.visibility, "published")))
    ).length;
    expect((await threadRow(db, thread.id)).commentCount).toBe(publishedNow);
    expect((await notificationsOf(db, author.id, "content_approved")).length + (await notificationsOf(db, author.id, "content_rejected")).length).toBe(ITEMS);
  }, 60_000);
});

describe("appeals", () => {
  /** A comment rejected by `moderator`, with its author. */
  async function rejectedComment() {
    const flagged = await flaggedComment();
    await decide(moderator, flagged.item.id, { decision: "reject", reason: "Kasar." });
    expect((await commentRow(db, flagged.comment.id)).visibility).toBe("rejected");
    return flagged;
  }

  it("are the author's alone (403), for rejected content only (409), with a text of at most 1000 characters (400)", async () => {
    const { comment, author } = await rejectedComment();
    await expectDomainError(() => appealDecision(db, resident, "comment", comment.id, "Saya keberatan."), 403, "errors.forbidden");
    await expectDomainError(() => appealDecision(db, author, "comment", comment.id, "   "), 400, "errors.required");
    await expectDomainError(() => appealDecision(db, author, "comment", comment.id, "a".repeat(1001)), 400, "errors.tooLongMax");
    await expectDomainError(() => appealDecision(db, author, "comment", 987654, "Keberatan."), 404, "errors.notFound");
    const { comment: published, author: publishedAuthor } = await flaggedComment();
    await expectDomainError(() => appealDecision(db, publishedAuthor, "comment", published.id, "Keberatan."), 409, "moderation.notRejected");
    const held = await heldComment();
    await expectDomainError(() => appealDecision(db, held.author, "comment", held.comment.id, "Keberatan."), 409, "moderation.notRejected");
    expect((await reviewItemsFor(db, "comment", comment.id)).filter((i) => i.status === "open")).toEqual([]);
  });

  it("enter the queue with the appeal text, once: a second appeal is refused (409 moderation.alreadyAppealed)", async () => {
    const { comment, author } = await rejectedComment();
    const at = new Date();
    const item = await appealDecision(db, author, "comment", comment.id, "  Itu kutipan, bukan hinaan.  ", at);
    expect(item).toMatchObject({ status: "open", reasons: ["appeal"], appealText: "Itu kutipan, bukan hinaan.", authorId: author.id });
    expect((await listQueue(db, { reason: "appeal" }, 1)).rows.find((r) => r.item.id === item.id)?.item.appealText).toBe("Itu kutipan, bukan hinaan.");
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => [l.action, l.actorId])).toEqual([
      ["review_reject", moderator.id],
      ["appeal", author.id],
    ]);
    await expectDomainError(() => appealDecision(db, author, "comment", comment.id, "Sekali lagi."), 409, "moderation.alreadyAppealed");
    expect(await reviewItemsFor(db, "comment", comment.id)).toHaveLength(2);
  });

  it("are decided by another moderator than the one who rejected (403 moderation.appealNeedsOtherModerator), who may overturn", async () => {
    const { project, thread, comment, author } = await rejectedComment();
    const appeal = await appealDecision(db, author, "comment", comment.id, "Mohon ditinjau ulang.");
    await expectDomainError(() => decide(moderator, appeal.id, { decision: "approve" }), 403, "moderation.appealNeedsOtherModerator");
    expect((await itemRow(appeal.id)).status).toBe("open");

    await decide(secondModerator, appeal.id, { decision: "approve", reason: "Kutipan yang sah." });
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect([(await threadRow(db, thread.id)).commentCount, (await projectRow(db, project.id)).commentCount]).toEqual([1, 1]);
    const told = await notificationsOf(db, author.id, "appeal_decided");
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ outcome: "overturned", reason: "Kutipan yang sah." });
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => [l.action, l.actorId])).toEqual([
      ["review_reject", moderator.id],
      ["appeal", author.id],
      ["appeal_overturn", secondModerator.id],
    ]);
  });

  it("upheld, leave the content rejected, tell the author and log appeal_uphold; there is no second appeal", async () => {
    const { comment, author } = await rejectedComment();
    const appeal = await appealDecision(db, author, "comment", comment.id, "Mohon ditinjau ulang.");
    await decide(secondModerator, appeal.id, { decision: "reject", reason: "Tetap kasar." });
    expect((await commentRow(db, comment.id)).visibility).toBe("rejected");
    expect((await notificationsOf(db, author.id, "appeal_decided"))[0]!.params).toMatchObject({ outcome: "upheld", reason: "Tetap kasar." });
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => l.action)).toEqual(["review_reject", "appeal", "appeal_uphold"]);
    await expectDomainError(() => appealDecision(db, author, "comment", comment.id, "Sekali lagi."), 409, "moderation.alreadyAppealed");
  });
});

describe("hiding directly", () => {
  it("goes through the same decision path: rejected, logged review_reject with the reason, the author told, counts down", async () => {
    const { project, thread } = await newThread();
    const author = await makeEstablishedUser(db);
    const comment = await postComment(db, author, thread.id, { body: unique("Data pribadi tetangga") });
    await hideContent(db, moderator, "comment", comment.id, "Memuat data pribadi.");
    expect((await commentRow(db, comment.id)).visibility).toBe("rejected");
    expect([(await threadRow(db, thread.id)).commentCount, (await projectRow(db, project.id)).commentCount]).toEqual([0, 0]);
    const items = await reviewItemsFor(db, "comment", comment.id);
    expect(items).toMatchObject([{ reasons: ["moderator_hide"], status: "rejected", decidedBy: moderator.id, decisionReason: "Memuat data pribadi." }]);
    expect((await logRowsFor(db, "comment", comment.id)).map((l) => [l.action, l.actorId, l.reason])).toEqual([
      ["review_reject", moderator.id, "Memuat data pribadi."],
    ]);
    expect((await notificationsOf(db, author.id, "content_rejected"))[0]!.params).toMatchObject({ reason: "Memuat data pribadi." });
    // And the author may appeal it like any rejection.
    expect((await appealDecision(db, author, "comment", comment.id, "Itu data saya sendiri.")).reasons).toEqual(["appeal"]);
  });

  it("of an item already in the queue decides that item, upholding its flags", async () => {
    const { comment, item } = await flaggedComment();
    await hideContent(db, moderator, "comment", comment.id, "Kasar.");
    expect(await reviewItemsFor(db, "comment", comment.id)).toMatchObject([{ id: item.id, reasons: ["flagged", "moderator_hide"], status: "rejected" }]);
    expect(await flagStatuses(comment.id)).toEqual(["upheld"]);
  });

  it("needs a reason (400), published content (409) and a known item (404)", async () => {
    const { comment } = await flaggedComment();
    await expectDomainError(() => hideContent(db, moderator, "comment", comment.id, "  "), 400, "moderation.reasonRequired");
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    const held = await heldComment();
    await expectDomainError(() => hideContent(db, moderator, "comment", held.comment.id, "Alasan"), 409, "moderation.notPublished");
    await expectDomainError(() => hideContent(db, moderator, "thread", 987654, "Alasan"), 404, "errors.notFound");
  });

  it("works on threads and proposals, with their counts on the project", async () => {
    const project = await makeProject(db);
    const author = await makeEstablishedUser(db);
    const thread = await openThread(db, author, project.id, { title: "Utas untuk disembunyikan", body: unique("Isi") });
    const proposal = await submitProposal(db, author, project.id, { title: "Usulan untuk disembunyikan", body: unique("Isi") });
    expect(await projectRow(db, project.id)).toMatchObject({ threadCount: 1, proposalCount: 1 });
    await hideContent(db, moderator, "thread", thread.id, "Di luar topik.");
    await hideContent(db, moderator, "proposal", proposal.id, "Di luar topik.");
    expect(await projectRow(db, project.id)).toMatchObject({ threadCount: 0, proposalCount: 0 });
    expect(await notificationsOf(db, author.id, "content_rejected")).toHaveLength(2);
  });
});

describe("bulk decisions", () => {
  it("decide each item on its own and report every outcome", async () => {
    const good = await heldComment();
    const alsoGood = await heldComment();
    const decided = await flaggedComment();
    await decide(secondModerator, decided.item.id, { decision: "approve" });
    const stale = await flaggedComment();
    await flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", stale.comment.id, { reason: "spam" });

    const report = await decideInBulk(
      db,
      moderator,
      [
        { id: good.item.id, version: good.item.version },
        { id: decided.item.id, version: decided.item.version },
        { id: 987654, version: 0 },
        { id: stale.item.id, version: stale.item.version },
        { id: alsoGood.item.id, version: alsoGood.item.version },
      ],
      "approve",
      null,
    );
    expect(report).toEqual([
      { id: good.item.id, ok: true },
      { id: decided.item.id, ok: false, status: 409, key: "moderation.alreadyDecided", params: { name: "Moderator Tono" } },
      { id: 987654, ok: false, status: 404, key: "errors.notFound", params: {} },
      { id: stale.item.id, ok: false, status: 409, key: "moderation.changedSinceLoaded", params: {} },
      { id: alsoGood.item.id, ok: true },
    ]);
    expect([(await commentRow(db, good.comment.id)).visibility, (await commentRow(db, alsoGood.comment.id)).visibility]).toEqual(["published", "published"]);
    expect((await itemRow(stale.item.id)).status).toBe("open");
  });

  it("reject every item with the one reason, and report a missing reason for each", async () => {
    const [one, two] = [await flaggedComment(), await flaggedComment()];
    const items = [one, two].map((x) => ({ id: x.item.id, version: x.item.version }));
    expect((await decideInBulk(db, moderator, items, "reject", "")).map((r) => [r.ok, r.ok ? null : r.key])).toEqual([
      [false, "moderation.reasonRequired"],
      [false, "moderation.reasonRequired"],
    ]);
    expect(await decideInBulk(db, moderator, items, "reject", "Spam massal.")).toEqual([
      { id: one.item.id, ok: true },
      { id: two.item.id, ok: true },
    ]);
    expect([(await commentRow(db, one.comment.id)).visibility, (await commentRow(db, two.comment.id)).visibility]).toEqual(["rejected", "rejected"]);
    expect(
      await db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "review_reject"), eq(moderationLog.reason, "Spam massal."))),
    ).toHaveLength(2);
  });
});
