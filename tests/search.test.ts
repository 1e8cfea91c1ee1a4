import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { parseFragment } from "parse5";
import { withWriteTx, type AppDb } from "~db/engine";
import { projects, threads, type User } from "~db/schema";
import { highlightHtml, RANKED_COMMENTS, search, SEARCH_COUNT_LIMIT, SEARCH_PAGE_SIZE, snippetHtml } from "~/search/search.server";
import { deleteComment, editComment, openThread, postComment } from "~/discussion/discussion.server";
import { submitProposal } from "~/proposals/proposals.server";
import { loadContent, setVisibility as moveTo } from "~/moderation/visibility.server";
import { createProject, moveProjectPhase } from "~/projects/projects.server";
import { toCityDateTimeInput } from "~/i18n/city-time";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeAreas, makeProject, makeUser } from "./support/factories";
import { makeThread } from "./support/more-factories";
import { daysAgo, daysFromNow } from "./support/domain-errors";

let db: AppDb;
let resident: User;
let planner: User;
let project: Awaited<ReturnType<typeof makeProject>>;
let thread: Awaited<ReturnType<typeof openThread>>;
let comment: Awaited<ReturnType<typeof postComment>>;
let proposal: Awaited<ReturnType<typeof submitProposal>>;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
  resident = await makeUser(db, { createdAt: daysAgo(30) });
  planner = await makeUser(db, { role: "planner" });
  const body = "Tanggul sungai diperkuat sebelum musim hujan.";
  project = await makeProject(db, { title: "Penanganan banjir Kali Ciliwung", summary: "Normalisasi kali.", bodySource: body });
  thread = await openThread(db, resident, project.id, { title: "Trotoar rusak dekat pasar", body: "Jalan berlubang di depan toko." });
  comment = await postComment(db, resident, thread.id, { body: "Saya sering nongkrong di kafé ujung gang." });
  proposal = await submitProposal(db, resident, project.id, { title: "Tambah jalur sepeda", body: "Aman untuk anak sekolah." });
});

const kindsAndIds = async (query: string) => (await search(db, query)).hits.map((h) => `${h.kind}:${h.id}`);

describe("search finds published content", () => {
  it("finds a project by a word in its title or body, and links to it", async () => {
    const { hits } = await search(db, "banjir");
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: "project", id: project.id, link: `/projects/${project.slug}` });
    expect(hits[0]!.titleHtml.replace(/<\/?mark>/g, "")).toBe(project.title);
    expect(hits[0]!.snippetHtml + hits[0]!.titleHtml).toContain("<mark>banjir</mark>");
    expect(await kindsAndIds("tanggul")).toEqual([`project:${project.id}`]);
  });

  it("finds a thread, a comment and a proposal, each with its link", async () => {
    expect((await search(db, "trotoar")).hits).toEqual([
      expect.objectContaining({ kind: "thread", id: thread.id, link: `/projects/${project.slug}/threads/${thread.id}` }),
    ]);
    expect((await search(db, "nongkrong")).hits).toEqual([
      expect.objectContaining({
        kind: "comment",
        id: comment.id,
        link: `/projects/${project.slug}/threads/${thread.id}?comment=${comment.id}#comment-${comment.id}`,
      }),
    ]);
    expect((await search(db, "sepeda")).hits).toEqual([
      expect.objectContaining({ kind: "proposal", id: proposal.id, link: `/projects/${project.slug}/proposals/${proposal.id}` }),
    ]);
  });

  it("matches the start of a word: 'banj' finds 'banjir', 'trot' finds 'trotoar'", async () => {
    expect(await kindsAndIds("banj")).toEqual([`project:${project.id}`]);
    expect(await kindsAndIds("trot")).toEqual([`thread:${thread.id}`]);
    expect(await kindsAndIds("sep")).toEqual([`proposal:${proposal.id}`]);
  });

  it("ignores diacritics: 'kafe' finds 'kafé', and 'kafé' finds it too", async () => {
    expect(await kindsAndIds("kafe")).toEqual([`comment:${comment.id}`]);
    expect(await kindsAndIds("KAFÉ")).toEqual([`comment:${comment.id}`]);
  });

  it("finds what holds any of the words, and what holds more of them first", async () => {
    expect((await kindsAndIds("banjir sepeda")).sort()).toEqual([`project:${project.id}`, `proposal:${proposal.id}`].sort());
    const own = await makeProject(db);
    const one = await openThread(db, resident, own.id, { title: "Keluhan", body: "Zebrakros baru dicat." });
    const both = await openThread(db, resident, own.id, {
      title: "Keluhan",
      body: "Zebrakros dan lampulalin di depan sekolah sudah lama rusak dan perlu diganti.",
    });
    expect(await kindsAndIds("zebrakros lampulalin")).toEqual([`thread:${both.id}`, `thread:${one.id}`]);
  });

  it("ranks a match in the title above a match in the body", async () => {
    const own = await makeProject(db);
    const inBody = await openThread(db, resident, own.id, { title: "Keluhan warga RW 03", body: "Lampuhias di taman mati sejak lama, mohon segera diganti." });
    const inTitle = await openThread(db, resident, own.id, { title: "Lampuhias taman mati", body: "Sudah dua minggu gelap gulita di malam hari." });
    expect(await kindsAndIds("lampuhias")).toEqual([`thread:${inTitle.id}`, `thread:${inBody.id}`]);
  });

  it("filters by kind", async () => {
    const own = await makeProject(db, { title: "Saluran gorontalo diperbaiki" });
    const t = await openThread(db, resident, own.id, { title: "Gorontalo lagi", body: "isi" });
    expect((await search(db, "gorontalo", 1, "thread")).hits.map((h) => h.id)).toEqual([t.id]);
    expect((await search(db, "gorontalo", 1, "project")).hits.map((h) => h.id)).toEqual([own.id]);
    expect((await search(db, "gorontalo")).total).toBe(2);
  });
});

describe("drafts", () => {
  it("are never found, whether made by the factory or by createProject, until they are published", async () => {
    await makeProject(db, { phase: "draft", title: "Rahasiadraf pertama", bodySource: "Rahasiadraf" });
    const created = await createProject(
      db,
      planner,
      {
        title: "Rahasiadraf kedua",
        summary: "Rahasiadraf",
        body: "Rahasiadraf",
        category: "parks",
        areaId: String((await makeAreas(db)).kelurahan.id),
        budget: "0",
      },
      "Asia/Jakarta",
    );
    expect(await search(db, "rahasiadraf")).toMatchObject({ hits: [], total: 0 });
    await moveProjectPhase(db, planner, created.id, { to: "consultation", closesAt: toCityDateTimeInput(daysFromNow(7), "Asia/Jakarta") }, "Asia/Jakarta");
    expect(await kindsAndIds("rahasiadraf")).toEqual([`project:${created.id}`]);
  });

  it("never surface their threads either", async () => {
    const draft = await makeProject(db, { phase: "draft" });
    const thread = await makeThread(db, resident.id, draft.id);
    await withWriteTx(db, async (tx) => {
      await tx.update(threads).set({ title: "Bocoranrahasia" }).where(eq(threads.id, thread.id));
    });
    expect((await search(db, "bocoranrahasia")).hits).toEqual([]);
  });
});

describe("the index follows every change", () => {
  it("after an edit the old text is no longer found and the new is", async () => {
    const c = await postComment(db, resident, thread.id, { body: "Aspalnya mengelupas parah." });
    expect(await kindsAndIds("mengelupas")).toEqual([`comment:${c.id}`]);
    await editComment(db, resident, c.id, "Aspalnya retak memanjang.");
    expect(await kindsAndIds("mengelupas")).toEqual([]);
    expect(await kindsAndIds("memanjang")).toEqual([`comment:${c.id}`]);
  });

  it("after deleteComment the comment is not found", async () => {
    const c = await postComment(db, resident, thread.id, { body: "Gorong-gorong tersumbat sampah plastik." });
    expect(await kindsAndIds("tersumbat")).toEqual([`comment:${c.id}`]);
    await deleteComment(db, resident, c.id);
    expect(await search(db, "tersumbat")).toMatchObject({ hits: [], total: 0 });
  });

  it("a hidden comment is not found, and is found again once published", async () => {
    const c = await postComment(db, resident, thread.id, { body: "Pedagangkaki lima menutup trotoar." });
    // As moderation moves it, so the stored counts follow.
    const setVisibility = async (visibility: "hidden" | "published" | "rejected" | "pending") =>
      moveTo(db, (await loadContent(db, "comment", c.id))!, visibility);
    await setVisibility("hidden");
    expect(await search(db, "pedagangkaki")).toMatchObject({ hits: [], total: 0 });
    await setVisibility("published");
    expect(await kindsAndIds("pedagangkaki")).toEqual([`comment:${c.id}`]);
    await setVisibility("rejected");
    expect(await kindsAndIds("pedagangkaki")).toEqual([]);
    await setVisibility("pending");
    expect(await kindsAndIds("pedagangkaki")).toEqual([]);
  });

  it("hidden threads and proposals are not found either", async () => {
    const t = await openThread(db, resident, project.id, { title: "Parkirliar di bahu jalan", body: "Mobil diparkir di bahu jalan." });
    const p = await submitProposal(db, resident, project.id, { title: "Parkirliar dipindah", body: "Pindahkan parkir ke lahan kosong." });
    expect((await kindsAndIds("parkirliar")).sort()).toEqual([`proposal:${p.id}`, `thread:${t.id}`].sort());
    await moveTo(db, (await loadContent(db, "thread", t.id))!, "hidden");
    await moveTo(db, (await loadContent(db, "proposal", p.id))!, "hidden");
    expect(await kindsAndIds("parkirliar")).toEqual([]);
  });

  it("a project moved back to draft is no longer found", async () => {
    const p = await makeProject(db, { title: "Jembatanbambu desa" });
    expect(await kindsAndIds("jembatanbambu")).toEqual([`project:${p.id}`]);
    await withWriteTx(db, async (tx) => {
      await tx.update(projects).set({ phase: "draft" }).where(eq(projects.id, p.id));
    });
    expect(await kindsAndIds("jembatanbambu")).toEqual([]);
  });
});

describe("snippets", () => {
  /** Every element in a snippet's HTML, by tag name. */
  const elementsIn = (html: string) => {
    const names: string[] = [];
    const walk = (node: { nodeName: string; childNodes?: unknown[] }) => {
      if (!node.nodeName.startsWith("#")) names.push(node.nodeName);
      for (const child of node.childNodes ?? []) walk(child as typeof node);
    };
    walk(parseFragment(html) as unknown as { nodeName: string; childNodes: unknown[] });
    return names;
  };

  it("are HTML-escaped, with <mark> around the matched word as their only markup", async () => {
    const c = await postComment(db, resident, thread.id, { body: 'Awas <script>alert("x")</script> & <img src=x onerror=alert(1)> genanganair di sini.' });
    const [hit] = (await search(db, "genanganair")).hits;
    expect(hit?.id).toBe(c.id);
    expect(hit!.snippetHtml).toContain("&lt;script&gt;");
    expect(hit!.snippetHtml).toContain("&amp;");
    expect(hit!.snippetHtml).toContain("<mark>genanganair</mark>");
    expect(hit!.snippetHtml).not.toMatch(/<script|<img/i);
    expect(elementsIn(hit!.snippetHtml)).toEqual(["mark"]);
  });

  it("escape a thread title and mark the match in it", async () => {
    const t = await openThread(db, resident, project.id, { title: "<b>Tiangmiring</b> di RT 5", body: "Tiang listrik hampir roboh." });
    const [hit] = (await search(db, "tiangmiring")).hits;
    expect(hit).toMatchObject({ kind: "thread", id: t.id });
    expect(hit!.titleHtml).toBe("&lt;b&gt;<mark>Tiangmiring</mark>&lt;/b&gt; di RT 5");
    expect(elementsIn(hit!.titleHtml)).toEqual(["mark"]);
  });
});

describe("queries with FTS syntax", () => {
  it.each([
    '"',
    '""',
    '"banjir',
    'banjir"',
    "banjir AND",
    "AND",
    "OR OR",
    "NOT banjir",
    "banjir NOT trotoar",
    "NEAR(banjir kali)",
    "NEAR(banjir kali, 2)",
    "banjir*",
    "*",
    "**",
    "(",
    ")",
    "(banjir",
    "banjir)",
    "-banjir",
    "+banjir",
    "title:banjir",
    "{title body}: banjir",
    "^banjir",
    "banjir:",
    "'",
    "\\",
    "%",
    "_",
    "\u0000",
    "\u0001banjir\u0002",
    "ʰ",
    "¹²³",
    "🌊 banjir 🌧️",
    "banjir".repeat(300),
    "a b c d e f g h i j k l m n o p",
    "   ",
    "",
  ])("never throws for %j", async (query) => {
    await expect(search(db, query)).resolves.toBeDefined();
    await expect(search(db, query, 2, "comment")).resolves.toBeDefined();
  });

  it("reads operators and punctuation as plain words", async () => {
    expect(await kindsAndIds('"banjir"')).toEqual([`project:${project.id}`]);
    expect(await kindsAndIds("banjir*")).toEqual([`project:${project.id}`]);
    expect(await kindsAndIds("(banjir)")).toEqual([`project:${project.id}`]);
    expect(await kindsAndIds("NEAR(banjir")).toEqual([`project:${project.id}`]);
    expect(await kindsAndIds('"')).toEqual([]);
    expect((await search(db, "")).total).toBe(0);
  });
});

describe("pagination", () => {
  it("pages 20 hits at a time without repeating or losing any", async () => {
    const own = await makeProject(db);
    const t = await openThread(db, resident, own.id, { title: "Utas halaman", body: "Utas untuk menguji halaman." });
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) ids.push((await postComment(db, resident, t.id, { body: `Halamanuji komentar ${i}` })).id);
    expect(SEARCH_PAGE_SIZE).toBe(20);
    const pages = [await search(db, "halamanuji", 1), await search(db, "halamanuji", 2), await search(db, "halamanuji", 3)];
    expect(pages.map((p) => [p.total, p.pageCount, p.hits.length])).toEqual([
      [45, 3, 20],
      [45, 3, 20],
      [45, 3, 5],
    ]);
    const seen = pages.flatMap((p) => p.hits.map((h) => h.id));
    expect(new Set(seen).size).toBe(45);
    expect([...seen].sort((a, b) => a - b)).toEqual(ids);
    expect((await search(db, "halamanuji", 4)).hits).toEqual([]);
  });
});

describe("a word found in very many comments", () => {
  it("ranks every matching project, thread and proposal but only the newest comments, and says there are more", async () => {
    const own = await makeProject(db, { title: "Jendelawaktu taman kota" });
    const t = await openThread(db, resident, own.id, { title: "Utas jendela", body: "Utas untuk menguji jendela peringkat." });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await postComment(db, resident, t.id, { body: `Jendelawaktu komentar ${i}` })).id);
    const narrowed = await search(db, "jendelawaktu", 1, null, { rankedComments: 4 });
    expect(narrowed.more).toBe(true);
    expect(narrowed.total).toBe(5);
    expect(narrowed.hits.map((h) => `${h.kind}:${h.id}`).sort()).toEqual([`project:${own.id}`, ...ids.slice(2).map((id) => `comment:${id}`)].sort());
    // Asked for comments alone, the same window; asked for projects alone, nothing is cut.
    expect(await search(db, "jendelawaktu", 1, "comment", { rankedComments: 4 })).toMatchObject({ total: 4, more: true });
    expect(await search(db, "jendelawaktu", 1, "project", { rankedComments: 4 })).toMatchObject({ total: 1, more: false });
    expect(await search(db, "jendelawaktu")).toMatchObject({ total: 7, more: false });
    expect(RANKED_COMMENTS).toBe(5000);
  });
});

describe("snippet and highlight", () => {
  it("cut about sixteen words around the first match, with … where text was left out", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `kata${i}`);
    words[20] = "Genangan";
    const html = snippetHtml(words.join(" "), ["genang"]);
    expect(html.startsWith("…kata17 kata18 kata19 <mark>Genangan</mark> kata21")).toBe(true);
    expect(html.endsWith("kata32…")).toBe(true);
    expect(snippetHtml("Genangan di depan pasar.", ["genangan"])).toBe("<mark>Genangan</mark> di depan pasar.");
    // No match in the body (the title matched): the start of the body.
    expect(snippetHtml("Tanggul sungai diperkuat.", ["banjir"])).toBe("Tanggul sungai diperkuat.");
  });

  it("match the way the index does: by the start of a word, without case or accents", async () => {
    expect(highlightHtml("Kafé di ujung jalan", ["kafe"])).toBe("<mark>Kafé</mark> di ujung jalan");
    expect(highlightHtml("Jalanan dan trotoar", ["JALAN", "trot"])).toBe("<mark>Jalanan</mark> dan <mark>trotoar</mark>");
    expect(highlightHtml("kebanjiran", ["banjir"])).toBe("kebanjiran");
    expect(highlightHtml('<i>"banjir"</i> & co', ["banjir"])).toBe("&lt;i&gt;&quot;<mark>banjir</mark>&quot;&lt;/i&gt; &amp; co");
  });
});

describe("the total", () => {
  it("stops counting past the limit, says there are more, and pages up to the limit", async () => {
    const own = await makeProject(db);
    const t = await openThread(db, resident, own.id, { title: "Utas hitungan", body: "Utas untuk menguji batas hitungan." });
    for (let i = 0; i < 12; i++) await postComment(db, resident, t.id, { body: `Batashitung komentar ${i}` });
    expect(await search(db, "batashitung", 1, "comment", { countLimit: 12 })).toMatchObject({ total: 12, more: false, pageCount: 1 });
    const capped = await search(db, "batashitung", 1, "comment", { countLimit: 10 });
    expect(capped).toMatchObject({ total: 10, more: true, pageCount: 1 });
    // Only the count stops; the page still holds every hit it has room for.
    expect(capped.hits).toHaveLength(12);
    expect(SEARCH_COUNT_LIMIT).toBe(1000);
    expect(await search(db, "batashitung", 1, "comment")).toMatchObject({ total: 12, more: false });
  });

  it("counts only what can be seen, so every page is full up to the last and nothing is counted twice", async () => {
    const own = await makeProject(db);
    const open = await openThread(db, resident, own.id, { title: "Utas terbuka", body: "Utas yang tetap terbuka." });
    const hiddenThread = await openThread(db, resident, own.id, { title: "Utas disembunyikan", body: "Utas yang nanti disembunyikan." });
    const hiddenProposal = await submitProposal(db, resident, own.id, { title: "Usulan disembunyikan", body: "Usulan yang nanti disembunyikan." });
    const proposalThread = (await db.select().from(threads).where(eq(threads.proposalId, hiddenProposal.id)).limit(1))[0]!;
    const drafted = await makeProject(db);
    const draftedThread = await openThread(db, resident, drafted.id, { title: "Utas proyek ditarik", body: "Utas di proyek yang kembali menjadi draf." });
    const post = async (threadId: number, n: number) => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push((await postComment(db, resident, threadId, { body: `Hitungtampak komentar ${i} di utas ${threadId}` })).id);
      return ids;
    };
    const visible = await post(open.id, 23);
    await post(hiddenThread.id, 15);
    await post(proposalThread.id, 7);
    await post(draftedThread.id, 9);
    // Each matching comment is itself published; only its container goes out of view.
    await moveTo(db, (await loadContent(db, "thread", hiddenThread.id))!, "hidden");
    await moveTo(db, (await loadContent(db, "proposal", hiddenProposal.id))!, "hidden");
    await withWriteTx(db, async (tx) => {
      await tx.update(projects).set({ phase: "draft" }).where(eq(projects.id, drafted.id));
    });

    for (const kind of [null, "comment"] as const) {
      const first = await search(db, "hitungtampak", 1, kind);
      expect([first.total, first.pageCount]).toEqual([23, 2]);
      const last = await search(db, "hitungtampak", 2, kind);
      expect(last.hits).toHaveLength(3);
      const seen = [...first.hits, ...last.hits].map((h) => h.id);
      expect(seen.sort((a, b) => a - b)).toEqual(visible);
      expect((await search(db, "hitungtampak", 3, kind)).hits).toEqual([]);
    }
    expect(await search(db, "hitungtampak", 1, "thread")).toMatchObject({ total: 0, hits: [] });
  });

  it("counts a thread, proposal or project hit only while its project is public", async () => {
    const own = await makeProject(db, { title: "Hitungproyek taman" });
    const t = await openThread(db, resident, own.id, { title: "Hitungproyek utas", body: "Utas tentang taman." });
    const p = await submitProposal(db, resident, own.id, { title: "Hitungproyek usulan", body: "Usulan tentang taman." });
    expect(await search(db, "hitungproyek")).toMatchObject({ total: 3 });
    expect((await kindsAndIds("hitungproyek")).sort()).toEqual([`project:${own.id}`, `proposal:${p.id}`, `thread:${t.id}`].sort());
    await withWriteTx(db, async (tx) => {
      await tx.update(projects).set({ phase: "draft" }).where(eq(projects.id, own.id));
    });
    expect(await search(db, "hitungproyek")).toMatchObject({ total: 0, hits: [], pageCount: 1 });
  });
});
