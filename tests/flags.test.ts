import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
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

let db: AppDb;
let author: User;
let flagger: User;

beforeAll(async () => {
  db = (await freshDatabase({ appDefaults: true })).db;
  await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateFlagsPerHour", { limit: 100_000, windowSeconds: 3600 });
  author = await makeEstablishedUser(db);
  flagger = await makeEstablishedUser(db);
});

let texts = 0;
/** A published comment of `author` with a word of its own, for search. */
async function publishedComment(by = author) {
  const project = await makeProject(db);
  const thread = await makeThread(db, by.id, project.id);
  const word = `flagkata${String.fromCharCode(97 + (texts % 26))}${++texts}`;
  const comment = await postComment(db, by, thread.id, { body: `Komentar ${word} yang akan ditandai.` });
  expect(comment.visibility).toBe("published");
  return { project, thread, comment, word };
}

const flagsOn = async (type: "comment" | "thread" | "proposal", id: number) =>
  db
    .select()
    .from(flags)
    .where(and(eq(flags.targetType, type), eq(flags.targetId, id)));

describe("flagging", () => {
  it("records one flag with its reason and note, and puts the item in the queue with reason flagged", async () => {
    const { comment } = await publishedComment();
    expect(await flagContent(db, flagger, "comment", comment.id, { reason: "spam", note: "  Iklan obat.  " })).toEqual({ hidden: false, weight: 1 });
    expect((await flagsOn("comment", comment.id)).map((f) => [f.userId, f.reason, f.note, f.weight, f.status])).toEqual([
      [flagger.id, "spam", "Iklan obat.", 1, "open"],
    ]);
    const item = await openItemFor(db, "comment", comment.id);
    expect(item).toMatchObject({ reasons: ["flagged"], score: 1, authorId: author.id });
    expect((await listQueue(db, { reason: "flagged" }, 1)).rows.find((r) => r.item.id === item.id)?.flags).toMatchObject([
      { reason: "spam", note: "Iklan obat.", flaggerName: flagger.displayName },
    ]);
  });

  it("is allowed once per resident and item: a second flag is refused (409 moderation.alreadyFlagged)", async () => {
    const { comment } = await publishedComment();
    await flagContent(db, flagger, "comment", comment.id, { reason: "spam" });
    const score = (await openItemFor(db, "comment", comment.id)).score;
    await expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason: "harassment" }), 409, "moderation.alreadyFlagged");
    expect(await flagsOn("comment", comment.id)).toHaveLength(1);
    expect((await openItemFor(db, "comment", comment.id)).score).toBe(score);
  });

  it("of one's own content is refused (409 moderation.ownContent)", async () => {
    const { comment } = await publishedComment();
    await expectDomainError(() => flagContent(db, author, "comment", comment.id, { reason: "spam" }), 409, "moderation.ownContent");
    expect(await flagsOn("comment", comment.id)).toEqual([]);
    expect(await reviewItemsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("of an unknown item, or of one that is not published (held, hidden, deleted), is refused (404)", async () => {
    await expectDomainError(() => flagContent(db, flagger, "comment", 987654, { reason: "spam" }), 404, "errors.notFound");
    await expectDomainError(() => flagContent(db, flagger, "proposal", 987654, { reason: "spam" }), 404, "errors.notFound");
    const { thread } = await publishedComment();
    const held = await postComment(db, await makeNewAuthor(db), thread.id, { body: "Komentar tertahan" });
    expect(held.visibility).toBe("pending");
    await expectDomainError(() => flagContent(db, flagger, "comment", held.id, { reason: "spam" }), 404, "errors.notFound");
    for (const visibility of ["hidden", "rejected", "deleted"] as const) {
      const { comment } = await publishedComment();
      await setVisibility(db, (await loadContent(db, "comment", comment.id))!, visibility);
      await expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason: "spam" }), 404, "errors.notFound");
      expect(await flagsOn("comment", comment.id), visibility).toEqual([]);
    }
  });

  it("needs a reason from the list (400 moderation.flagReasonRequired)", async () => {
    const { comment } = await publishedComment();
    for (const reason of [undefined, "", "boring", 3]) {
      const error = await expectDomainError(() => flagContent(db, flagger, "comment", comment.id, { reason }), 400, "moderation.flagReasonRequired");
      expect(error.field).toBe("reason");
    }
    expect(await flagsOn("comment", comment.id)).toEqual([]);
  });

  it("refuses a note over 500 characters (400 errors.tooLongMax) and accepts exactly 500", async () => {
    const { comment } = await publishedComment();
    expect(FLAG_NOTE_MAX).toBe(500);
    const error = await expectDomainError(
      () => flagContent(db, flagger, "comment", comment.id, { reason: "other", note: "n".repeat(501) }),
      400,
      "errors.tooLongMax",
    );
    expect(error).toMatchObject({ params: { max: 500 }, field: "note" });
    expect(await flagsOn("comment", comment.id)).toEqual([]);
    await flagContent(db, flagger, "comment", comment.id, { reason: "other", note: "n".repeat(500) });
    expect((await flagsOn("comment", comment.id))[0]!.note).toHaveLength(500);
  });

  it("works on threads and proposals too", async () => {
    const project = await makeProject(db);
    const thread = await makeThread(db, author.id, project.id);
    const proposal = await makeProposal(db, author.id, project.id);
    await flagContent(db, flagger, "thread", thread.id, { reason: "off_topic" });
    await flagContent(db, flagger, "proposal", proposal.id, { reason: "misinformation" });
    expect((await openItemFor(db, "thread", thread.id)).reasons).toEqual(["flagged"]);
    expect((await openItemFor(db, "proposal", proposal.id)).reasons).toEqual(["flagged"]);
  });

  it("is refused to a suspended resident (403)", async () => {
    const { comment } = await publishedComment();
    const suspended = await makeEstablishedUser(db, { suspendedUntil: daysFromNow(2) });
    await expectDomainError(() => flagContent(db, suspended, "comment", comment.id, { reason: "spam" }), 403, "accounts.refusal.suspendedUntil");
    expect(await flagsOn("comment", comment.id)).toEqual([]);
  });

  it("is rate-limited per resident (429 errors.rateLimitedFor), and allowed again in the next window", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await setSetting(own, "rateFlagsPerHour", { limit: 2, windowSeconds: 3600 });
    const writer = await makeEstablishedUser(own);
    const thread = await makeThread(own, writer.id, (await makeProject(own)).id);
    const targets: Awaited<ReturnType<typeof postComment>>[] = [];
    for (const w of ["satu", "dua", "tiga"]) targets.push(await postComment(own, writer, thread.id, { body: `Komentar ${w}` }));
    const resident = await makeEstablishedUser(own);
    const other = await makeEstablishedUser(own);
    const now = new Date();
    await flagContent(own, resident, "comment", targets[0]!.id, { reason: "spam" }, now);
    await flagContent(own, resident, "comment", targets[1]!.id, { reason: "spam" }, now);
    const error = await expectDomainError(() => flagContent(own, resident, "comment", targets[2]!.id, { reason: "spam" }, now), 429, "errors.rateLimitedFor");
    expect(Number(error.params.seconds)).toBeGreaterThan(0);
    expect(await own.select().from(flags).where(eq(flags.targetId, targets[2]!.id))).toEqual([]);
    // The limit is the resident's own: another resident still flags.
    await flagContent(own, other, "comment", targets[2]!.id, { reason: "spam" }, now);
    await flagContent(own, resident, "comment", targets[2]!.id, { reason: "spam" }, new Date(now.getTime() + 3601_000));
    expect(await own.select().from(flags).where(eq(flags.targetId, targets[2]!.id))).toHaveLength(2);
  });
});

describe("scoring and hiding", () => {
  it("three established residents hide a comment at the default threshold of 3: counts drop, search drops it, its author is told, auto_hide is logged", async () => {
    expect(await getSetting(db, "hideThreshold")).toBe(3);
    const { project, thread, comment, word } = await publishedComment();
    const [a, b, c] = await makeUsers(db, 3);
    const counts = async () => [
      (await threadRow(db, thread.id)).commentCount,
      (await projectRow(db, project.id)).commentCount,
      (await userRow(db, author.id)).contributionCount,
    ];
    const before = await counts();
    expect((await search(db, word)).total).toBe(1);

    expect(await flagContent(db, a!, "comment", comment.id, { reason: "harassment" })).toEqual({ hidden: false, weight: 1 });
    expect(await flagContent(db, b!, "comment", comment.id, { reason: "harassment" })).toEqual({ hidden: false, weight: 1 });
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await notificationsOf(db, author.id, "content_hidden")).filter((n) => n.link.includes(`comment=${comment.id}`))).toEqual([]);
    expect(await flagContent(db, c!, "comment", comment.id, { reason: "sara" })).toEqual({ hidden: true, weight: 1 });

    expect((await commentRow(db, comment.id)).visibility).toBe("hidden");
    expect(await counts()).toEqual([before[0]! - 1, before[1]! - 1, before[2]! - 1]);
    expect((await search(db, word)).total).toBe(0);
    expect((await listComments(db, thread.id, null)).rows.map((r) => r.id)).not.toContain(comment.id);
    expect((await notificationsOf(db, author.id, "content_hidden")).filter((n) => n.link.includes(`comment=${comment.id}`))).toHaveLength(1);
    const log = await logRowsFor(db, "comment", comment.id);
    expect(log.map((l) => [l.action, l.actorId])).toEqual([["auto_hide", null]]);
    expect(log[0]!.details).toEqual({ score: 3 });
    expect(await openItemFor(db, "comment", comment.id)).toMatchObject({ reasons: ["flagged"], score: 3, status: "open" });
    // Hidden, it can no longer be flagged: there is nothing public to flag.
    const d = await makeEstablishedUser(db);
    await expectDomainError(() => flagContent(db, d, "comment", comment.id, { reason: "spam" }), 404, "errors.notFound");
  });

  it("five new accounts only queue a comment: the score rises with each flag but nothing is hidden", async () => {
    const { thread, comment, word } = await publishedComment();
    const fresh = await makeUsers(db, 5, { createdAt: new Date() });
    for (const [i, user] of fresh.entries()) {
      expect(await flagContent(db, user, "comment", comment.id, { reason: "spam" })).toEqual({ hidden: false, weight: 0 });
      expect((await openItemFor(db, "comment", comment.id)).score).toBe(i + 1);
    }
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
    expect((await threadRow(db, thread.id)).commentCount).toBe(1);
    expect((await search(db, word)).total).toBe(1);
    expect((await flagsOn("comment", comment.id)).map((f) => f.weight)).toEqual([0, 0, 0, 0, 0]);
    expect(await logRowsFor(db, "comment", comment.id)).toEqual([]);
  });

  it("counts an unverified or young account as new, whatever its age or verification alone", async () => {
    const { comment } = await publishedComment();
    const unverifiedVeteran = await makeEstablishedUser(db, { createdAt: daysAgo(60), emailVerifiedAt: null });
    const verifiedButYoung = await makeEstablishedUser(db, { createdAt: daysAgo(1) });
    const justEstablished = await makeEstablishedUser(db, { createdAt: daysAgo(await getSetting(db, "establishedAccountDays")) });
    expect((await flagContent(db, unverifiedVeteran, "comment", comment.id, { reason: "spam" })).weight).toBe(0);
    expect((await flagContent(db, verifiedButYoung, "comment", comment.id, { reason: "spam" })).weight).toBe(0);
    expect((await flagContent(db, justEstablished, "comment", comment.id, { reason: "spam" })).weight).toBe(1);
    expect((await commentRow(db, comment.id)).visibility).toBe("published");
  });

  it("one staff flag weighs 3 and hides at once", async () => {
    expect(STAFF_FLAG_WEIGHT).toBe(3);
    const { comment } = await publishedComment();
    const planner = await makeNewAuthor(db, { role: "planner" });
    expect(await flagContent(db, planner, "comment", comment.id, { reason: "personal_data" })).toEqual({ hidden: true, weight: 3 });
    expect((await commentRow(db, comment.id)).visibility).toBe("hidden");
    expect((await openItemFor(db, "comment", comment.id)).score).toBe(3);
  });

  it("follows the hideThreshold setting, counting established weight only", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await setSetting(own, "hideThreshold", 2);
    const writer = await makeEstablishedUser(own);
    const thread = await makeThread(own, writer.id, (await makeProject(own)).id);
    const comment = await postComment(own, writer, thread.id, { body: "Ambang dua" });
    const [fresh1, fresh2] = await makeUsers(own, 2, { createdAt: new Date() });
    const [old1, old2] = await makeUsers(own, 2);
    await flagContent(own, fresh1!, "comment", comment.id, { reason: "spam" });
    await flagContent(own, fresh2!, "comment", comment.id, { reason: "spam" });
    await flagContent(own, old1!, "comment", comment.id, { reason: "spam" });
    expect(await own.select().from(flags).where(eq(flags.targetId, comment.id))).toHaveLength(3);
    expect((await flagContent(own, old2!, "comment", comment.id, { reason: "spam" })).hidden).toBe(true);
  });

  it("hides a proposal with its count on the project", async () => {
    const project = await makeProject(db);
    const proposalAuthor = await makeEstablishedUser(db);
    await setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
    const proposal = await submitProposal(db, proposalAuthor, project.id, { title: "Usulan untuk ditandai", body: "Isi usulan untuk ditandai" });
    expect((await projectRow(db, project.id)).proposalCount).toBe(1);
    for (const user of await makeUsers(db, 3)) await flagContent(db, user, "proposal", proposal.id, { reason: "misinformation" });
    expect((await proposalRow(db, proposal.id)).visibility).toBe("hidden");
    expect((await projectRow(db, project.id)).proposalCount).toBe(0);
    expect(await notificationsOf(db, proposalAuthor.id, "content_hidden")).toHaveLength(1);
  });
});
