import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { flags, type User } from "~db/schema";
import { listComments, postComment } from "~/discussion/discussion.server";
import { flagContent, FLAG_NOTE_MAX, STAFF_FLAG_WEIGHT } from "~/moderation/flags.server";
import { listQueue } from "~/moderation/review.server";
import { submitProposal } from "~/proposals/proposals.server";
import { search } from "~/search/search.server";
import { getSetting, setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject } from "./support/factories";
import { makeProposal, makeThread, makeUsers } from "./support/more-factories";
import { daysAgo, daysFromNow, expectDomainError } from "./support/domain-errors";
import {
  commentRow,
  logRowsFor,
  makeEstablishedUser,
  makeNewAuthor,
  notificationsOf,
  openItemFor,
  projectRow,
  proposalRow,
  reviewItemsFor,
  threadRow,
  userRow,
} from "./support/moderation";
import { loadContent, setVisibility } from "~/moderation/visibility.server";

let db: Db;
let author: User;
let flagger: User;

beforeAll(async () => {
  db = freshDatabase({ appDefaults: true }).db;
  setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  setSetting(db, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  author = await makeEstablishedUser(db);
  flagger = await makeEstablishedUser(db);
});

let texts = 0;
/** A published comment of `author` with a word of its own, for search. */
function publishedComment(by = author) {
  const project = makeProject(db);
  const thread = makeThread(db, by.id, project.id);
  const word = `flagkata${String.fromCharCode(97 + (texts % 26))}${++texts}`;
  const comment = postComment(db, by, thread.id, { body: `Komentar ${word} yang akan ditandai.` });
  expect(comment.visibility).toBe("published");
  return { project, thread, comment, word };
}

const flagsOn = (type: "comment" | "thread" | "proposal", id: number) =>
  db
    .select()
    .from(flags)
    .where(and(eq(flags.targetType, type), eq(flags.targetId, id)))
    .all();

describe("flagging", () => {
  it("records one flag with its reason and note, and puts the item in the queue with reason flagged", () => {
    const { comment } = publishedComment();
    expect(flagContent(db, flagger, "comment", comment.id, { reason: "spam", note: "  Iklan obat.  " })).toEqual({ hidden: false, weight: 1 });
    expect(flagsOn("comment", comment.id).map((f) => [f.userId, f.reason, f.note, f.weight, f.status])).toEqual([
      [flagger.id, "spam", "Iklan obat.", 1, "open"],
    ]);
    const item = openItemFor(db, "comment", comment.id);
    expect(item).toMatchObject({ reasons: ["flagged"], score: 1, authorId: author.id });
    expect(listQueue(db, { reason: "flagged" }, 1).rows.find((r) => r.item.id === item.id)?.flags).toMatchObject([
      { reason: "spam", note: "Iklan obat.", flaggerName: flagger.displayName },
    ]);
  });

  it("is allowed once per resident and item: a second flag is refused (409 moderation.alreadyFlagged)", () => {
    const { comment } = publishedComment();
    flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
    const score = openItemFor(db, "comment", comment.id).score;
    expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason: "harassment" }), 409, "moderation.alreadyFlagged");
    expect(flagsOn("comment", comment.id)).toHaveLength(1);
    expect(openItemFor(db, "comment", comment.id).score).toBe(score);
  });

  it("of one's own content is refused (409 moderation.ownContent)", () => {
    const { comment } = publishedComment();
    expectDomainError(() => flagContent(db, author, "comment", comment.id, { reason: "spam" }), 409, "moderation.ownContent");
    expect(flagsOn("comment", comment.id)).toEqual([]);
    expect(reviewItemsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("of an unknown item, or of one that is not published (held, hidden, deleted), is refused (404)", async () => {
    expectDomainError(() => flagContent(db, flagger, "comment", 987654, { reason: "spam" }), 404, "errors.notFound");
    expectDomainError(() => flagContent(db, flagger, "proposal", 987654, { reason: "spam" }), 404, "errors.notFound");
    const { thread } = publishedComment();
    const held = postComment(db, await makeNewAuthor(db), thread.id, { body: "Komentar tertahan" });
    expect(held.visibility).toBe("pending");
    expectDomainError(() => flagContent(db, flagger, "comment", held.id, { reason: "spam" }), 404, "errors.notFound");
    for (const visibility of ["hidden", "rejected", "deleted"] as const) {
      const { comment } = publishedComment();
      setVisibility(db, loadContent(db, "comment", comment.id)!, visibility);
      expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason: "spam" }), 404, "errors.notFound");
      expect(flagsOn("comment", comment.id), visibility).toEqual([]);
    }
  });

  it("needs a reason from the list (400 moderation.flagReasonRequired)", () => {
    const { comment } = publishedComment();
    for (const reason of [undefined, "", "boring", 3]) {
      const error = expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason }), 400, "moderation.flagReasonRequired");
      expect(error.field).toBe("reason");
    }
    expect(flagsOn("comment", comment.id)).toEqual([]);
  });

  it("refuses a note over 500 characters (400 errors.tooLongMax) and accepts exactly 500", () => {
    const { comment } = publishedComment();
    expect(FLAG_NOTE_MAX).toBe(500);
    const error = expectDomainError(
      () => flagContent(db, flagger, "comment", comment.id, { reason: "other", note: "n".repeat(501) }),
      400,
      "errors.tooLongMax",
    );
    expect(error).toMatchObject({ params: { max: 500 }, field: "note" });
    expect(flagsOn("comment", comment.id)).toEqual([]);
    flagContent(db, flagger, "comment", comment.id, { reason: "other", note: "n".repeat(500) });
    expect(flagsOn("comment", comment.id)[0]!.note).toHaveLength(500);
  });

  it("works on threads and proposals too", () => {
    const project = makeProject(db);
    const thread = makeThread(db, author.id, project.id);
    const proposal = makeProposal(db, author.id, project.id);
    flagContent(db, flagger, "thread", thread.id, { reason: "off_topic" });
    flagContent(db, flagger, "proposal", proposal.id, { reason: "misinformation" });
    expect(openItemFor(db, "thread", thread.id).reasons).toEqual(["flagged"]);
    expect(openItemFor(db, "proposal", proposal.id).reasons).toEqual(["flagged"]);
  });

  it("is refused to a suspended resident (403)", async () => {
    const { comment } = publishedComment();
    const suspended = await makeEstablishedUser(db, { suspendedUntil: daysFromNow(2) });
    expectDomainError(() => flagContent(db, suspended, "comment", comment.id, { reason: "spam" }), 403, "accounts.refusal.suspendedUntil");
    expect(flagsOn("comment", comment.id)).toEqual([]);
  });

  it("is rate-limited per resident (429 errors.rateLimitedFor), and allowed again in the next window", async () => {
    const own = freshDatabase({ appDefaults: true }).db;
    setSetting(own, "rateFlagsPerHour", { limit: 2, windowSeconds: 3600 });
    const writer = await makeEstablishedUser(own);
    const thread = makeThread(own, writer.id, makeProject(own).id);
    const targets = ["satu", "dua", "tiga"].map((w) => postComment(own, writer, thread.id, { body: `Komentar ${w}` }));
    const resident = await makeEstablishedUser(own);
    const other = await makeEstablishedUser(own);
    const now = new Date();
    flagContent(own, resident, "comment", targets[0]!.id, { reason: "spam" }, now);
    flagContent(own, resident, "comment", targets[1]!.id, { reason: "spam" }, now);
    const error = expectDomainError(() => flagContent(own, resident, "comment", targets[2]!.id, { reason: "spam" }, now), 429, "errors.rateLimitedFor");
    expect(Number(error.params.seconds)).toBeGreaterThan(0);
    expect(own.select().from(flags).where(eq(flags.targetId, targets[2]!.id)).all()).toEqual([]);
    // The limit is the resident's own: another resident still flags.
    flagContent(own, other, "comment", targets[2]!.id, { reason: "spam" }, now);
    flagContent(own, resident, "comment", targets[2]!.id, { reason: "spam" }, new Date(now.getTime() + 3601_000));
    expect(own.select().from(flags).where(eq(flags.targetId, targets[2]!.id)).all()).toHaveLength(2);
  });
});

describe("scoring and hiding", () => {
  it("three established residents hide a comment at the default threshold of 3: counts drop, search drops it, its author is told, auto_hide is logged", async () => {
    expect(getSetting(db, "hideThreshold")).toBe(3);
    const { project, thread, comment, word } = publishedComment();
    const [a, b, c] = await makeUsers(db, 3);
    const counts = () => [threadRow(db, thread.id).commentCount, projectRow(db, project.id).commentCount, userRow(db, author.id).contributionCount];
    const before = counts();
    expect(search(db, word).total).toBe(1);

    expect(flagContent(db, a!, "comment", comment.id, { reason: "harassment" })).toEqual({ hidden: false, weight: 1 });
    expect(flagContent(db, b!, "comment", comment.id, { reason: "harassment" })).toEqual({ hidden: false, weight: 1 });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(notificationsOf(db, author.id, "content_hidden").filter((n) => n.link.includes(`comment=${comment.id}`))).toEqual([]);
    expect(flagContent(db, c!, "comment", comment.id, { reason: "sara" })).toEqual({ hidden: true, weight: 1 });

    expect(commentRow(db, comment.id).visibility).toBe("hidden");
    expect(counts()).toEqual([before[0]! - 1, before[1]! - 1, before[2]! - 1]);
    expect(search(db, word).total).toBe(0);
    expect(listComments(db, thread.id, null).rows.map((r) => r.id)).not.toContain(comment.id);
    expect(notificationsOf(db, author.id, "content_hidden").filter((n) => n.link.includes(`comment=${comment.id}`))).toHaveLength(1);
    const log = logRowsFor(db, "comment", comment.id);
    expect(log.map((l) => [l.action, l.actorId])).toEqual([["auto_hide", null]]);
    expect(log[0]!.details).toEqual({ score: 3 });
    expect(openItemFor(db, "comment", comment.id)).toMatchObject({ reasons: ["flagged"], score: 3, status: "open" });
    // Hidden, it can no longer be flagged: there is nothing public to flag.
    const d = await makeEstablishedUser(db);
    expectDomainError(() => flagContent(db, d, "comment", comment.id, { reason: "spam" }), 404, "errors.notFound");
  });

  it("five new accounts only queue a comment: the score rises with each flag but nothing is hidden", async () => {
    const { thread, comment, word } = publishedComment();
    const fresh = await makeUsers(db, 5, { createdAt: new Date() });
    fresh.forEach((user, i) => {
      expect(flagContent(db, user, "comment", comment.id, { reason: "spam" })).toEqual({ hidden: false, weight: 0 });
      expect(openItemFor(db, "comment", comment.id).score).toBe(i + 1);
    });
    expect(commentRow(db, comment.id).visibility).toBe("published");
    expect(threadRow(db, thread.id).commentCount).toBe(1);
    expect(search(db, word).total).toBe(1);
    expect(flagsOn("comment", comment.id).map((f) => f.weight)).toEqual([0, 0, 0, 0, 0]);
    expect(logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("counts an unverified or young account as new, whatever its age or verification alone", async () => {
    const { comment } = publishedComment();
    const unverifiedVeteran = await makeEstablishedUser(db, { createdAt: daysAgo(60), emailVerifiedAt: null });
    const verifiedButYoung = await makeEstablishedUser(db, { createdAt: daysAgo(1) });
    const justEstablished = await makeEstablishedUser(db, { createdAt: daysAgo(getSetting(db, "establishedAccountDays")) });
    expect(flagContent(db, unverifiedVeteran, "comment", comment.id, { reason: "spam" }).weight).toBe(0);
    expect(flagContent(db, verifiedButYoung, "comment", comment.id, { reason: "spam" }).weight).toBe(0);
    expect(flagContent(db, justEstablished, "comment", comment.id, { reason: "spam" }).weight).toBe(1);
    expect(commentRow(db, comment.id).visibility).toBe("published");
  });

  it("one staff flag weighs 3 and hides at once", async () => {
    expect(STAFF_FLAG_WEIGHT).toBe(3);
    const { comment } = publishedComment();
    const planner = await makeNewAuthor(db, { role: "planner" });
    expect(flagContent(db, planner, "comment", comment.id, { reason: "personal_data" })).toEqual({ hidden: true, weight: 3 });
    expect(commentRow(db, comment.id).visibility).toBe("hidden");
    expect(openItemFor(db, "comment", comment.id).score).toBe(3);
  });

  it("follows the hideThreshold setting, counting established weight only", async () => {
    const own = freshDatabase({ appDefaults: true }).db;
    setSetting(own, "hideThreshold", 2);
    const writer = await makeEstablishedUser(own);
    const thread = makeThread(own, writer.id, makeProject(own).id);
    const comment = postComment(own, writer, thread.id, { body: "Ambang dua" });
    const [fresh1, fresh2] = await makeUsers(own, 2, { createdAt: new Date() });
    const [old1, old2] = await makeUsers(own, 2);
    flagContent(own, fresh1!, "comment", comment.id, { reason: "spam" });
    flagContent(own, fresh2!, "comment", comment.id, { reason: "spam" });
    flagContent(own, old1!, "comment", comment.id, { reason: "spam" });
    expect(own.select().from(flags).where(eq(flags.targetId, comment.id)).all()).toHaveLength(3);
    expect(flagContent(own, old2!, "comment", comment.id, { reason: "spam" }).hidden).toBe(true);
  });

  it("hides a proposal with its count on the project", async () => {
    const project = makeProject(db);
    const proposalAuthor = await makeEstablishedUser(db);
    setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
    const proposal = submitProposal(db, proposalAuthor, project.id, { title: "Usulan untuk ditandai", body: "Isi usulan untuk ditandai" });
    expect(projectRow(db, project.id).proposalCount).toBe(1);
    for (const user of await makeUsers(db, 3)) flagContent(db, user, "proposal", proposal.id, { reason: "misinformation" });
    expect(proposalRow(db, proposal.id).visibility).toBe("hidden");
    expect(projectRow(db, project.id).proposalCount).toBe(0);
    expect(notificationsOf(db, proposalAuthor.id, "content_hidden")).toHaveLength(1);
  });
});
