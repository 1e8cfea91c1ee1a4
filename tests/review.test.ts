import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "~db/client";
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

let db: Db;
let dbPath: string;
let moderator: User;
let secondModerator: User;
let admin: User;
let resident: User;

const liberalLimits = (database: Db) => {
  setSetting(database, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  setSetting(database, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
  setSetting(database, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  setSetting(database, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
};

beforeAll(async () => {
  ({ db, path: dbPath } = freshDatabase({ appDefaults: true }));
  liberalLimits(db);
  moderator = await makeEstablishedUser(db, { role: "moderator", displayName: "Moderator Sari" });
  secondModerator = await makeEstablishedUser(db, { role: "moderator", displayName: "Moderator Tono" });
  admin = await makeEstablishedUser(db, { role: "admin" });
  resident = await makeEstablishedUser(db);
});

let texts = 0;
const unique = (text: string) => `${text} (${++texts})`;
const itemRow = (id: number) => db.select().from(reviewItems).where(eq(reviewItems.id, id)).get()!;
const flagStatuses = (commentId: number) =>
  db
    .select({ status: flags.status })
    .from(flags)
    .where(and(eq(flags.targetType, "comment"), eq(flags.targetId, commentId)))
    .all()
    .map((f) => f.status);

function newThread(database = db, opener = resident) {
  const project = makeProject(database);
  return { project, thread: makeThread(database, opener.id, project.id) };
}

/** A comment of a new author, held for review, with its open queue item. */
async function heldComment(options: { parentId?: number } = {}) {
  const { project, thread } = newThread();
  const author = await makeNewAuthor(db);
  const comment = postComment(db, author, thread.id, { body: unique("Komentar menunggu"), parentId: options.parentId });
  expect(comment.visibility).toBe("pending");
  return { project, thread, author, comment, item: openItemFor(db, "comment", comment.id) };
}

/** A published comment of an established author, flagged once (weight 1, not hidden). */
async function flaggedComment() {
  const { project, thread } = newThread();
  const author = await makeEstablishedUser(db);
  const comment = postComment(db, author, thread.id, { body: unique("Komentar yang ditandai") });
  flagContent(db, resident, "comment", comment.id, { reason: "harassment", note: "Kasar." });
  return { project, thread, author, comment, item: openItemFor(db, "comment", comment.id) };
}

const decide = (mod: User, itemId: number, input: { decision: "approve" | "reject"; reason?: string; suspend?: SuspensionDuration }, now?: Date) =>
  decideReviewItem(db, mod, itemId, { ...input, version: itemRow(itemId).version }, now);

describe("the queue", () => {
  it("lists open items by score, highest first, then oldest first", async () => {
    const own = freshDatabase({ appDefaults: true }).db;
    liberalLimits(own);
    setSetting(own, "blockedWords", ["bodoh"]);
    const opener = await makeEstablishedUser(own);
    const { thread } = newThread(own, opener);
    const t0 = Date.now() - 30 * 60_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const newbie = await makeNewAuthor(own);
    const olderHeld = postComment(own, newbie, thread.id, { body: "Pertama" }, at(0));
    const newerHeld = postComment(own, newbie, thread.id, { body: "Kedua" }, at(1));
    const blocked = postComment(own, opener, thread.id, { body: "Dasar bodoh" }, at(2));
    const published = postComment(own, opener, thread.id, { body: "Terbit" }, at(3));
    flagContent(own, await makeEstablishedUser(own, { role: "moderator" }), "comment", published.id, { reason: "spam" }, at(4));
    const newestHeld = postComment(own, newbie, thread.id, { body: "Ketiga" }, at(5));
    const queue = listQueue(own, {}, 1);
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
    const { project } = newThread();
    const newbie = await makeNewAuthor(db);
    const heldThread = openThread(db, newbie, project.id, { title: "Utas tertahan", body: unique("Isi utas") });
    const ids = (filters: Parameters<typeof listQueue>[1]) => listQueue(db, filters, 1).rows.map((r) => r.item.id);

    expect(ids({ reason: "flagged" })).toContain(flagged.item.id);
    expect(ids({ reason: "flagged" })).not.toContain(held.item.id);
    expect(ids({ reason: "new_author" })).toEqual(expect.arrayContaining([held.item.id, openItemFor(db, "thread", heldThread.id).id]));
    expect(ids({ reason: "new_author" })).not.toContain(flagged.item.id);
    expect(listQueue(db, { type: "thread" }, 1).rows.every((r) => r.item.targetType === "thread")).toBe(true);
    expect(ids({ type: "thread" })).toContain(openItemFor(db, "thread", heldThread.id).id);
    expect(ids({ type: "thread" })).not.toContain(held.item.id);
    expect(ids({ projectId: held.project.id })).toEqual([held.item.id]);
    expect(ids({ projectId: project.id, type: "comment" })).toEqual([]);

    decide(moderator, held.item.id, { decision: "approve" });
    decide(moderator, flagged.item.id, { decision: "reject", reason: "Kasar." });
    expect(ids({})).not.toContain(held.item.id);
    expect(ids({ status: "approved" })).toContain(held.item.id);
    expect(ids({ status: "approved" })).not.toContain(flagged.item.id);
    expect(ids({ status: "rejected" })).toContain(flagged.item.id);
  });

  it("reads its filters from the URL and ignores values it does not know", () => {
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
    const own = freshDatabase({ appDefaults: true }).db;
    liberalLimits(own);
    const writer = await makeEstablishedUser(own);
    const { thread } = newThread(own, writer);
    for (let i = 0; i < 30; i++) {
      const c = postComment(own, writer, thread.id, { body: `Komentar ${i}` });
      enqueueReview(own, { type: "comment", id: c.id, projectId: thread.projectId, authorId: writer.id }, ["flagged"], 1);
    }
    expect(QUEUE_PAGE_SIZE).toBe(25);
    const [first, second] = [listQueue(own, {}, 1), listQueue(own, {}, 2)];
    expect([first.rows.length, second.rows.length, first.total, first.pageCount]).toEqual([25, 5, 30, 2]);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.item.id)).size).toBe(30);
  });

  it("keeps one open item per piece of content: reasons merge, scores add up, the version moves on", async () => {
    setSetting(db, "blockedWords", ["bodoh"]);
    const { comment, author, item } = await flaggedComment();
    expect(item).toMatchObject({ reasons: ["flagged"], score: 1 });
    editComment(db, author, comment.id, "Sekarang bodoh");
    flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", comment.id, { reason: "spam" });
    const items = reviewItemsFor(db, "comment", comment.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: item.id, reasons: ["flagged", "edit", "blocked_word"], score: 1 + 1 + 2 + 1, version: item.version + 2 });
    // The database itself refuses a second open item for the same content.
    expectConstraint(
      () =>
        db
          .insert(reviewItems)
          .values({ targetType: "comment", targetId: comment.id, projectId: comment.projectId, authorId: author.id, reasons: ["flagged"] })
          .run(),
      "UNIQUE",
      /review_items\.target_type/,
    );
    setSetting(db, "blockedWords", []);
  });
});

describe("approving", () => {
  it("publishes a held reply: counts rise, the parent's author hears of the reply, the author of the approval, and the log records it", async () => {
    const { project, thread } = newThread();
    const parent = postComment(db, resident, thread.id, { body: unique("Komentar induk") });
    const author = await makeNewAuthor(db);
    const reply = postComment(db, author, thread.id, { body: unique("Balasan tertahan"), parentId: parent.id });
    const item = openItemFor(db, "comment", reply.id);
    const repliesAbout = () => notificationsOf(db, resident.id, "reply").filter((n) => n.link.includes(`comment=${reply.id}`));
    expect(repliesAbout()).toEqual([]);
    const before = {
      thread: threadRow(db, thread.id).commentCount,
      project: projectRow(db, project.id).commentCount,
      replies: commentRow(db, parent.id).replyCount,
    };

    const at = new Date();
    decide(moderator, item.id, { decision: "approve" }, at);
    expect(commentRow(db, reply.id).visibility).toBe("published");
    expect({
      thread: threadRow(db, thread.id).commentCount,
      project: projectRow(db, project.id).commentCount,
      replies: commentRow(db, parent.id).replyCount,
    }).toEqual({
      thread: before.thread + 1,
      project: before.project + 1,
      replies: before.replies + 1,
    });
    expect(userRow(db, author.id).contributionCount).toBe(1);
    expect(repliesAbout()).toHaveLength(1);
    expect(repliesAbout()[0]!.params).toMatchObject({ name: author.displayName });
    expect(notificationsOf(db, author.id, "content_approved")).toHaveLength(1);
    expect(itemRow(item.id)).toMatchObject({ status: "approved", decidedBy: moderator.id, decisionReason: null, version: item.version + 1 });
    expect(itemRow(item.id).decidedAt?.getTime()).toBe(at.getTime());
    expect(logRowsFor(db, "comment", reply.id).map((l) => [l.action, l.actorId])).toEqual([["review_approve", moderator.id]]);
  });

  it("restores a hidden comment and dismisses its flags", async () => {
    const { project, thread } = newThread();
    const author = await makeEstablishedUser(db);
    const comment = postComment(db, author, thread.id, { body: unique("Akan disembunyikan") });
    for (const user of await makeUsers(db, 3)) flagContent(db, user, "comment", comment.id, { reason: "spam" });
    expect(commentRow(db, comment.id).visibility).toBe("hidden");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount]).toEqual([0, 0]);

    decide(moderator, openItemFor(db, "comment", comment.id).id, { decision: "approve" });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount]).toEqual([1, 1]);
    expect(flagStatuses(comment.id)).toEqual(["dismissed", "dismissed", "dismissed"]);
    expect(notificationsOf(db, author.id, "content_approved")).toHaveLength(1);
  });
});

describe("rejecting", () => {
  it("needs a reason (400 moderation.reasonRequired), and nothing changes without one", async () => {
    const { comment, item } = await flaggedComment();
    for (const reason of [undefined, "", "   "]) {
      const error = expectDomainError(() => decide(moderator, item.id, { decision: "reject", reason }), 400, "moderation.reasonRequired");
      expect(error.field).toBe("reason");
    }
    expectDomainError(() => decide(moderator, item.id, { decision: "reject", reason: "r".repeat(1001) }), 400, "errors.tooLongMax");
    expectDomainError(
      () => decideReviewItem(db, moderator, item.id, { decision: "delete" as "reject", version: item.version, reason: "x" }),
      400,
      "moderation.decisionInvalid",
    );
    expect(itemRow(item.id)).toMatchObject({ status: "open", version: item.version });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(flagStatuses(comment.id)).toEqual(["open"]);
  });

  it("hides the content as rejected, upholds its flags and tells the author the reason", async () => {
    const { project, thread, comment, author, item } = await flaggedComment();
    const contributions = userRow(db, author.id).contributionCount;
    decide(moderator, item.id, { decision: "reject", reason: "  Menyerang pribadi.  " });
    expect(commentRow(db, comment.id).visibility).toBe("rejected");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount]).toEqual([0, 0]);
    expect(userRow(db, author.id).contributionCount).toBe(contributions - 1);
    expect(flagStatuses(comment.id)).toEqual(["upheld"]);
    expect(itemRow(item.id)).toMatchObject({ status: "rejected", decidedBy: moderator.id, decisionReason: "Menyerang pribadi." });
    const told = notificationsOf(db, author.id, "content_rejected");
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ reason: "Menyerang pribadi." });
    expect(logRowsFor(db, "comment", comment.id).map((l) => [l.action, l.actorId, l.reason])).toEqual([["review_reject", moderator.id, "Menyerang pribadi."]]);
  });

  it("of held content changes no count: it was never counted", async () => {
    const { project, thread, author, comment, item } = await heldComment();
    decide(moderator, item.id, { decision: "reject", reason: "Iklan." });
    expect(commentRow(db, comment.id).visibility).toBe("rejected");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount, userRow(db, author.id).contributionCount]).toEqual([0, 0, 0]);
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
    decide(moderator, item.id, { decision: "reject", reason: "Spam berulang.", suspend: duration }, at);
    expect(userRow(db, author.id)).toMatchObject({ suspendedUntil: new Date(at.getTime() + days * 86_400_000), suspensionReason: "Spam berulang." });
    const log = logRowsFor(db, "user", author.id);
    expect(log.map((l) => [l.action, l.actorId, l.reason])).toEqual([["suspend", moderator.id, "Spam berulang."]]);
    expect(log[0]!.details).toMatchObject({ duration });
    expect(notificationsOf(db, author.id, "suspended")).toHaveLength(1);
  });

  it("permanently sets the far-future end date", async () => {
    const { author, item } = await flaggedComment();
    decide(moderator, item.id, { decision: "reject", reason: "Ancaman.", suspend: "permanent" });
    expect(userRow(db, author.id).suspendedUntil).toEqual(PERMANENT);
    expect(PERMANENT.getUTCFullYear()).toBe(9999);
  });

  it("with an unknown duration is refused (400) and the rejection is not applied either", async () => {
    const { author, comment, item } = await flaggedComment();
    expectDomainError(
      () => decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "2w" as SuspensionDuration }),
      400,
      "moderation.durationInvalid",
    );
    expect(itemRow(item.id).status).toBe("open");
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(userRow(db, author.id).suspendedUntil).toBeNull();
    expect(logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  /** Every write a resident can make, each with something to write on. */
  async function writesFor(author: User) {
    const { project, thread } = newThread();
    const own = postComment(db, author, thread.id, { body: unique("Ditulis sebelum diskors") });
    const others = makeProposal(db, resident.id, project.id);
    const othersComment = postComment(db, resident, thread.id, { body: unique("Komentar orang lain") });
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
    decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "7d" });
    const suspended = userRow(db, author.id);
    const before = { comments: threadRow(db, thread.id).commentCount, project: projectRow(db, project.id) };
    for (const [path, attempt] of Object.entries(attempts)) {
      const error = expectDomainError(() => attempt(suspended), 403, "accounts.refusal.suspendedUntil");
      expect(error.params, path).toEqual({ until: suspended.suspendedUntil!.toISOString() });
    }
    expect(threadRow(db, thread.id).commentCount).toBe(before.comments);
    expect(projectRow(db, project.id)).toMatchObject({
      threadCount: before.project.threadCount,
      proposalCount: before.project.proposalCount,
      votesSupport: before.project.votesSupport,
    });
    expect(commentRow(db, own.id)).toMatchObject({ visibility: "published", editedAt: null });
    expect(db.select().from(votes).where(eq(votes.userId, author.id)).all()).toEqual([]);
    expect(db.select().from(flags).where(eq(flags.userId, author.id)).all()).toEqual([]);
  });

  it("permanently refuses every write path with accounts.refusal.suspendedPermanently", async () => {
    const { author, item } = await flaggedComment();
    const { attempts } = await writesFor(author);
    decide(moderator, item.id, { decision: "reject", reason: "Ancaman.", suspend: "permanent" });
    for (const attempt of Object.values(attempts)) expectDomainError(() => attempt(userRow(db, author.id)), 403, "accounts.refusal.suspendedPermanently");
  });

  it("liftSuspension restores every write path, is logged, and cannot lift twice (409)", async () => {
    const { author, item } = await flaggedComment();
    const { attempts } = await writesFor(author);
    decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "30d" });
    expectDomainError(() => attempts.postComment(userRow(db, author.id)), 403, "accounts.refusal.suspendedUntil");
    liftSuspension(db, secondModerator, author.id, "Salah paham.");
    expect(userRow(db, author.id)).toMatchObject({ suspendedUntil: null, suspensionReason: null });
    const lifted = userRow(db, author.id);
    for (const [path, attempt] of Object.entries(attempts)) expect(() => attempt(lifted), path).not.toThrow();
    expect(logRowsFor(db, "user", author.id).map((l) => [l.action, l.actorId])).toEqual([
      ["suspend", moderator.id],
      ["suspension_lift", secondModerator.id],
    ]);
    expectDomainError(() => liftSuspension(db, secondModerator, author.id), 409, "moderation.notSuspended");
  });

  it("ends by itself: after the end date the author writes again", async () => {
    const { author, thread, item } = await flaggedComment();
    decide(moderator, item.id, { decision: "reject", reason: "Spam.", suspend: "1d" });
    const suspended = userRow(db, author.id);
    expectDomainError(() => postComment(db, suspended, thread.id, { body: unique("Terlalu cepat") }), 403, "accounts.refusal.suspendedUntil");
    // The consultation is still open in a day and a minute (makeProject closes it in seven days).
    expect(postComment(db, suspended, thread.id, { body: unique("Sudah boleh") }, daysFromNow(1, new Date(Date.now() + 60_000))).visibility).toBe("published");
  });

  it("a moderator may not suspend staff (403) and nobody may suspend themself; an admin may suspend a moderator", async () => {
    const planner = await makeEstablishedUser(db, { role: "planner" });
    expectDomainError(() => suspendUser(db, moderator, planner.id, "7d", "Alasan"), 403, "moderation.staffOnlyByAdmin");
    expectDomainError(() => suspendUser(db, moderator, moderator.id, "7d", "Alasan"), 403, "moderation.notSelf");
    expectDomainError(() => suspendUser(db, moderator, resident.id, "7d", "  "), 400, "moderation.reasonRequired");
    expectDomainError(() => suspendUser(db, moderator, 987654, "7d", "Alasan"), 404, "errors.notFound");
    expect(userRow(db, planner.id).suspendedUntil).toBeNull();
    const other = await makeEstablishedUser(db, { role: "moderator" });
    suspendUser(db, admin, other.id, "1d", "Menyalahgunakan wewenang");
    expect(userRow(db, other.id).suspendedUntil).not.toBeNull();
  });
});

describe("who may decide, and on what", () => {
  it("a resident or a planner calling a moderator's action directly is refused (403) and nothing changes", async () => {
    const { comment, author, item } = await flaggedComment();
    const planner = await makeEstablishedUser(db, { role: "planner" });
    for (const actor of [resident, planner]) {
      expectDomainError(() => decideReviewItem(db, actor, item.id, { decision: "approve", version: item.version }), 403, "errors.forbidden");
      expectDomainError(() => decideReviewItem(db, actor, item.id, { decision: "reject", version: item.version, reason: "x" }), 403, "errors.forbidden");
      expectDomainError(() => decideInBulk(db, actor, [{ id: item.id, version: item.version }], "approve", null), 403, "errors.forbidden");
      expectDomainError(() => hideContent(db, actor, "comment", comment.id, "Disembunyikan"), 403, "errors.forbidden");
      expectDomainError(() => suspendUser(db, actor, author.id, "7d", "Alasan"), 403, "errors.forbidden");
      expectDomainError(() => liftSuspension(db, actor, author.id), 403, "errors.forbidden");
    }
    expect(itemRow(item.id)).toMatchObject({ status: "open", version: item.version });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(userRow(db, author.id).suspendedUntil).toBeNull();
    expect(logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("an item already decided is refused (409 moderation.alreadyDecided), naming the moderator who decided it", async () => {
    const { comment, item } = await flaggedComment();
    decide(moderator, item.id, { decision: "approve" });
    const error = expectDomainError(
      () => decideReviewItem(db, secondModerator, item.id, { decision: "reject", version: item.version, reason: "x" }),
      409,
      "moderation.alreadyDecided",
    );
    expect(error.params).toEqual({ name: "Moderator Sari" });
    expectDomainError(() => decide(secondModerator, item.id, { decision: "reject", reason: "x" }), 409, "moderation.alreadyDecided");
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(logRowsFor(db, "comment", comment.id).map((l) => l.action)).toEqual(["review_approve"]);
  });

  it("an unknown item is refused (404)", () => {
    expectDomainError(() => decideReviewItem(db, moderator, 987654, { decision: "approve", version: 0 }), 404, "errors.notFound");
  });

  it("a decision on a view older than the item is refused (409 moderation.changedSinceLoaded); on the current view it applies", async () => {
    const { comment, item } = await flaggedComment();
    const seen = item.version;
    flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", comment.id, { reason: "spam" });
    expect(itemRow(item.id).version).toBe(seen + 1);
    expectDomainError(() => decideReviewItem(db, moderator, item.id, { decision: "approve", version: seen }), 409, "moderation.changedSinceLoaded");
    expect(itemRow(item.id).status).toBe("open");
    expect(flagStatuses(comment.id)).toEqual(["open", "open"]);
    decideReviewItem(db, moderator, item.id, { decision: "approve", version: seen + 1 });
    expect(flagStatuses(comment.id)).toEqual(["dismissed", "dismissed"]);
  });
});

describe("two moderators deciding the same items at once, in two processes", () => {
  it("record exactly one decision per item; the other moderator gets 409 moderation.alreadyDecided with the first one's name", async () => {
    const { thread } = newThread();
    const author = await makeEstablishedUser(db);
    const flagger = await makeEstablishedUser(db, { createdAt: new Date() });
    const ITEMS = 150;
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const comment = postComment(db, author, thread.id, { body: `Komentar serentak nomor ${i}` });
      flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
      return { comment, item: openItemFor(db, "comment", comment.id) };
    });
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
      const row = itemRow(item.id);
      const winner = a.ok ? moderator : secondModerator;
      const loser = a.ok ? r : a;
      expect(row).toMatchObject({ status: a.ok ? "approved" : "rejected", decidedBy: winner.id, version: item.version + 1 });
      expect(loser).toMatchObject({ ok: false, status: 409, key: "moderation.alreadyDecided", params: { name: names.get(winner.id) } });
      expect(commentRow(db, comment.id).visibility).toBe(a.ok ? "published" : "rejected");
      const decisions = logRowsFor(db, "comment", comment.id).filter((l) => l.action.startsWith("review_"));
      expect(decisions.map((l) => [l.action, l.actorId])).toEqual([[a.ok ? "review_approve" : "review_reject", winner.id]]);
      expect(flagStatuses(comment.id)).toEqual([a.ok ? "dismissed" : "upheld"]);
    }
    // The stored counts agree with what was decided.
    const publishedNow = db
      .select()
      .from(comments)
      .where(and(eq(comments.threadId, thread.id), eq(comments.visibility, "published")))
      .all().length;
    expect(threadRow(db, thread.id).commentCount).toBe(publishedNow);
    expect(notificationsOf(db, author.id, "content_approved").length + notificationsOf(db, author.id, "content_rejected").length).toBe(ITEMS);
  }, 60_000);
});

describe("appeals", () => {
  /** A comment rejected by `moderator`, with its author. */
  async function rejectedComment() {
    const flagged = await flaggedComment();
    decide(moderator, flagged.item.id, { decision: "reject", reason: "Kasar." });
    expect(commentRow(db, flagged.comment.id).visibility).toBe("rejected");
    return flagged;
  }

  it("are the author's alone (403), for rejected content only (409), with a text of at most 1000 characters (400)", async () => {
    const { comment, author } = await rejectedComment();
    expectDomainError(() => appealDecision(db, resident, "comment", comment.id, "Saya keberatan."), 403, "errors.forbidden");
    expectDomainError(() => appealDecision(db, author, "comment", comment.id, "   "), 400, "errors.required");
    expectDomainError(() => appealDecision(db, author, "comment", comment.id, "a".repeat(1001)), 400, "errors.tooLongMax");
    expectDomainError(() => appealDecision(db, author, "comment", 987654, "Keberatan."), 404, "errors.notFound");
    const { comment: published, author: publishedAuthor } = await flaggedComment();
    expectDomainError(() => appealDecision(db, publishedAuthor, "comment", published.id, "Keberatan."), 409, "moderation.notRejected");
    const held = await heldComment();
    expectDomainError(() => appealDecision(db, held.author, "comment", held.comment.id, "Keberatan."), 409, "moderation.notRejected");
    expect(reviewItemsFor(db, "comment", comment.id).filter((i) => i.status === "open")).toEqual([]);
  });

  it("enter the queue with the appeal text, once: a second appeal is refused (409 moderation.alreadyAppealed)", async () => {
    const { comment, author } = await rejectedComment();
    const at = new Date();
    const item = appealDecision(db, author, "comment", comment.id, "  Itu kutipan, bukan hinaan.  ", at);
    expect(item).toMatchObject({ status: "open", reasons: ["appeal"], appealText: "Itu kutipan, bukan hinaan.", authorId: author.id });
    expect(listQueue(db, { reason: "appeal" }, 1).rows.find((r) => r.item.id === item.id)?.item.appealText).toBe("Itu kutipan, bukan hinaan.");
    expect(logRowsFor(db, "comment", comment.id).map((l) => [l.action, l.actorId])).toEqual([
      ["review_reject", moderator.id],
      ["appeal", author.id],
    ]);
    expectDomainError(() => appealDecision(db, author, "comment", comment.id, "Sekali lagi."), 409, "moderation.alreadyAppealed");
    expect(reviewItemsFor(db, "comment", comment.id)).toHaveLength(2);
  });

  it("are decided by another moderator than the one who rejected (403 moderation.appealNeedsOtherModerator), who may overturn", async () => {
    const { project, thread, comment, author } = await rejectedComment();
    const appeal = appealDecision(db, author, "comment", comment.id, "Mohon ditinjau ulang.");
    expectDomainError(() => decide(moderator, appeal.id, { decision: "approve" }), 403, "moderation.appealNeedsOtherModerator");
    expect(itemRow(appeal.id).status).toBe("open");

    decide(secondModerator, appeal.id, { decision: "approve", reason: "Kutipan yang sah." });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount]).toEqual([1, 1]);
    const told = notificationsOf(db, author.id, "appeal_decided");
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ outcome: "overturned", reason: "Kutipan yang sah." });
    expect(logRowsFor(db, "comment", comment.id).map((l) => [l.action, l.actorId])).toEqual([
      ["review_reject", moderator.id],
      ["appeal", author.id],
      ["appeal_overturn", secondModerator.id],
    ]);
  });

  it("upheld, leave the content rejected, tell the author and log appeal_uphold; there is no second appeal", async () => {
    const { comment, author } = await rejectedComment();
    const appeal = appealDecision(db, author, "comment", comment.id, "Mohon ditinjau ulang.");
    decide(secondModerator, appeal.id, { decision: "reject", reason: "Tetap kasar." });
    expect(commentRow(db, comment.id).visibility).toBe("rejected");
    expect(notificationsOf(db, author.id, "appeal_decided")[0]!.params).toMatchObject({ outcome: "upheld", reason: "Tetap kasar." });
    expect(logRowsFor(db, "comment", comment.id).map((l) => l.action)).toEqual(["review_reject", "appeal", "appeal_uphold"]);
    expectDomainError(() => appealDecision(db, author, "comment", comment.id, "Sekali lagi."), 409, "moderation.alreadyAppealed");
  });
});

describe("hiding directly", () => {
  it("goes through the same decision path: rejected, logged review_reject with the reason, the author told, counts down", async () => {
    const { project, thread } = newThread();
    const author = await makeEstablishedUser(db);
    const comment = postComment(db, author, thread.id, { body: unique("Data pribadi tetangga") });
    hideContent(db, moderator, "comment", comment.id, "Memuat data pribadi.");
    expect(commentRow(db, comment.id).visibility).toBe("rejected");
    expect([threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount]).toEqual([0, 0]);
    const items = reviewItemsFor(db, "comment", comment.id);
    expect(items).toMatchObject([{ reasons: ["moderator_hide"], status: "rejected", decidedBy: moderator.id, decisionReason: "Memuat data pribadi." }]);
    expect(logRowsFor(db, "comment", comment.id).map((l) => [l.action, l.actorId, l.reason])).toEqual([
      ["review_reject", moderator.id, "Memuat data pribadi."],
    ]);
    expect(notificationsOf(db, author.id, "content_rejected")[0]!.params).toMatchObject({ reason: "Memuat data pribadi." });
    // And the author may appeal it like any rejection.
    expect(appealDecision(db, author, "comment", comment.id, "Itu data saya sendiri.").reasons).toEqual(["appeal"]);
  });

  it("of an item already in the queue decides that item, upholding its flags", async () => {
    const { comment, item } = await flaggedComment();
    hideContent(db, moderator, "comment", comment.id, "Kasar.");
    expect(reviewItemsFor(db, "comment", comment.id)).toMatchObject([{ id: item.id, reasons: ["flagged", "moderator_hide"], status: "rejected" }]);
    expect(flagStatuses(comment.id)).toEqual(["upheld"]);
  });

  it("needs a reason (400), published content (409) and a known item (404)", async () => {
    const { comment } = await flaggedComment();
    expectDomainError(() => hideContent(db, moderator, "comment", comment.id, "  "), 400, "moderation.reasonRequired");
    expect(commentRow(db, comment.id).visibility).toBe("published");
    const held = await heldComment();
    expectDomainError(() => hideContent(db, moderator, "comment", held.comment.id, "Alasan"), 409, "moderation.notPublished");
    expectDomainError(() => hideContent(db, moderator, "thread", 987654, "Alasan"), 404, "errors.notFound");
  });

  it("works on threads and proposals, with their counts on the project", async () => {
    const project = makeProject(db);
    const author = await makeEstablishedUser(db);
    const thread = openThread(db, author, project.id, { title: "Utas untuk disembunyikan", body: unique("Isi") });
    const proposal = submitProposal(db, author, project.id, { title: "Usulan untuk disembunyikan", body: unique("Isi") });
    expect(projectRow(db, project.id)).toMatchObject({ threadCount: 1, proposalCount: 1 });
    hideContent(db, moderator, "thread", thread.id, "Di luar topik.");
    hideContent(db, moderator, "proposal", proposal.id, "Di luar topik.");
    expect(projectRow(db, project.id)).toMatchObject({ threadCount: 0, proposalCount: 0 });
    expect(notificationsOf(db, author.id, "content_rejected")).toHaveLength(2);
  });
});

describe("bulk decisions", () => {
  it("decide each item on its own and report every outcome", async () => {
    const good = await heldComment();
    const alsoGood = await heldComment();
    const decided = await flaggedComment();
    decide(secondModerator, decided.item.id, { decision: "approve" });
    const stale = await flaggedComment();
    flagContent(db, await makeEstablishedUser(db, { createdAt: new Date() }), "comment", stale.comment.id, { reason: "spam" });

    const report = decideInBulk(
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
    expect([commentRow(db, good.comment.id).visibility, commentRow(db, alsoGood.comment.id).visibility]).toEqual(["published", "published"]);
    expect(itemRow(stale.item.id).status).toBe("open");
  });

  it("reject every item with the one reason, and report a missing reason for each", async () => {
    const [one, two] = [await flaggedComment(), await flaggedComment()];
    const items = [one, two].map((x) => ({ id: x.item.id, version: x.item.version }));
    expect(decideInBulk(db, moderator, items, "reject", "").map((r) => [r.ok, r.ok ? null : r.key])).toEqual([
      [false, "moderation.reasonRequired"],
      [false, "moderation.reasonRequired"],
    ]);
    expect(decideInBulk(db, moderator, items, "reject", "Spam massal.")).toEqual([
      { id: one.item.id, ok: true },
      { id: two.item.id, ok: true },
    ]);
    expect([commentRow(db, one.comment.id).visibility, commentRow(db, two.comment.id).visibility]).toEqual(["rejected", "rejected"]);
    expect(
      db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "review_reject"), eq(moderationLog.reason, "Spam massal.")))
        .all(),
    ).toHaveLength(2);
  });
});
