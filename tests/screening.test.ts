import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { commentRevisions, comments, reviewItems, type User } from "~db/schema";
import { deleteComment, editComment, getThread, listComments, listThreads, openThread, postComment } from "~/discussion/discussion.server";
import { getProposal, listProposals, submitProposal, supportProposal } from "~/proposals/proposals.server";
import { DUPLICATE_WINDOW_MS, findBlockedWords, screenContribution } from "~/moderation/screening.server";
import { decideReviewItem, hideContent, listQueue } from "~/moderation/review.server";
import { search } from "~/search/search.server";
import { listPublicProjects } from "~/projects/queries.server";
import { listApiProjects } from "~/projects/open-data.server";
import { getSetting, setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject, reloadUser } from "./support/factories";
import { makeComment, makeThread } from "./support/more-factories";
import { expectDomainError } from "./support/domain-errors";
import { commentRow, makeEstablishedUser, makeNewAuthor, openItemFor, projectRow, proposalRow, reviewItemsFor, threadRow, userRow } from "./support/moderation";

let db: AppDb;
let moderator: User;
let resident: User;

beforeAll(async () => {
  db = (await freshDatabase({ appDefaults: true })).db;
  // Posting limits are tested elsewhere; here authors post many times in a row.
  await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
  moderator = await makeEstablishedUser(db, { role: "moderator" });
  resident = await makeEstablishedUser(db);
});

let texts = 0;
/** A text of its own, so no test trips over the duplicate rule by accident. */
const unique = (text: string) => `${text} (${++texts})`;

async function newThread() {
  const project = await makeProject(db);
  const thread = await makeThread(db, resident.id, project.id);
  return { project, thread };
}

const versionOf = async (itemId: number) =>
  (await db.select({ version: reviewItems.version }).from(reviewItems).where(eq(reviewItems.id, itemId)).limit(1))[0]!.version;
const approve = async (itemId: number) => decideReviewItem(db, moderator, itemId, { decision: "approve", version: await versionOf(itemId) });
const reject = async (itemId: number, reason = "Melanggar pedoman.") =>
  decideReviewItem(db, moderator, itemId, { decision: "reject", version: await versionOf(itemId), reason });

describe("a new author's first contributions", () => {
  it("are held: with the default premoderationCount of 2, a new author's comment, thread and proposal wait as pending with reason new_author", async () => {
    expect(await getSetting(db, "premoderationCount")).toBe(2);
    const { project, thread } = await newThread();
    const newbie = await makeNewAuthor(db);
    const comment = await postComment(db, newbie, thread.id, { body: unique("Komentar pertama saya") });
    const ownThread = await openThread(db, newbie, project.id, { title: "Utas pertama saya", body: unique("Isi utas pertama") });
    const proposal = await submitProposal(db, newbie, project.id, { title: "Usulan pertama saya", body: unique("Isi usulan pertama") });
    expect([comment.visibility, ownThread.visibility, proposal.visibility]).toEqual(["pending", "pending", "pending"]);
    expect((await openItemFor(db, "comment", comment.id)).reasons).toEqual(["new_author"]);
    expect((await openItemFor(db, "thread", ownThread.id)).reasons).toEqual(["new_author"]);
    expect((await openItemFor(db, "proposal", proposal.id)).reasons).toEqual(["new_author"]);
    // contributionCount counts published contributions only: nothing was published, so a fourth is held too.
    expect((await userRow(db, newbie.id)).contributionCount).toBe(0);
    expect((await postComment(db, await userRow(db, newbie.id), thread.id, { body: unique("Komentar keempat") })).visibility).toBe("pending");
  });

  it("publish the (N+1)th contribution once the first N were approved", async () => {
    const { thread } = await newThread();
    const newbie = await makeNewAuthor(db);
    const first = await postComment(db, newbie, thread.id, { body: unique("Satu") });
    const second = await postComment(db, newbie, thread.id, { body: unique("Dua") });
    expect([first.visibility, second.visibility]).toEqual(["pending", "pending"]);
    await approve((await openItemFor(db, "comment", first.id)).id);
    // One approval is not enough: one published contribution is still fewer than two.
    expect((await postComment(db, await userRow(db, newbie.id), thread.id, { body: unique("Tiga, terlalu cepat") })).visibility).toBe("pending");
    await approve((await openItemFor(db, "comment", second.id)).id);
    expect((await userRow(db, newbie.id)).contributionCount).toBe(2);
    const third = await postComment(db, await userRow(db, newbie.id), thread.id, { body: unique("Tiga") });
    expect(third.visibility).toBe("published");
    expect(await reviewItemsFor(db, "comment", third.id)).toEqual([]);
  });

  it("follow the premoderationCount setting: 0 holds nobody, 3 holds an author with two published contributions", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const project = await makeProject(own);
    const opener = await makeEstablishedUser(own);
    const thread = await makeThread(own, opener.id, project.id);
    await setSetting(own, "premoderationCount", 0);
    const brandNew = await makeNewAuthor(own);
    expect((await postComment(own, brandNew, thread.id, { body: "Langsung terbit" })).visibility).toBe("published");
    await setSetting(own, "premoderationCount", 3);
    const withPublished = async (n: number) => {
      const author = await makeNewAuthor(own);
      for (let i = 0; i < n; i++) await makeComment(own, thread, author.id, { bodySource: `Terbit ${i}` });
      return await reloadUser(own, author.id);
    };
    const twoPublished = await withPublished(2);
    expect(twoPublished.contributionCount).toBe(2);
    expect((await postComment(own, twoPublished, thread.id, { body: "Masih ditahan" })).visibility).toBe("pending");
    const threePublished = await withPublished(3);
    expect((await postComment(own, threePublished, thread.id, { body: "Sudah terbit" })).visibility).toBe("published");
  });

  it("never hold staff: a brand-new moderator, planner or admin publishes at once, even with blocked words and many links", async () => {
    await setSetting(db, "blockedWords", ["bodoh"]);
    const { project, thread } = await newThread();
    for (const role of ["moderator", "planner", "admin"] as const) {
      const staff = await makeNewAuthor(db, { role });
      const links = Array.from({ length: 6 }, (_, i) => `https://contoh.id/${role}/${i}`).join(" ");
      const comment = await postComment(db, staff, thread.id, { body: unique(`Jangan bodoh, baca ${links}`) });
      const ownThread = await openThread(db, staff, project.id, { title: `Pengumuman ${role}`, body: unique("Jadwal kerja bakti") });
      expect([comment.visibility, ownThread.visibility], role).toEqual(["published", "published"]);
      expect(await screenContribution(db, staff, `bodoh ${links}`)).toEqual({ verdict: "publish" });
      expect(await reviewItemsFor(db, "comment", comment.id)).toEqual([]);
    }
    await setSetting(db, "blockedWords", []);
  });
});

describe("blocked words", () => {
  const list = ["bodoh", "anjing", "kata kasar"];

  it.each([
    ["upper case", "Dasar BODOH kamu"],
    ["inserted dots", "dasar b.o.d.o.h"],
    ["inserted dashes", "dasar b-o-d-o-h"],
    ["inserted spaces", "dasar b o d o h"],
    ["a dot inside the word", "dasar bod.oh"],
    ["repeated letters", "dasar bodoooohhh"],
    ["digits for letters", "dasar b0d0h"],
    ["digits for letters (4 and 1)", "kamu 4nj1ng"],
    ["punctuation after the word", "Anjing!"],
    ["a phrase", "itu kata kasar sekali"],
    ["a phrase with a dash between its words", "itu kata-kasar sekali"],
    ["a phrase with a dot between its words, in capitals", "itu KATA.KASAR sekali"],
  ])("are found through %s", (_, text) => {
    expect(findBlockedWords(text, list).length).toBe(1);
  });

  it.each([
    ["a longer word that contains it (Indonesian suffix -nya)", "anjingnya lucu"],
    ["a longer word that contains it (prefix)", "sabodoh itu nama desa"],
    ["a phrase written as one word", "katakasar"],
    ["the phrase's words apart", "kata yang kasar"],
    ["a number that looks like letters", "tahun 2026 jalan 80d0 selesai"],
    ["a similar but different word", "bodo amat"],
  ])("match whole words only, so nothing is found in %s", (_, text) => {
    // Decided by the implementation: words match on word boundaries after folding, so a blocked
    // "anjing" does not hold "anjingnya". An admin who wants the suffixed form blocks it as well.
    expect(findBlockedWords(text, list)).toEqual([]);
  });

  it("hold a comment with reason blocked_word, naming the words found for the moderator", async () => {
    await setSetting(db, "blockedWords", list);
    const { thread } = await newThread();
    const comment = await postComment(db, resident, thread.id, { body: unique("Dasar b.o.d.o.h, kata-kasar") });
    expect(comment.visibility).toBe("pending");
    expect((await openItemFor(db, "comment", comment.id)).reasons).toEqual(["blocked_word"]);
    expect(await screenContribution(db, resident, "Dasar b.o.d.o.h, kata-kasar")).toEqual({
      verdict: "hold",
      reasons: ["blocked_word"],
      words: ["bodoh", "kata kasar"],
    });
    // The same author's "anjingnya" is published: the implementation matches whole words only.
    expect((await postComment(db, resident, thread.id, { body: unique("Anjingnya tetangga menggonggong") })).visibility).toBe("published");
    await setSetting(db, "blockedWords", []);
  });

  it("hold a thread whose title carries the word, and a proposal whose body does", async () => {
    await setSetting(db, "blockedWords", list);
    const { project } = await newThread();
    const thread = await openThread(db, resident, project.id, { title: "Pejabat BODOH", body: unique("Isinya sopan") });
    const proposal = await submitProposal(db, resident, project.id, { title: "Usulan sopan", body: unique("tapi a.n.j.i.n.g di sini") });
    expect([thread.visibility, proposal.visibility]).toEqual(["pending", "pending"]);
    expect((await openItemFor(db, "thread", thread.id)).reasons).toEqual(["blocked_word"]);
    expect((await openItemFor(db, "proposal", proposal.id)).reasons).toEqual(["blocked_word"]);
    await setSetting(db, "blockedWords", []);
  });

  it("hold nothing when the list is empty", async () => {
    expect(await getSetting(db, "blockedWords")).toEqual([]);
    expect(await screenContribution(db, resident, "bodoh anjing kata kasar")).toEqual({ verdict: "publish" });
  });
});

describe("links", () => {
  const withLinks = (n: number) => Array.from({ length: n }, (_, i) => `[tautan ${i}](https://contoh.id/${i})`).join(", ");

  it("up to the limit (default 3) publish; one more holds the comment with reason too_many_links", async () => {
    expect(await getSetting(db, "linkLimit")).toBe(3);
    const { thread } = await newThread();
    expect((await postComment(db, resident, thread.id, { body: unique(`Lihat ${withLinks(3)}`) })).visibility).toBe("published");
    const over = await postComment(db, resident, thread.id, { body: unique(`Lihat ${withLinks(4)}`) });
    expect(over.visibility).toBe("pending");
    expect((await openItemFor(db, "comment", over.id)).reasons).toEqual(["too_many_links"]);
  });

  it("are counted in every form: Markdown links, autolinks and bare addresses", async () => {
    const mixed = "[peta](https://peta.contoh.id) <https://a.contoh.id> https://b.contoh.id www.c.contoh.id";
    expect(await screenContribution(db, resident, mixed)).toEqual({ verdict: "hold", reasons: ["too_many_links"], words: [] });
    expect(await screenContribution(db, resident, "https://a.contoh.id https://b.contoh.id https://c.contoh.id")).toEqual({ verdict: "publish" });
  });

  it("follow the linkLimit setting", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await setSetting(own, "linkLimit", 1);
    const author = await makeEstablishedUser(own);
    expect(await screenContribution(own, author, "https://a.contoh.id")).toEqual({ verdict: "publish" });
    expect(await screenContribution(own, author, "https://a.contoh.id https://b.contoh.id")).toMatchObject({ verdict: "hold", reasons: ["too_many_links"] });
  });

  it("and a blocked word and a new author add up to one item with every reason", async () => {
    await setSetting(db, "blockedWords", ["bodoh"]);
    const { thread } = await newThread();
    const newbie = await makeNewAuthor(db);
    const comment = await postComment(db, newbie, thread.id, { body: unique(`bodoh ${withLinks(4)}`) });
    expect((await openItemFor(db, "comment", comment.id)).reasons).toEqual(["new_author", "blocked_word", "too_many_links"]);
    await setSetting(db, "blockedWords", []);
  });
});

describe("duplicates", () => {
  it("the same text by the same author within ten minutes is refused (409 moderation.duplicate), and leaves nothing behind", async () => {
    const { project, thread } = await newThread();
    const { thread: other } = await newThread();
    const at = new Date();
    await postComment(db, resident, thread.id, { body: "Tolong perbaiki lampu jalan" }, at);
    const before = [(await threadRow(db, other.id)).commentCount, (await userRow(db, resident.id)).contributionCount];
    const error = await expectDomainError(
      () => postComment(db, resident, other.id, { body: "  Tolong perbaiki lampu jalan " }, new Date(at.getTime() + 9 * 60_000)),
      409,
      "moderation.duplicate",
    );
    expect(error.field).toBe("body");
    expect([(await threadRow(db, other.id)).commentCount, (await userRow(db, resident.id)).contributionCount]).toEqual(before);
    expect(await db.select().from(comments).where(eq(comments.threadId, other.id))).toEqual([]);
    // Across content types too: a thread or a proposal with that text is the same flood.
    await expectDomainError(
      () => openThread(db, resident, project.id, { title: "Lampu", body: "Tolong perbaiki lampu jalan" }, at),
      409,
      "moderation.duplicate",
    );
    await expectDomainError(
      () => submitProposal(db, resident, project.id, { title: "Lampu", body: "Tolong perbaiki lampu jalan" }, at),
      409,
      "moderation.duplicate",
    );
  });

  it("the same text is allowed again ten minutes later, and from another author at once", async () => {
    const { thread } = await newThread();
    const at = new Date();
    await postComment(db, resident, thread.id, { body: "Setuju sekali dengan rencana ini" }, at);
    await expectDomainError(
      () => postComment(db, resident, thread.id, { body: "Setuju sekali dengan rencana ini" }, new Date(at.getTime() + DUPLICATE_WINDOW_MS - 1000)),
      409,
      "moderation.duplicate",
    );
    expect(DUPLICATE_WINDOW_MS).toBe(10 * 60_000);
    expect(
      (await postComment(db, resident, thread.id, { body: "Setuju sekali dengan rencana ini" }, new Date(at.getTime() + DUPLICATE_WINDOW_MS))).visibility,
    ).toBe("published");
    const neighbour = await makeEstablishedUser(db);
    expect((await postComment(db, neighbour, thread.id, { body: "Setuju sekali dengan rencana ini" }, at)).visibility).toBe("published");
  });

  it("a different text from the same author at once is fine", async () => {
    const { thread } = await newThread();
    const at = new Date();
    await postComment(db, resident, thread.id, { body: "Jalan ini sering banjir" }, at);
    expect((await postComment(db, resident, thread.id, { body: "Jalan ini sering banjir saat hujan" }, at)).visibility).toBe("published");
  });
});

describe("held content is seen by its author and staff only", () => {
  it("a held comment is listed for its author (pending) and for nobody else, and sits in the moderators' queue", async () => {
    const { thread } = await newThread();
    const newbie = await makeNewAuthor(db);
    const held = await postComment(db, newbie, thread.id, { body: unique("Menunggu tinjauan") });
    const idsFor = async (viewer: User | null) => (await listComments(db, thread.id, viewer)).rows.map((r) => r.id);
    expect((await listComments(db, thread.id, newbie)).rows.find((r) => r.id === held.id)).toMatchObject({ visibility: "pending", own: true });
    expect(await idsFor(null)).not.toContain(held.id);
    expect(await idsFor(resident)).not.toContain(held.id);
    expect((await listComments(db, thread.id, null)).total).toBe(0);
    expect((await listQueue(db, {}, 1)).rows.find((r) => r.item.targetType === "comment" && r.item.targetId === held.id)?.content?.bodyHtml).toContain(
      "Menunggu tinjauan",
    );
    await approve((await openItemFor(db, "comment", held.id)).id);
    expect(await idsFor(null)).toContain(held.id);
  });

  it("a held thread and a held proposal open for their author and staff, and are not listed for the public", async () => {
    const { project } = await newThread();
    const newbie = await makeNewAuthor(db);
    const thread = await openThread(db, newbie, project.id, { title: "Utas tertahan", body: unique("Isi utas tertahan") });
    const proposal = await submitProposal(db, newbie, project.id, { title: "Usulan tertahan", body: unique("Isi usulan tertahan") });
    expect(await getThread(db, project.id, thread.id, newbie)).not.toBeNull();
    expect(await getThread(db, project.id, thread.id, moderator)).not.toBeNull();
    expect(await getThread(db, project.id, thread.id, resident)).toBeNull();
    expect(await getThread(db, project.id, thread.id, null)).toBeNull();
    expect(await getProposal(db, project.id, proposal.id, newbie)).not.toBeNull();
    expect(await getProposal(db, project.id, proposal.id, moderator)).not.toBeNull();
    expect(await getProposal(db, project.id, proposal.id, resident)).toBeNull();
    expect(await getProposal(db, project.id, proposal.id, null)).toBeNull();
    expect((await listThreads(db, project.id)).rows.map((r) => r.id)).not.toContain(thread.id);
    expect((await listProposals(db, project.id)).rows.map((r) => r.id)).not.toContain(proposal.id);
    // Nobody can support a proposal nobody can see, so its tally stays empty.
    await expectDomainError(() => supportProposal(db, resident, proposal.id), 404, "errors.notFound");
    expect((await proposalRow(db, proposal.id)).supportCount).toBe(0);
  });

  it("the discussion of a held proposal takes no comment, even from staff, until the proposal is approved", async () => {
    const { project } = await newThread();
    const newbie = await makeNewAuthor(db);
    const proposal = await submitProposal(db, newbie, project.id, { title: "Usulan tertahan berdiskusi", body: unique("Isi usulan") });
    const discussion = (await getProposal(db, project.id, proposal.id, moderator))!.thread!;
    const before = [(await projectRow(db, project.id)).commentCount, (await threadRow(db, discussion.id)).commentCount];
    await expectDomainError(() => postComment(db, moderator, discussion.id, { body: unique("Komentar staf") }), 404, "errors.notFound");
    await expectDomainError(() => postComment(db, resident, discussion.id, { body: unique("Komentar warga") }), 404, "errors.notFound");
    expect([(await projectRow(db, project.id)).commentCount, (await threadRow(db, discussion.id)).commentCount]).toEqual(before);
    await approve((await openItemFor(db, "proposal", proposal.id)).id);
    expect((await postComment(db, resident, discussion.id, { body: unique("Komentar warga") })).visibility).toBe("published");
  });

  it("a comment in the discussion of a proposal that is no longer public is not found, so the proposal's title does not leak", async () => {
    const { project } = await newThread();
    const proposal = await submitProposal(db, resident, project.id, { title: "Judulrahasia usulan", body: unique("Isi usulan") });
    const discussion = (await getProposal(db, project.id, proposal.id, null))!.thread!;
    const comment = await postComment(db, await makeEstablishedUser(db), discussion.id, { body: unique("Komentarpadausulan ini") });
    expect((await search(db, "komentarpadausulan")).hits.map((h) => [h.kind, h.id, h.titleHtml])).toEqual([["comment", comment.id, "Judulrahasia usulan"]]);
    await hideContent(db, moderator, "proposal", proposal.id, "Di luar topik.");
    expect((await search(db, "komentarpadausulan")).hits).toEqual([]);
    expect((await search(db, "judulrahasia")).hits).toEqual([]);
  });

  it("held content is not found by search until it is approved", async () => {
    const { project, thread } = await newThread();
    const newbie = await makeNewAuthor(db, { contributionCount: 0 });
    const comment = await postComment(db, newbie, thread.id, { body: unique("Selokanmampet di gang tiga") });
    const ownThread = await openThread(db, newbie, project.id, { title: "Halteroboh di depan pasar", body: unique("Atapnya bocor") });
    const proposal = await submitProposal(db, await userRow(db, newbie.id), project.id, {
      title: "Pasangkanopi halte",
      body: unique("Supaya tidak kehujanan"),
    });
    expect([comment.visibility, ownThread.visibility, proposal.visibility]).toEqual(["pending", "pending", "pending"]);
    for (const word of ["selokanmampet", "halteroboh", "pasangkanopi"]) expect((await search(db, word)).total, word).toBe(0);
    await approve((await openItemFor(db, "comment", comment.id)).id);
    await approve((await openItemFor(db, "thread", ownThread.id)).id);
    await approve((await openItemFor(db, "proposal", proposal.id)).id);
    expect((await search(db, "selokanmampet")).hits.map((h) => [h.kind, h.id])).toEqual([["comment", comment.id]]);
    expect((await search(db, "halteroboh")).hits.map((h) => [h.kind, h.id])).toEqual([["thread", ownThread.id]]);
    expect((await search(db, "pasangkanopi")).hits.map((h) => [h.kind, h.id])).toEqual([["proposal", proposal.id]]);
  });

  it("held content is in no stored count (thread, project, parent, author) until approved, which counts it once", async () => {
    const { project, thread } = await newThread();
    const parent = await postComment(db, resident, thread.id, { body: unique("Komentar induk") });
    const newbie = await makeNewAuthor(db);
    const snapshot = async () => ({
      threadComments: (await threadRow(db, thread.id)).commentCount,
      projectComments: (await projectRow(db, project.id)).commentCount,
      projectThreads: (await projectRow(db, project.id)).threadCount,
      projectProposals: (await projectRow(db, project.id)).proposalCount,
      replies: (await commentRow(db, parent.id)).replyCount,
      contributions: (await userRow(db, newbie.id)).contributionCount,
    });
    const before = await snapshot();
    const reply = await postComment(db, newbie, thread.id, { body: unique("Balasan tertahan"), parentId: parent.id });
    const ownThread = await openThread(db, newbie, project.id, { title: "Utas baru tertahan", body: unique("Isi") });
    const proposal = await submitProposal(db, newbie, project.id, { title: "Usulan baru tertahan", body: unique("Isi") });
    expect(await snapshot()).toEqual(before);
    await approve((await openItemFor(db, "comment", reply.id)).id);
    await approve((await openItemFor(db, "thread", ownThread.id)).id);
    await approve((await openItemFor(db, "proposal", proposal.id)).id);
    expect(await snapshot()).toEqual({
      threadComments: before.threadComments + 1,
      projectComments: before.projectComments + 1,
      projectThreads: before.projectThreads + 1,
      projectProposals: before.projectProposals + 1,
      replies: before.replies + 1,
      contributions: before.contributions + 3,
    });
  });

  it("held content is in neither the public project list's counts nor the open data API's, until approved", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const project = await makeProject(own, { title: "Proyek data terbuka" });
    const opener = await makeEstablishedUser(own);
    const thread = await makeThread(own, opener.id, project.id);
    const newbie = await makeNewAuthor(own);
    const mod = await makeEstablishedUser(own, { role: "moderator" });
    await postComment(own, opener, thread.id, { body: "Terbit" });
    const held = await postComment(own, newbie, thread.id, { body: "Tertahan" });
    const heldThread = await openThread(own, newbie, project.id, { title: "Utas tertahan", body: "Isi tertahan" });
    const heldProposal = await submitProposal(own, newbie, project.id, { title: "Usulan tertahan", body: "Usulan tertahan" });
    const card = async () => (await listPublicProjects(own, {})).rows.find((r) => r.id === project.id)!;
    const api = async () =>
      (await listApiProjects(own, { page: 1, pageSize: 50, phase: null, category: null }, "https://rembug.contoh.id")).data.find(
        (p) => p.slug === project.slug,
      )!;
    expect((await card()).commentCount).toBe(1);
    // The opener's thread is published and counted; the held thread is not, until approved.
    expect((await api()).counts).toEqual({ threads: 1, comments: 1, proposals: 0, followers: expect.any(Number) });
    for (const [type, id] of [
      ["comment", held.id],
      ["thread", heldThread.id],
      ["proposal", heldProposal.id],
    ] as const) {
      const item = await openItemFor(own, type, id);
      await decideReviewItem(own, mod, item.id, { decision: "approve", version: item.version });
    }
    expect((await card()).commentCount).toBe(2);
    expect((await api()).counts).toEqual({ threads: 2, comments: 2, proposals: 1, followers: expect.any(Number) });
  });
});

describe("held edits", () => {
  it("keep the published text live until approved; then the new text is live and the old one is a revision", async () => {
    await setSetting(db, "blockedWords", ["bodoh"]);
    const { thread } = await newThread();
    const comment = await postComment(db, resident, thread.id, { body: "Versisopan dari gang tujuh" });
    const returned = await editComment(db, resident, comment.id, "Versibaru yang bodoh dari gang tujuh");
    expect(returned.bodySource).toBe("Versisopan dari gang tujuh");
    expect(await commentRow(db, comment.id)).toMatchObject({ bodySource: "Versisopan dari gang tujuh", visibility: "published", editedAt: null });
    expect((await listComments(db, thread.id, null)).rows.find((r) => r.id === comment.id)?.bodyHtml).toBe("<p>Versisopan dari gang tujuh</p>");
    expect((await search(db, "versisopan")).total).toBe(1);
    expect((await search(db, "versibaru")).total).toBe(0);
    const item = await openItemFor(db, "comment", comment.id);
    expect(item.reasons).toEqual(["edit", "blocked_word"]);
    const revisions = async () => db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id)).orderBy(commentRevisions.id);
    expect((await revisions()).map((r) => [r.bodySource, r.visibility])).toEqual([["Versibaru yang bodoh dari gang tujuh", "pending"]]);

    await approve(item.id);
    expect(await commentRow(db, comment.id)).toMatchObject({
      bodySource: "Versibaru yang bodoh dari gang tujuh",
      bodyHtml: "<p>Versibaru yang bodoh dari gang tujuh</p>",
      visibility: "published",
    });
    expect((await commentRow(db, comment.id)).editedAt).not.toBeNull();
    expect((await revisions()).map((r) => [r.bodySource, r.visibility])).toEqual([["Versisopan dari gang tujuh", "published"]]);
    expect((await listComments(db, thread.id, null)).rows.find((r) => r.id === comment.id)).toMatchObject({
      bodyHtml: "<p>Versibaru yang bodoh dari gang tujuh</p>",
      revisionCount: 1,
    });
    expect((await search(db, "versisopan")).total).toBe(0);
    expect((await search(db, "versibaru")).total).toBe(1);
    await setSetting(db, "blockedWords", []);
  });

  it("rejected, leave the published text live and the comment published", async () => {
    await setSetting(db, "blockedWords", ["bodoh"]);
    const { thread } = await newThread();
    const comment = await postComment(db, resident, thread.id, { body: "Teks asli Gangdelapan" });
    const counts = [(await threadRow(db, thread.id)).commentCount, (await userRow(db, resident.id)).contributionCount];
    await editComment(db, resident, comment.id, "Teks bodoh Gangdelapan");
    await reject((await openItemFor(db, "comment", comment.id)).id, "Kata kasar.");
    expect(await commentRow(db, comment.id)).toMatchObject({ bodySource: "Teks asli Gangdelapan", visibility: "published", editedAt: null });
    expect((await db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id))).map((r) => [r.bodySource, r.visibility])).toEqual([
      ["Teks bodoh Gangdelapan", "rejected"],
    ]);
    expect([(await threadRow(db, thread.id)).commentCount, (await userRow(db, resident.id)).contributionCount]).toEqual(counts);
    expect((await listComments(db, thread.id, null)).rows.find((r) => r.id === comment.id)?.bodyHtml).toBe("<p>Teks asli Gangdelapan</p>");
    await setSetting(db, "blockedWords", []);
  });

  it("are screened for blocked words and links but not for a new author: a clean edit of a published comment is live at once", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, resident, thread.id, { body: unique("Sebelum diubah") });
    // The author's count no longer matters for an edit: the comment itself was already reviewed or trusted.
    const edited = await editComment(db, { ...resident, contributionCount: 0 }, comment.id, unique("Sesudah diubah"));
    expect(edited.bodySource).toMatch(/^Sesudah diubah/);
    expect(await reviewItemsFor(db, "comment", comment.id)).toEqual([]);
    const linked = await editComment(db, resident, comment.id, "https://a.contoh.id https://b.contoh.id https://c.contoh.id https://d.contoh.id");
    expect(linked.bodySource).toMatch(/^Sesudah diubah/);
    expect((await openItemFor(db, "comment", comment.id)).reasons).toEqual(["edit", "too_many_links"]);
  });

  it("deleting a held comment by its author leaves every count as it was", async () => {
    const { project, thread } = await newThread();
    const newbie = await makeNewAuthor(db);
    const held = await postComment(db, newbie, thread.id, { body: unique("Tertahan lalu dihapus") });
    const before = [
      (await threadRow(db, thread.id)).commentCount,
      (await projectRow(db, project.id)).commentCount,
      (await userRow(db, newbie.id)).contributionCount,
    ];
    await deleteComment(db, newbie, held.id);
    expect((await commentRow(db, held.id)).visibility).toBe("deleted");
    expect([
      (await threadRow(db, thread.id)).commentCount,
      (await projectRow(db, project.id)).commentCount,
      (await userRow(db, newbie.id)).contributionCount,
    ]).toEqual(before);
  });
});
