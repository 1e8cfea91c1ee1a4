import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Readable } from "node:stream";
import type { AppDb } from "~db/engine";
import { users } from "~db/schema";
import { translator } from "~/i18n/i18n.server";
import { csvCell } from "~/reports/csv.server";
import {
  CITY_COMMENT_COLUMNS,
  CITY_PROJECT_COLUMNS,
  COMMENT_COLUMNS,
  PROPOSAL_COLUMNS,
  TALLY_COLUMNS,
  exportCityCommentsCsv,
  exportCityProjectsCsv,
  exportCommentsCsv,
  exportProposalsCsv,
  exportTalliesCsv,
  type ExportContext,
} from "~/reports/exports.server";
import { reportFigures } from "~/reports/figures.server";
import { NO_FILTERS, type ReportFilters } from "~/reports/filters.server";
import { parseReportFilters } from "~/http/report-filters.server";
import { pseudonymOf } from "~/reports/pseudonyms.server";
import { reportSummary } from "~/reports/summary.server";
import { loadThemes, themeStatus } from "~/reports/themes.server";
import { exportReportXlsx, workbookTables } from "~/reports/xlsx.server";
import { cookMarkdown } from "~/content/markdown.server";
import { freshDatabase, sqliteClient } from "./support/db";
import { makeComment, makeThread } from "./support/more-factories";
import { makeProject, makeUser } from "./support/factories";
import { D4, VISIBLE_COMMENTS, makeReportFixture, type ReportFixture } from "./support/report-fixture";

const TZ = "Asia/Jakarta";
const SECRET = "rahasia-ekspor-yang-cukup-panjang";

let db: AppDb;
let fx: ReportFixture;
let ctx: ExportContext;

/** Comments whose text a spreadsheet would run, and text that needs quoting. */
const TRICKY = {
  formula: '=HYPERLINK("http://jahat.example","klik")',
  plus: "+62 812 0000",
  minus: "- saluran mampet\n- sampah menumpuk",
  at: "@SUM(1+1)",
  tab: "\tdi depan",
  quoted: 'Kata "banjir", katanya; lalu\r\nbaris baru, dengan koma',
};

beforeAll(async () => {
  ({ db } = await freshDatabase());
  fx = await makeReportFixture(db);
  ctx = { origin: "https://rembug.example", secret: SECRET };
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

const rowsOf = (csv: string) => parse(csv, { bom: true, relax_column_count: false }) as string[][];

async function filtersOf(query: string): Promise<ReportFilters> {
  const parsed = await parseReportFilters(db, new URL(`http://x/r?${query}`), TZ);
  if (!parsed.ok) throw new Error("bad filters");
  return parsed.filters;
}

describe("csv cells", () => {
  it("neutralises text a spreadsheet would read as a formula, and leaves the rest alone", () => {
    expect(["=1+1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "", null, 12, true].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@x",
      "'\tx",
      "'\rx",
      "a=b",
      "",
      "",
      12,
      "true",
    ]);
  });
});

describe("comments.csv", () => {
  it("parses back to one row per published comment, UTF-8 with BOM, CRLF, and links to each comment", async () => {
    const csv = await text(exportCommentsCsv(db, fx.project, NO_FILTERS, ctx).stream);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("\r\n");
    const [header, ...rows] = rowsOf(csv);
    expect(header).toEqual([...COMMENT_COLUMNS]);
    expect(rows.map((r) => Number(r[0]))).toEqual(VISIBLE_COMMENTS.map((k) => fx.comments[k]!.id));
    const c1 = rows[0]!;
    expect(c1).toEqual([
      String(fx.comments.c1!.id),
      String(fx.threads.t1.id),
      "Genangan di gang",
      "",
      fx.comments.c1!.createdAt.toISOString(),
      pseudonymOf(SECRET, fx.project.id, fx.r[1]!.id),
      "support",
      "false",
      "Komentar c1.",
      `https://rembug.example/projects/${fx.project.slug}/threads/${fx.threads.t1.id}?comment=${fx.comments.c1!.id}#comment-${fx.comments.c1!.id}`,
    ]);
    // A comment in a proposal's discussion links to the proposal page.
    const c13 = rows.find((r) => Number(r[0]) === fx.comments.c13!.id)!;
    expect(c13[9]).toBe(
      `https://rembug.example/projects/${fx.project.slug}/proposals/${fx.proposals.pr1.id}?comment=${fx.comments.c13!.id}#comment-${fx.comments.c13!.id}`,
    );
    // The planner's answer is marked official, under a pseudonym like everyone else.
    const c8 = rows.find((r) => Number(r[0]) === fx.comments.c8!.id)!;
    expect(c8[7]).toBe("true");
    expect(c8[5]).toMatch(/^Warga-[0-9A-F]{8}$/);
  });

  it("never holds an e-mail, a name, a held, hidden, rejected or deleted comment", async () => {
    const csv = await text(exportCommentsCsv(db, fx.project, NO_FILTERS, ctx).stream);
    expect(csv).not.toMatch(/@contoh\.id/);
    expect(csv).not.toMatch(/Rahasia/);
    for (const key of ["c9", "c10", "c11", "c12", "c17"]) {
      expect(
        rowsOf(csv).some((r) => Number(r[0]) === fx.comments[key]!.id),
        key,
      ).toBe(false);
    }
  });

  it("gives one resident one pseudonym throughout a project, and another in another project", async () => {
    const csv = await text(exportCommentsCsv(db, fx.project, NO_FILTERS, ctx).stream);
    const rows = rowsOf(csv).slice(1);
    const byComment = (key: string) => rows.find((r) => Number(r[0]) === fx.comments[key]!.id)![5];
    expect(byComment("c1")).toBe(byComment("c14"));
    expect(byComment("c2")).toBe(byComment("c15"));
    expect(byComment("c1")).not.toBe(byComment("c2"));

    const thread = await makeThread(db, fx.r[1]!.id, fx.other.id);
    await makeComment(db, thread, fx.r[1]!.id, { bodySource: "Di proyek lain.", createdAt: D4 });
    const other = rowsOf(await text(exportCommentsCsv(db, fx.other, NO_FILTERS, ctx).stream)).slice(1);
    expect(other).toHaveLength(1);
    expect(other[0]![5]).not.toBe(byComment("c1"));
  });

  it("applies a date range in the city's days, and refuses a kecamatan (each row would place its named author)", async () => {
    const byKecamatan = await filtersOf(`kecamatan=${fx.areas.alpha.code}`);
    expect(() => exportCommentsCsv(db, fx.project, byKecamatan, ctx)).toThrow("reports.filters.listByKecamatan");
    const day = rowsOf(await text(exportCommentsCsv(db, fx.project, await filtersOf("from=2026-03-04&to=2026-03-04"), ctx).stream)).slice(1);
    expect(day.map((r) => Number(r[0]))).toEqual(["c5", "c6", "c7", "c8"].map((k) => fx.comments[k]!.id));
  });

  it("neutralises formula cells and keeps quotes, commas and line breaks intact", async () => {
    const project = await makeProject(db, { areaId: fx.areas.a1.id });
    const author = await makeUser(db, { areaId: fx.areas.a1.id });
    const thread = await makeThread(db, author.id, project.id);
    for (const body of Object.values(TRICKY)) await makeComment(db, thread, author.id, { bodySource: body, bodyHtml: cookMarkdown(body) });
    const rows = rowsOf(await text(exportCommentsCsv(db, project, NO_FILTERS, ctx).stream)).slice(1);
    expect(rows.map((r) => r[8])).toEqual([`'${TRICKY.formula}`, `'${TRICKY.plus}`, `'${TRICKY.minus}`, `'${TRICKY.at}`, `'${TRICKY.tab}`, TRICKY.quoted]);
    expect(rows.every((r) => r.length === COMMENT_COLUMNS.length)).toBe(true);
  });

  it("streams from one snapshot of its own: the database stays free to write meanwhile", async () => {
    const project = await makeProject(db, { areaId: fx.areas.a1.id });
    const author = await makeUser(db, { areaId: fx.areas.a1.id });
    const thread = await makeThread(db, author.id, project.id);
    const sqlite = sqliteClient(db);
    const insert = sqlite.prepare(
      "insert into comments (thread_id, project_id, author_id, sort_key, body_source, body_html) values (?, ?, ?, '', ?, '<p>x</p>')",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(thread.id, project.id, author.id, `Komentar panjang nomor ${i} tentang saluran dan genangan di gang.`);
    })();
    const stream = exportCommentsCsv(db, project, NO_FILTERS, ctx).stream;
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // Mid-download: the database writes and reads as usual.
    await expect(makeComment(db, thread, author.id, { bodySource: "Ditulis saat ekspor berjalan." })).resolves.toMatchObject({
      bodySource: "Ditulis saat ekspor berjalan.",
    });
    expect((await db.select({ id: users.id }).from(users)).length).toBeGreaterThan(0);
    let rest = Buffer.from(first.value as Buffer).toString("utf8");
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest += Buffer.from(next.value as Buffer).toString("utf8");
    // The export read one consistent snapshot: the 3000 rows it started with, not the one written meanwhile.
    expect(rowsOf(rest)).toHaveLength(3001);
  });

  it("the city-wide file holds every project's published comments with the project's slug", async () => {
    const rows = rowsOf(await text(exportCityCommentsCsv(db, NO_FILTERS, ctx).stream));
    expect(rows[0]).toEqual([...CITY_COMMENT_COLUMNS]);
    const ours = rows.slice(1).filter((r) => r[0] === fx.project.slug);
    expect(ours.map((r) => Number(r[1]))).toEqual(VISIBLE_COMMENTS.map((k) => fx.comments[k]!.id));
    expect(ours[0]![6]).toBe(pseudonymOf(SECRET, fx.project.id, fx.r[1]!.id));
  });
});

describe("proposals.csv and tallies.csv", () => {
  it("lists published proposals with pseudonymous authors, supports, status and answer", async () => {
    const rows = rowsOf(await text(exportProposalsCsv(db, fx.project, NO_FILTERS, ctx).stream));
    expect(rows[0]).toEqual([...PROPOSAL_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      [
        String(fx.proposals.pr1.id),
        "Sumur resapan",
        pseudonymOf(SECRET, fx.project.id, fx.r[6]!.id),
        "3",
        "open",
        "",
        "",
        fx.proposals.pr1.createdAt.toISOString(),
        `https://rembug.example/projects/${fx.project.slug}/proposals/${fx.proposals.pr1.id}`,
      ],
    ]);
  });

  it("gives ballots by kecamatan and choice as aggregates, withheld as on the page, no ballot of anyone", async () => {
    const figures = await reportFigures(db, fx.project, NO_FILTERS, { areaLabel: "A1", timeZone: TZ });
    const rows = rowsOf(await text(exportTalliesCsv(fx.project, figures, "Tanpa wilayah", "Jumlah").stream));
    expect(rows).toEqual([
      [...TALLY_COLUMNS],
      // "0" beside a "< 5" would say how the kecamatan voted; Alpha's 5 would give Beta's and
      // no area's ballots back from the public 7 (docs/decisions/007).
      [fx.areas.alpha.code, "Alpha", "< 5", "< 5", "< 5", "x"],
      [fx.areas.beta.code, "Beta", "< 5", "< 5", "< 5", "< 5"],
      [fx.areas.gamma.code, "Gamma", "< 5", "< 5", "< 5", "< 5"],
      ["", "Tanpa wilayah", "< 5", "< 5", "< 5", "< 5"],
      ["", "Jumlah", "5", "1", "1", "7"],
    ]);
  });

  it("the city's projects.csv has every project's headline figures", async () => {
    const rows = rowsOf(await text(exportCityProjectsCsv(db, ctx).stream));
    expect(rows[0]).toEqual([...CITY_PROJECT_COLUMNS]);
    const ours = rows.find((r) => r[0] === fx.project.slug)!;
    expect(ours.slice(8, 17)).toEqual(["10", "1", "12", "1", "3", "2", "5", "1", "1"]);
    expect(ours.slice(4, 6)).toEqual(["Alpha", "A1"]);
  });
});

describe("summary.json", () => {
  it("holds every figure, the themes' state and absolute links, and no personal data", async () => {
    const figures = await reportFigures(db, fx.project, NO_FILTERS, { areaLabel: "A1", timeZone: TZ });
    const summary = reportSummary(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), NO_FILTERS, "https://rembug.example");
    expect(summary.format).toBe("rembug.report.summary");
    expect(summary.schemaVersion).toBe(2);
    expect(summary.headline.comments).toBe(12);
    expect(summary.topProposals[0]!.link).toBe(`https://rembug.example/projects/${fx.project.slug}/proposals/${fx.proposals.pr1.id}`);
    expect(summary.downloads.comments).toBe(`https://rembug.example/staff/projects/${fx.project.slug}/report/comments.csv`);
    const json = JSON.stringify(summary);
    expect(json).not.toMatch(/@contoh\.id|Rahasia/);
  });
});

describe("report.xlsx", () => {
  it("opens with the expected sheets and rows, comments included, text never a formula", async () => {
    const t = translator("id");
    const figures = await reportFigures(db, fx.project, NO_FILTERS, { areaLabel: "A1, Alpha", timeZone: TZ });
    const tables = workbookTables(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), t);
    const columns = COMMENT_COLUMNS.map((c) => t(`reports.columns.${c}`));
    const file = await bytes(exportReportXlsx(db, fx.project, NO_FILTERS, tables, ctx, { name: "Komentar", columns }).stream);
    expect(file.subarray(0, 2).toString()).toBe("PK");

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Ringkasan",
      "Kecamatan",
      "Kelurahan",
      "Suara per kecamatan",
      "Aktivitas per hari",
      "Sikap",
      "Usulan teratas",
      "Tema",
      "Moderasi",
      "Komentar",
    ]);
    const values = (name: string) => {
      const rows: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    expect(values("Kecamatan")).toEqual([
      ["Kode", "Kecamatan", "Penduduk", "Peserta", "Per 10.000", "Catatan"],
      // As on the page: Alpha's 7 would give Beta's and no area's participants back (docs/decisions/007).
      [fx.areas.alpha.code, "Alpha", 20000, "x", undefined, "jauh di atas"],
      [fx.areas.beta.code, "Beta", 30000, "< 5"],
      [fx.areas.gamma.code, "Gamma", 40000, "< 5"],
    ]);
    expect(values("Ringkasan")).toContainEqual(["Komentar", 12]);
    expect(values("Suara per kecamatan")[1]).toEqual([fx.areas.alpha.code, "Alpha", "< 5", "< 5", "< 5", "x"]);
    // The summary sheet explains both marks.
    expect(values("Ringkasan")).toContainEqual(["< 5", t("reports.legend.suppressed")]);
    expect(values("Ringkasan")).toContainEqual(["x", t("reports.legend.withheld")]);
    const commentRows = values("Komentar");
    expect(commentRows[0]).toEqual(columns);
    expect(commentRows.slice(1).map((r) => r[0])).toEqual(VISIBLE_COMMENTS.map((k) => fx.comments[k]!.id));
    // No cell anywhere is a formula.
    for (const sheet of book.worksheets) sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});
