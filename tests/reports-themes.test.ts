import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { projects, reportThemeRuns, type Project, type User } from "~db/schema";
import { seedDemo } from "~db/seed";
import { computeThemes, loadThemes, refreshThemes, themeStatus } from "~/reports/themes.server";
import { themesOf, type ThemeDoc } from "~/reports/theme-model";
import { STOPWORDS } from "~/reports/stopwords";
import { contentTokens, excerpt, plainText, stem, termsOf } from "~/reports/text";
import { cookMarkdown } from "~/content/markdown.server";
import { loadContent, setVisibility } from "~/moderation/visibility.server";
import { freshDatabase, sqliteClient } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { makeComment, makeThread } from "./support/more-factories";

/** Three topics a project's residents keep raising, among generic replies the whole city writes. */
const FLOODING = [
  "Setiap hujan deras gang kami banjir setinggi lutut, airnya baru surut besok pagi.",
  "Genangan di depan sekolah membuat anak-anak harus digendong. Banjir ini sudah bertahun-tahun.",
  "Rumah kami kebanjiran tiga kali tahun ini. Tolong saluran diperdalam supaya genangan cepat surut.",
  "Genangan air di pertigaan selalu ada setiap hujan, jalan jadi licin dan berbahaya.",
  "Banjir kiriman dari hulu masuk ke rumah warga, perlu pintu air.",
  "Air menggenang berhari-hari, nyamuk banyak. Genangan harus diatasi.",
  "Kalau banjir datang malam hari, lansia susah mengungsi.",
];
const PARKING = [
  "Parkir motor di trotoar membuat pejalan kaki turun ke jalan.",
  "Lahan parkir motor untuk pasar kurang, akhirnya parkir sembarangan.",
  "Tarif parkir liar mahal dan tukang parkir tidak resmi.",
  "Tolong sediakan kantong parkir motor dekat stasiun.",
  "Parkir motor di bahu jalan bikin macet setiap sore.",
];
const TREES = [
  "Pohon mahoni tua di sepanjang jalan jangan ditebang, itu peneduh.",
  "Kalau pohon ditebang, tanam pohon pengganti yang lebih banyak.",
  "Akar pohon mahoni merusak trotoar, perlu dipangkas bukan ditebang.",
  "Pohon tua memberi keteduhan bagi pedagang kaki lima.",
];
const GENERIC = [
  "Terima kasih atas informasinya.",
  "Setuju, semoga cepat dikerjakan.",
  "Mohon dijelaskan lebih rinci jadwalnya.",
  "Semoga tidak berhenti jadi wacana saja.",
  "Saya dukung rencana ini.",
  "Yang penting prosesnya terbuka dan bisa dipantau warga.",
  "Apakah ada sosialisasi di kelurahan?",
  "Jalan di depan rumah saya juga rusak, mohon diperhatikan.",
  "Bagaimana dengan anggarannya, apakah sudah ada?",
  "Kapan mulai dikerjakan?",
];
const BACKGROUND = [
  ...GENERIC,
  ...GENERIC.map((g) => `${g} Terima kasih.`),
  "Lampu jalan di gang kami mati sudah sebulan.",
  "Taman bermain anak perlu diperbaiki, ayunannya rusak.",
  "Halte bus perlu atap supaya tidak kehujanan.",
  "Sampah menumpuk di pinggir sungai, perlu bank sampah.",
  "Trotoar rusak dan berlubang di depan pasar.",
  "Perlu jalur sepeda yang aman ke sekolah.",
  "Angkot sering ngetem sembarangan di depan pasar.",
  "Air PDAM sering mati di kampung kami.",
  "Jembatan kecil di kampung kami sudah retak.",
  "Puskesmas perlu ruang tunggu yang lebih luas.",
];

describe("text to terms", () => {
  it("drops Indonesian and English stop words, numbers and Markdown or URL noise", () => {
    const tokens = contentTokens(
      "Yang **penting** dan [lihat ini](https://contoh.id/a?b=1) untuk the flooding of the road, Rp4,85 miliar di https://x.id",
    ).filter(Boolean);
    expect(tokens).toEqual(["lihat", "flooding", "road", "miliar"]);
    for (const word of ["yang", "dan", "di", "ke", "dari", "ini", "itu", "untuk", "dengan", "tidak", "the", "and", "of", "to", "is"]) {
      expect(STOPWORDS.has(word), word).toBe(true);
    }
  });

  it("groups the forms of a word and keeps how it was written", () => {
    expect(["genangan", "tergenang", "menggenang"].map(stem)).toEqual(["genang", "genang", "genang"]);
    expect(["lebar", "pelebaran", "dilebarkan"].map(stem)).toEqual(["lebar", "lebar", "lebar"]);
    expect(["floods", "flooding"].map(stem)).toEqual(["flood", "flood"]);
    expect(stem("jalan")).toBe("jalan");
    const terms = termsOf("Sumur resapan di halaman, airnya tertahan.");
    expect(terms.get("sumur resap")).toBe("sumur resapan");
    expect(terms.has("air")).toBe(true);
    // A comma ends a phrase.
    expect(termsOf("miliar, rinciannya").has("miliar rinci")).toBe(false);
  });

  it("trims a quote to about 240 characters at a word boundary", () => {
    const long = "kata ".repeat(100).trim();
    const cut = excerpt(long);
    expect(cut.length).toBeLessThanOrEqual(240);
    expect(cut.endsWith("kata…")).toBe(true);
    expect(excerpt("pendek saja")).toBe("pendek saja");
    expect(plainText("## Judul\n\n- **tebal** dan [tautan](http://x)")).toBe("Judul tebal dan tautan");
  });
});

describe("themes of a known corpus", () => {
  const docs: ThemeDoc[] = [...FLOODING, ...PARKING, ...TREES, ...GENERIC.slice(0, 4)].map((text, i) => ({
    key: `c${i + 1}`,
    stance: i % 3 === 0 ? "support" : i % 3 === 1 ? "oppose" : null,
    text,
  }));
  const themes = themesOf(
    docs,
    BACKGROUND.map((text) => ({ text })),
  );

  it("recovers the topics the residents raised, labelled readably, and nothing generic", () => {
    const labels = themes.map((t) => t.label.toLowerCase());
    expect(
      labels.some((l) => /banjir|genangan/.test(l)),
      labels.join(", "),
    ).toBe(true);
    expect(
      labels.some((l) => /parkir/.test(l)),
      labels.join(", "),
    ).toBe(true);
    expect(
      labels.some((l) => /pohon|mahoni/.test(l)),
      labels.join(", "),
    ).toBe(true);
    for (const theme of themes) {
      expect(theme.label.charAt(0)).toBe(theme.label.charAt(0).toUpperCase());
      for (const term of theme.terms) for (const word of term.split(" ")) expect(STOPWORDS.has(word), word).toBe(false);
    }
    expect(labels.some((l) => /terima|semoga|setuju/.test(l))).toBe(false);
  });

  it("counts the comments carrying each theme with their stance split, and quotes up to three of them", () => {
    const parking = themes.find((t) => /parkir/i.test(t.label))!;
    expect(parking.commentCount).toBe(PARKING.length);
    const split = parking.stance;
    expect(split.support + split.oppose + split.neutral + split.none).toBe(parking.commentCount);
    expect(parking.quotes.length).toBeGreaterThan(0);
    expect(parking.quotes.length).toBeLessThanOrEqual(3);
    for (const q of parking.quotes) expect(q.excerpt.toLowerCase()).toContain("parkir");
  });
});

describe("stored themes", () => {
  let db: AppDb;
  let project: Project;
  let author: User;
  let thread: { id: number; projectId: number };
  const ids: number[] = [];

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    author = await makeUser(db);
    project = await makeProject(db);
    thread = await makeThread(db, author.id, project.id);
    const residents = [author, await makeUser(db), await makeUser(db)];
    for (const [i, text] of [...FLOODING, ...PARKING, ...TREES].entries()) {
      ids.push(
        (await makeComment(db, thread, residents[i % 3]!.id, { bodySource: text, bodyHtml: cookMarkdown(text), stance: i % 2 ? "support" : "oppose" })).id,
      );
    }
    const elsewhere = await makeProject(db);
    const otherThread = await makeThread(db, author.id, elsewhere.id);
    for (const text of BACKGROUND) await makeComment(db, otherThread, residents[1]!.id, { bodySource: text, bodyHtml: cookMarkdown(text) });
    // A planner's answer is not feedback: its words never make a theme.
    const planner = await makeUser(db, { role: "planner" });
    for (let i = 0; i < 4; i++)
      await makeComment(db, thread, planner.id, { bodySource: "Terima kasih, masukan tentang drainase kami catat untuk kajian teknis." });
  });

  it("are computed on first need, stored with when and over how many contributions", async () => {
    expect((await themeStatus(db, project.id)).status).toBe("none");
    expect(await refreshThemes(db, project.id)).toBe("computed");
    const status = await themeStatus(db, project.id);
    expect(status).toMatchObject({ status: "done", corpus: FLOODING.length + PARKING.length + TREES.length + 1, stale: false, newSince: 0 });
    expect(status.computedAt).not.toBeNull();
    const themes = await loadThemes(db, project.id);
    expect(themes.length).toBeGreaterThanOrEqual(3);
    expect(themes.map((t) => t.label.toLowerCase()).join(" ")).not.toMatch(/drainase|kajian|teknis/);
    const parking = themes.find((t) => /parkir/i.test(t.label))!;
    expect(parking.comments).toBe(PARKING.length);
    expect(parking.quotes[0]!.path).toMatch(new RegExp(`^/projects/${project.slug}/threads/${thread.id}\\?comment=\\d+#comment-\\d+$`));
  });

  it("never quote a comment hidden since, and say when newer comments make them stale", async () => {
    // Its own themes, whether or not the test above ran (each test passes alone).
    expect(await refreshThemes(db, project.id)).toBe("computed");
    const themes = await loadThemes(db, project.id);
    const quoted = themes.flatMap((t) => t.quotes).find((q) => q.kind === "comment")!;
    // Hidden as a moderator hides it, so the stored counts follow.
    await setVisibility(db, (await loadContent(db, "comment", quoted.id))!, "hidden");
    expect((await loadThemes(db, project.id)).flatMap((t) => t.quotes).some((q) => q.kind === "comment" && q.id === quoted.id)).toBe(false);
    expect((await themeStatus(db, project.id)).stale).toBe(true);

    await makeComment(db, thread, author.id, { bodySource: "Banjir lagi tadi malam." });
    await new Promise((r) => setTimeout(r, 5));
    expect(await themeStatus(db, project.id)).toMatchObject({ stale: true, newSince: 1 });
    expect(await refreshThemes(db, project.id)).toBe("computed");
    expect(await themeStatus(db, project.id)).toMatchObject({ stale: false, newSince: 0 });
  });

  it("never runs two computations of one project at once", async () => {
    await withWriteTx(db, async (tx) => {
      await tx.update(reportThemeRuns).set({ status: "computing", startedAt: new Date() }).where(eq(reportThemeRuns.projectId, project.id));
    });
    expect(await refreshThemes(db, project.id)).toBe("running");
    // A run that died with its process long ago does not block a new one.
    await withWriteTx(db, async (tx) => {
      await tx
        .update(reportThemeRuns)
        .set({ startedAt: new Date(Date.now() - 3_600_000) })
        .where(eq(reportThemeRuns.projectId, project.id));
    });
    expect((await themeStatus(db, project.id)).status).toBe("failed");
    expect(await refreshThemes(db, project.id)).toBe("computed");
  });

  it("on a large project, chooses terms on a sample and still counts every contribution exactly", async () => {
    const exact = await computeThemes(db, db, project.id);
    const sampled = await computeThemes(db, db, project.id, () => {}, { sampleSize: 20 });
    expect(sampled.corpus).toBe(exact.corpus);
    expect(sampled.themes.length).toBeGreaterThan(0);
    // Whatever terms the sample picked, a theme's count is over every contribution carrying them
    // (in its text or its thread's title), not over the sample.
    const docs = sqliteClient(db)
      .prepare(
        `select c.body_source as text, t.title as title from comments c join threads t on t.id = c.thread_id join users u on u.id = c.author_id
         where c.project_id = ? and c.visibility = 'published' and u.role = 'resident'
         union all select t.title || char(10) || char(10) || t.body_source, null from threads t join users u on u.id = t.author_id
         where t.project_id = ? and t.visibility = 'published' and t.proposal_id is null and u.role = 'resident'`,
      )
      .all(project.id, project.id) as { text: string; title: string | null }[];
    for (const theme of sampled.themes) {
      const carrying = docs.filter((d) => theme.stems.some((stem) => termsOf(d.text).has(stem) || (d.title !== null && termsOf(d.title).has(stem)))).length;
      expect(theme.commentCount, theme.label).toBe(carrying);
    }
    expect(sampled.lastCommentId).toBe(exact.lastCommentId);
  });

  it("computes in the background above the inline limit, with its progress stored", async () => {
    expect(await refreshThemes(db, project.id, { inlineLimit: 1 })).toBe("started");
    expect((await themeStatus(db, project.id)).status).toBe("computing");
    for (let i = 0; i < 100 && (await themeStatus(db, project.id)).status === "computing"; i++) await new Promise((r) => setTimeout(r, 20));
    const status = await themeStatus(db, project.id);
    expect(status.status).toBe("done");
    expect(status.processed).toBe(status.total);
  });
});

describe("themes of the demo city", () => {
  it("are meaningful for the drainage consultation: flooding, channels, cost, access — not function words", async () => {
    const { db, path } = await freshDatabase();
    await seedDemo(db, new Date("2026-05-01T03:00:00Z"));
    const project = (await db.select().from(projects).where(eq(projects.slug, "normalisasi-saluran-drainase-jalan-cibeureum")).limit(1))[0]!;
    const reader = db;
    const { themes } = await computeThemes(db, reader, project.id);
    const labels = themes.map((t) => t.label.toLowerCase());
    const words = themes
      .flatMap((t) => [t.label, ...t.terms])
      .join(" ")
      .toLowerCase();
    expect(labels.length).toBeGreaterThanOrEqual(5);
    expect(words).toMatch(/genangan|banjir/);
    expect(words).toMatch(/saluran/);
    expect(words).toMatch(/biaya|rincian|anggaran/);
    expect(words).toMatch(/warung|akses|parkir/);
    for (const label of labels) for (const word of label.split(" ")) expect(STOPWORDS.has(word), label).toBe(false);
    void path;
  });
});
