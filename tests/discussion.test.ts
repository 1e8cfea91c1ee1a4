import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { commentRevisions, comments, moderationLog, notifications, projects, threads, users, type Comment, type User } from "~db/schema";
import {
  COMMENTS_PAGE_SIZE,
  deleteComment,
  editComment,
  listComments,
  openThread,
  pageOfComment,
  postComment,
  setThreadState,
} from "~/discussion/discussion.server";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { makeThread } from "./support/more-factories";
import { daysAgo, daysFromNow, expectDomainError } from "./support/domain-errors";

let db: AppDb;
let ani: User;
let budi: User;
let moderator: User;

/** Verified and a month old: the ordinary (not "new account") posting limits apply. */
const established = (database: AppDb, overrides: Parameters<typeof makeUser>[1] = {}) => makeUser(database, { createdAt: daysAgo(30), ...overrides });

beforeAll(async () => {
  db = (await freshDatabase()).db;
  // Most tests here post many comments quickly; the limits themselves are tested on their own database.
  await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
  ani = await established(db);
  budi = await established(db);
  moderator = await established(db, { role: "moderator" });
});

const projectRow = async (id: number) => (await db.select().from(projects).where(eq(projects.id, id)).limit(1))[0]!;
const threadRow = async (id: number) => (await db.select().from(threads).where(eq(threads.id, id)).limit(1))[0]!;
const commentRow = async (id: number) => (await db.select().from(comments).where(eq(comments.id, id)).limit(1))[0]!;
const userRow = async (id: number) => (await db.select().from(users).where(eq(users.id, id)).limit(1))[0]!;
const say = (text: string) => ({ body: text });

let threadsOpened = 0;
async function newThread(author = ani) {
  const project = await makeProject(db);
  // Each thread its own text: the same text twice within ten minutes is refused as a duplicate.
  const n = ++threadsOpened;
  const thread = await openThread(db, author, project.id, { title: `Trotoar rusak di Jalan Melati ${n}`, body: `Banyak lubang di trotoar, laporan ${n}.` });
  return { project, thread };
}

describe("opening a thread and commenting", () => {
  it("counts the thread and its comments on the thread, the project and the author", async () => {
    const project = await makeProject(db);
    const contributions = (await userRow(ani.id)).contributionCount;
    const thread = await openThread(db, ani, project.id, { title: "  Lampu   jalan mati ", body: "Sudah seminggu **gelap**." });
    expect(thread).toMatchObject({ title: "Lampu jalan mati", bodyHtml: "<p>Sudah seminggu <strong>gelap</strong>.</p>", visibility: "published" });
    expect((await projectRow(project.id)).threadCount).toBe(1);
    expect((await userRow(ani.id)).contributionCount).toBe(contributions + 1);

    await postComment(db, budi, thread.id, say("Betul, saya juga lihat."));
    await postComment(db, ani, thread.id, say("Terima kasih."));
    expect((await threadRow(thread.id)).commentCount).toBe(2);
    expect((await projectRow(project.id)).commentCount).toBe(2);
    expect((await userRow(ani.id)).contributionCount).toBe(contributions + 2);
  });

  it("refuses a thread on a draft (404) or on a closed consultation (403)", async () => {
    const draft = await makeProject(db, { phase: "draft" });
    await expectDomainError(() => openThread(db, ani, draft.id, { title: "Judul", body: "Isi" }), 404, "errors.notFound");
    const closed = await makeProject(db, { consultationOpensAt: daysAgo(9), consultationClosesAt: daysAgo(1) });
    await expectDomainError(() => openThread(db, ani, closed.id, { title: "Judul", body: "Isi" }), 403, "participation.closed");
    expect((await projectRow(closed.id)).threadCount).toBe(0);
  });

  it("refuses an unknown stance", async () => {
    const { thread } = await newThread();
    await expectDomainError(() => postComment(db, ani, thread.id, { body: "Isi", stance: "angry" }), 400, "discussion.stanceInvalid");
    expect((await postComment(db, ani, thread.id, { body: "Isi", stance: "oppose" })).stance).toBe("oppose");
  });
});

describe("replies", () => {
  it("nest three levels deep; deeper replies stay at depth 2 and sort right after their parent's place", async () => {
    const { thread } = await newThread();
    const c0 = await postComment(db, ani, thread.id, say("akar"));
    const c1 = await postComment(db, budi, thread.id, { body: "balasan 1", parentId: c0.id });
    const c2 = await postComment(db, ani, thread.id, { body: "balasan 2", parentId: String(c1.id) });
    const c3 = await postComment(db, budi, thread.id, { body: "balasan 3", parentId: c2.id });
    const later = await postComment(db, ani, thread.id, say("akar kedua"));
    const c4 = await postComment(db, ani, thread.id, { body: "balasan lain untuk 1", parentId: c1.id });
    const c5 = await postComment(db, ani, thread.id, { body: "balasan untuk 3", parentId: c3.id });

    expect((await Promise.all([c0, c1, c2, c3, c4, c5].map((c) => commentRow(c.id)))).map((c) => c.depth)).toEqual([0, 1, 2, 2, 2, 2]);
    expect((await commentRow(c3.id)).parentId).toBe(c2.id);
    expect((await commentRow(c5.id)).parentId).toBe(c3.id);
    const order = (await listComments(db, thread.id, null)).rows.map((r) => r.id);
    // c3 and c5 answer the depth-2 comment c2 (c5 through c3): they follow c2's place before c1's next reply.
    expect(order).toEqual([c0.id, c1.id, c2.id, c3.id, c5.id, c4.id, later.id]);
    expect((await listComments(db, thread.id, null)).rows.map((r) => r.depth)).toEqual([0, 1, 2, 2, 2, 2, 0]);
    expect((await Promise.all([c0, c1, c2, c3].map((c) => commentRow(c.id)))).map((c) => c.replyCount)).toEqual([1, 2, 1, 1]);
  });

  it("to a comment of another thread is refused (400 discussion.parentInvalid)", async () => {
    const { thread } = await newThread();
    const { thread: other } = await newThread();
    const elsewhere = await postComment(db, ani, other.id, say("di utas lain"));
    const before = (await threadRow(thread.id)).commentCount;
    await expectDomainError(() => postComment(db, budi, thread.id, { body: "balasan", parentId: elsewhere.id }), 400, "discussion.parentInvalid");
    await expectDomainError(() => postComment(db, budi, thread.id, { body: "balasan", parentId: 987654 }), 400, "discussion.parentInvalid");
    await expectDomainError(() => postComment(db, budi, thread.id, { body: "balasan", parentId: "abc" }), 400, "discussion.parentInvalid");
    await expectDomainError(() => postComment(db, budi, thread.id, { body: "balasan", parentId: -1 }), 400, "discussion.parentInvalid");
    expect((await threadRow(thread.id)).commentCount).toBe(before);
    expect((await commentRow(elsewhere.id)).replyCount).toBe(0);
  });

  it("notify the parent's author, but not when one replies to oneself", async () => {
    const { thread } = await newThread();
    const parent = await postComment(db, ani, thread.id, say("Pendapat saya."));
    const reply = await postComment(db, budi, thread.id, { body: "Saya tidak setuju.", parentId: parent.id });
    const received = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ani.id), eq(notifications.kind, "reply")));
    const about = received.filter((n) => n.link.includes(`comment=${reply.id}`));
    expect(about).toHaveLength(1);
    expect(about[0]!.params).toMatchObject({ name: budi.displayName });

    const own = await postComment(db, ani, thread.id, { body: "Menambahkan.", parentId: parent.id });
    expect((await db.select().from(notifications).where(eq(notifications.userId, ani.id))).filter((n) => n.link.includes(`comment=${own.id}`))).toEqual([]);
  });
});

describe("where comments are refused", () => {
  it("on an unknown thread (404)", async () => {
    await expectDomainError(() => postComment(db, ani, 987654, say("halo")), 404, "errors.notFound");
  });

  it("on a locked thread (403 discussion.locked), until it is unlocked; locking is logged", async () => {
    const { thread } = await newThread();
    await expectDomainError(() => setThreadState(db, ani, thread.id, { locked: true }), 403, "errors.forbidden");
    await setThreadState(db, moderator, thread.id, { locked: true });
    await expectDomainError(() => postComment(db, budi, thread.id, say("masih boleh?")), 403, "discussion.locked");
    expect((await threadRow(thread.id)).commentCount).toBe(0);
    const log = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, "thread"), eq(moderationLog.targetId, String(thread.id))));
    expect(log.map((l) => [l.action, l.actorId])).toEqual([["thread_lock", moderator.id]]);
    await setThreadState(db, moderator, thread.id, { locked: false });
    expect((await postComment(db, budi, thread.id, say("sekarang boleh"))).visibility).toBe("published");
  });

  it("once the consultation has closed (403)", async () => {
    const project = await makeProject(db, { consultationOpensAt: daysAgo(9), consultationClosesAt: daysAgo(1) });
    const thread = await makeThread(db, ani.id, project.id);
    await expectDomainError(() => postComment(db, budi, thread.id, say("terlambat")), 403, "participation.closed");
    const review = await makeProject(db, { phase: "review", consultationOpensAt: daysAgo(9), consultationClosesAt: daysFromNow(1) });
    const reviewThread = await makeThread(db, ani.id, review.id);
    await expectDomainError(() => postComment(db, budi, reviewThread.id, say("terlambat")), 403, "participation.closed");
  });

  it("from a suspended user (403)", async () => {
    const { thread } = await newThread();
    const suspended = await established(db, { suspendedUntil: daysFromNow(3) });
    await expectDomainError(() => postComment(db, suspended, thread.id, say("halo")), 403, "accounts.refusal.suspendedUntil");
  });
});

describe("length limits", () => {
  it("refuse titles over 150 characters with errors.tooLongMax", async () => {
    const project = await makeProject(db);
    const error = await expectDomainError(() => openThread(db, ani, project.id, { title: "t".repeat(151), body: "isi" }), 400, "errors.tooLongMax");
    expect(error).toMatchObject({ params: { max: 150 }, field: "title" });
    expect((await openThread(db, ani, project.id, { title: "t".repeat(150), body: "isi" })).title).toHaveLength(150);
    expect((await projectRow(project.id)).threadCount).toBe(1);
  });

  it("refuse bodies over 10,000 characters with errors.tooLongMax, for threads, comments and edits", async () => {
    const { project, thread } = await newThread();
    const long = "b".repeat(10_001);
    expect((await expectDomainError(() => openThread(db, ani, project.id, { title: "judul", body: long }), 400, "errors.tooLongMax")).params).toEqual({
      max: 10_000,
    });
    await expectDomainError(() => postComment(db, ani, thread.id, say(long)), 400, "errors.tooLongMax");
    const comment = await postComment(db, ani, thread.id, say("b".repeat(10_000)));
    await expectDomainError(() => editComment(db, ani, comment.id, long), 400, "errors.tooLongMax");
    expect((await commentRow(comment.id)).bodySource).toHaveLength(10_000);
  });

  it("refuse empty bodies and titles", async () => {
    const { project, thread } = await newThread();
    await expectDomainError(() => openThread(db, ani, project.id, { title: "   ", body: "isi" }), 400, "errors.required");
    await expectDomainError(() => postComment(db, ani, thread.id, say(" \n\t ")), 400, "errors.required");
    await expectDomainError(() => postComment(db, ani, thread.id, { body: 42 }), 400, "errors.required");
  });
});

describe("editing", () => {
  it("one's own comment keeps the earlier text as a revision and sets editedAt", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, ani, thread.id, say("Versi *pertama*."));
    const at = new Date();
    const edited = await editComment(db, ani, comment.id, "Versi kedua.", at);
    expect(edited).toMatchObject({ bodySource: "Versi kedua.", bodyHtml: "<p>Versi kedua.</p>" });
    expect(edited.editedAt?.getTime()).toBe(at.getTime());
    await editComment(db, ani, comment.id, "Versi ketiga.");
    const revisions = await db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id)).orderBy(commentRevisions.id);
    expect(revisions.map((r) => [r.bodySource, r.bodyHtml, r.editorId])).toEqual([
      ["Versi *pertama*.", "<p>Versi <em>pertama</em>.</p>", ani.id],
      ["Versi kedua.", "<p>Versi kedua.</p>", ani.id],
    ]);
    expect((await listComments(db, thread.id, null)).rows.find((r) => r.id === comment.id)).toMatchObject({
      revisionCount: 2,
      bodyHtml: "<p>Versi ketiga.</p>",
    });
  });

  it("to the same text writes no revision", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, ani, thread.id, say("Sama saja."));
    await editComment(db, ani, comment.id, "  Sama saja.  ");
    expect(await db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id))).toEqual([]);
    expect((await commentRow(comment.id)).editedAt).toBeNull();
  });

  it("someone else's comment is refused (403) and leaves it unchanged", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, ani, thread.id, say("Milik Ani."));
    await expectDomainError(() => editComment(db, budi, comment.id, "Diubah Budi."), 403, "discussion.notYours");
    await expectDomainError(() => editComment(db, moderator, comment.id, "Diubah moderator."), 403, "discussion.notYours");
    expect(await commentRow(comment.id)).toMatchObject({ bodySource: "Milik Ani.", editedAt: null });
    expect(await db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id))).toEqual([]);
  });
});

describe("deleting", () => {
  it("one's own comment is soft: replies stay, counts go down by one, the place shows without a body", async () => {
    const { project, thread } = await newThread();
    const parent = await postComment(db, ani, thread.id, say("Akan dihapus."));
    const reply = await postComment(db, budi, thread.id, { body: "Balasan yang tetap.", parentId: parent.id });
    const contributions = (await userRow(ani.id)).contributionCount;
    expect([(await threadRow(thread.id)).commentCount, (await projectRow(project.id)).commentCount]).toEqual([2, 2]);

    await deleteComment(db, ani, parent.id);
    expect(await commentRow(parent.id)).toMatchObject({ visibility: "deleted", bodySource: "Akan dihapus." });
    expect((await commentRow(reply.id)).visibility).toBe("published");
    expect([(await threadRow(thread.id)).commentCount, (await projectRow(project.id)).commentCount]).toEqual([1, 1]);
    expect((await userRow(ani.id)).contributionCount).toBe(contributions - 1);

    const rows = (await listComments(db, thread.id, budi)).rows;
    expect(rows.map((r) => r.id)).toEqual([parent.id, reply.id]);
    expect(rows[0]).toMatchObject({ visibility: "deleted", bodyHtml: null, bodySource: null, authorName: null, stance: null });
    expect(rows[1]).toMatchObject({ bodyHtml: "<p>Balasan yang tetap.</p>", parentId: parent.id });
  });

  it("a reply lowers its parent's reply count", async () => {
    const { thread } = await newThread();
    const parent = await postComment(db, ani, thread.id, say("Induk."));
    const reply = await postComment(db, budi, thread.id, { body: "Anak.", parentId: parent.id });
    expect((await commentRow(parent.id)).replyCount).toBe(1);
    await deleteComment(db, budi, reply.id);
    expect((await commentRow(parent.id)).replyCount).toBe(0);
  });

  it("someone else's comment is refused (403); a deleted comment cannot be deleted or edited again (404)", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, ani, thread.id, say("Milik Ani, nanti dihapus."));
    await expectDomainError(() => deleteComment(db, budi, comment.id), 403, "discussion.notYours");
    expect((await commentRow(comment.id)).visibility).toBe("published");
    await deleteComment(db, ani, comment.id);
    await expectDomainError(() => deleteComment(db, ani, comment.id), 404, "errors.notFound");
    await expectDomainError(() => editComment(db, ani, comment.id, "hidup lagi"), 404, "errors.notFound");
    expect((await threadRow(thread.id)).commentCount).toBe(0);
  });

  it("is refused to a suspended author (403), like every other write", async () => {
    const { thread } = await newThread();
    const author = await established(db);
    const comment = await postComment(db, author, thread.id, say("Ditulis sebelum diskors."));
    const suspended = { ...author, suspendedUntil: daysFromNow(7) };
    await expectDomainError(() => deleteComment(db, suspended, comment.id), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => editComment(db, suspended, comment.id, "Diubah saat diskors."), 403, "accounts.refusal.suspendedUntil");
    expect(await commentRow(comment.id)).toMatchObject({ visibility: "published", bodySource: "Ditulis sebelum diskors." });
    expect((await threadRow(thread.id)).commentCount).toBe(1);
  });

  it("replying to a deleted comment is refused", async () => {
    const { thread } = await newThread();
    const comment = await postComment(db, ani, thread.id, say("Dihapus."));
    await deleteComment(db, ani, comment.id);
    await expectDomainError(() => postComment(db, budi, thread.id, { body: "balasan", parentId: comment.id }), 400, "discussion.parentGone");
  });
});

describe("pagination", () => {
  it("shows 50 comments a page, and pageOfComment finds the page of comment #120 of 130", async () => {
    const { thread } = await newThread();
    const posted: Comment[] = [];
    for (let i = 0; i < 130; i++) posted.push(await postComment(db, i % 2 ? ani : budi, thread.id, say(`Komentar nomor ${i + 1}`)));
    expect(COMMENTS_PAGE_SIZE).toBe(50);
    const first = await listComments(db, thread.id, null, 1);
    expect(first).toMatchObject({ total: 130, page: 1, pageCount: 3 });
    expect(first.rows.map((r) => r.id)).toEqual(posted.slice(0, 50).map((c) => c.id));
    expect((await listComments(db, thread.id, null, 2)).rows.map((r) => r.id)).toEqual(posted.slice(50, 100).map((c) => c.id));
    const last = await listComments(db, thread.id, null, 3);
    expect(last.rows.map((r) => r.id)).toEqual(posted.slice(100).map((c) => c.id));
    expect((await listComments(db, thread.id, null, 99)).page).toBe(3);

    expect(await pageOfComment(db, thread.id, posted[119]!.id, null)).toBe(3);
    expect(await pageOfComment(db, thread.id, posted[0]!.id, null)).toBe(1);
    expect(await pageOfComment(db, thread.id, posted[49]!.id, null)).toBe(1);
    expect(await pageOfComment(db, thread.id, posted[50]!.id, null)).toBe(2);
    expect(await pageOfComment(db, thread.id, posted[100]!.id, null)).toBe(3);
    const { thread: other } = await newThread();
    expect(await pageOfComment(db, other.id, posted[0]!.id, null)).toBeNull();
  });

  it("pageOfComment finds a reply placed under an early comment on that comment's page", async () => {
    const { thread } = await newThread();
    const posted: Comment[] = [];
    for (let i = 0; i < 60; i++) posted.push(await postComment(db, ani, thread.id, say(`Komentar ${i + 1}`)));
    const reply = await postComment(db, budi, thread.id, { body: "balasan untuk yang ketiga", parentId: posted[2]!.id });
    expect(await pageOfComment(db, thread.id, reply.id, null)).toBe(1);
    expect((await listComments(db, thread.id, null, 1)).rows[3]!.id).toBe(reply.id);
    expect(await pageOfComment(db, thread.id, posted[49]!.id, null)).toBe(2);
  });
});

describe("posting rate", () => {
  it("is stricter for a new account than for an established one", async () => {
    const own = (await freshDatabase()).db;
    const project = await makeProject(own);
    const opener = await makeUser(own, { createdAt: daysAgo(30) });
    const thread = await makeThread(own, opener.id, project.id);
    const now = new Date();
    const fresh = await makeUser(own, { createdAt: now });
    const veteran = await makeUser(own, { createdAt: daysAgo(30) });
    const unverifiedVeteran = await makeUser(own, { createdAt: daysAgo(30), emailVerifiedAt: null });

    const postsAllowed = async (user: User) => {
      let n = 0;
      for (; n < 20; n++) {
        try {
          await postComment(own, user, thread.id, { body: `komentar ${n}` }, now);
        } catch (error) {
          expect(error).toMatchObject({ status: 429, key: "errors.rateLimitedFor" });
          break;
        }
      }
      return n;
    };
    expect(await postsAllowed(fresh)).toBe(2);
    expect(await postsAllowed(veteran)).toBe(6);
    expect(await postsAllowed(unverifiedVeteran)).toBe(2);
    // A minute later the new account may post again.
    expect((await postComment(own, fresh, thread.id, { body: "semenit kemudian" }, new Date(now.getTime() + 60_000))).visibility).toBe("published");
  });
});
