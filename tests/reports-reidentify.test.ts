import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Readable } from "node:stream";
import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { eraseAccountData } from "~/accounts/erasure.server";
import { loadCommentPage } from "~/http/comment-page.server";
import { getProposal } from "~/proposals/proposals.server";
import { translator } from "~/i18n/i18n.server";
import { COMMENT_COLUMNS, exportCityCommentsCsv, exportCommentsCsv, exportProposalsCsv, exportTalliesCsv, type ExportContext } from "~/reports/exports.server";
import { reportFigures } from "~/reports/figures.server";
import { NO_FILTERS, type ReportFilters } from "~/reports/filters.server";
import { parseReportFilters } from "~/http/report-filters.server";
import { cityDownload, projectDownload, type ProjectFile } from "~/http/reports.server";
import { PSEUDONYM_PREFIX } from "~/reports/pseudonyms.server";
import { reportSummary } from "~/reports/summary.server";
import { loadThemes, themeStatus } from "~/reports/themes.server";
import { exportReportXlsx, workbookTables } from "~/reports/xlsx.server";
import { search } from "~/search/search.server";
import { freshDatabase } from "./support/db";
import { downloadContext, streamText as text } from "./support/report-downloads";
import { makeReportFixture, type ReportFixture } from "./support/report-fixture";

/**
 * A published comment's author is public: its page shows their name. So a row of an export must
 * give nothing the public page does not show — no area, and no key that joins an author's rows
 * to anything private. These tests do what the holder of a file could: take each row, find its
 * comment through the public search and thread page, and compare.
 */

const TZ = "Asia/Jakarta";
const SECRET = "rahasia-ekspor-yang-cukup-panjang";

let db: AppDb;
let path: string;
let fx: ReportFixture;
let ctx: ExportContext;
let areaNames: Set<string>;

beforeAll(async () => {
  ({ db, path } = await freshDatabase());
  fx = await makeReportFixture(db);
  ctx = { origin: "https://rembug.example", secret: SECRET };
  areaNames = new Set(Object.values(fx.areas).map((a) => a.name));
  // r2 erased their account: the public pages show "deleted user" on c2 and c15.
  await eraseAccountData(db, fx.r[2]!.id);
});

function records(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true }) as Record<string, string>[];
}

async function filtersOf(query: string): Promise<ReportFilters> {
  const parsed = await parseReportFilters(db, new URL(`http://x/r?${query}`), TZ);
  if (!parsed.ok) throw new Error("bad filters");
  return parsed.filters;
}

/** What the public sees of a comment: found through /search by its own text, read from its thread's page. */
async function publicComment(row: Record<string, string>) {
  const id = Number(row.id);
  const hit = (await search(db, row.text!)).hits.find((h) => h.kind === "comment" && h.id === id);
  expect(hit, `comment ${id} is found by searching its text`).toBeDefined();
  const url = new URL(`https://rembug.example${hit!.link}`);
  const page = await loadCommentPage(db, url, Number(row.thread_id), null);
  const shown = page.comments.rows.find((c) => c.id === id)!;
  expect(shown, `comment ${id} is on its thread's page`).toBeDefined();
  return { ...shown, link: `https://rembug.example${hit!.link}` };
}

/** The columns a comment's public page shows (the thread's title and id are in its URL and heading). */
const PUBLIC_COMMENT_FIELDS = ["id", "thread_id", "thread_title", "parent_id", "created_at", "author", "stance", "official", "text", "link"];

async function expectNothingBeyondThePublicPage(rows: Record<string, string>[]) {
  const keysByName = new Map<string | null, Set<string>>();
  const namesByKey = new Map<string, Set<string | null>>();
  for (const row of rows) {
    expect(Object.keys(row).filter((k) => k !== "project")).toEqual(PUBLIC_COMMENT_FIELDS);
    const shown = await publicComment(row);
    expect(row.created_at).toBe(new Date(shown.createdAt).toISOString());
    expect(row.stance).toBe(shown.stance ?? "none");
    expect(row.official).toBe(String(shown.official));
    expect(row.parent_id).toBe(shown.parentId === null ? "" : String(shown.parentId));
    expect(row.link).toBe(shown.link);
    // No cell names an area.
    for (const value of Object.values(row)) expect(areaNames.has(value), `${value} in comment ${row.id}`).toBe(false);
    // The author key: none where the page shows "deleted user"; elsewhere it groups the rows
    // exactly as the public names do, so it joins nothing the page does not already join.
    if (shown.authorName === null) {
      expect(row.author, `comment ${row.id} of an erased account`).toBe("");
      continue;
    }
    expect(row.author.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    keysByName.set(shown.authorName, (keysByName.get(shown.authorName) ?? new Set()).add(row.author));
    namesByKey.set(row.author, (namesByKey.get(row.author) ?? new Set()).add(shown.authorName));
  }
  for (const keys of keysByName.values()) expect(keys.size).toBe(1);
  for (const names of namesByKey.values()) expect(names.size).toBe(1);
}

describe("re-identifying the rows of comments.csv", () => {
  it("a project's file gives, per row, only what the comment's public page shows", async () => {
    const rows = records(await text(exportCommentsCsv(db, fx.project, NO_FILTERS, ctx).stream));
    expect(rows).toHaveLength(12);
    await expectNothingBeyondThePublicPage(rows);
  });

  it("so does the city-wide file, and the workbook's comments sheet", async () => {
    const city = records(await text(exportCityCommentsCsv(db, NO_FILTERS, ctx).stream)).filter((r) => r.project === fx.project.slug);
    expect(city).toHaveLength(12);
    await expectNothingBeyondThePublicPage(city);

    const t = translator("en");
    const figures = await reportFigures(db, fx.project, NO_FILTERS, { areaLabel: "A1, Alpha", timeZone: TZ });
    const tables = workbookTables(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), t);
    const file = Buffer.concat(
      (await exportReportXlsx(db, fx.project, NO_FILTERS, tables, ctx, { name: "Comments", columns: [...COMMENT_COLUMNS] }).stream.toArray()) as Buffer[],
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const sheet: Record<string, string>[] = [];
    book.getWorksheet("Comments")!.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      sheet.push(Object.fromEntries(COMMENT_COLUMNS.map((c, i) => [c, values[i] === undefined || values[i] === null ? "" : String(values[i])])));
    });
    await expectNothingBeyondThePublicPage(sheet);
  });

  it("proposals.csv gives no area beside the author key either", async () => {
    const rows = records(await text(exportProposalsCsv(db, fx.project, NO_FILTERS, ctx).stream));
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      const shown = (await getProposal(db, fx.project.id, Number(row.id), null))!;
      expect(shown.authorName).toBeTruthy();
      expect(Object.keys(row)).not.toEqual(expect.arrayContaining(["kecamatan"]));
      expect(Object.keys(row)).not.toEqual(expect.arrayContaining(["kelurahan"]));
      for (const value of Object.values(row)) expect(areaNames.has(value), value).toBe(false);
    }
  });

  it("no file puts an author key in the same row as an area", async () => {
    const files: unknown[][] = [];
    const csv = async (s: Readable) => files.push(...(parse(await text(s), { bom: true }) as string[][]));
    await csv(exportCommentsCsv(db, fx.project, NO_FILTERS, ctx).stream);
    await csv(exportProposalsCsv(db, fx.project, NO_FILTERS, ctx).stream);
    await csv(exportCityCommentsCsv(db, NO_FILTERS, ctx).stream);
    const figures = await reportFigures(db, fx.project, NO_FILTERS, { areaLabel: "A1, Alpha", timeZone: TZ });
    await csv(exportTalliesCsv(fx.project, figures, "No area", "Total").stream);
    const t = translator("en");
    const tables = workbookTables(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), t);
    const book = new ExcelJS.Workbook();
    const file = Buffer.concat(
      (await exportReportXlsx(db, fx.project, NO_FILTERS, tables, ctx, { name: "Comments", columns: [...COMMENT_COLUMNS] }).stream.toArray()) as Buffer[],
    );
    await book.xlsx.load(file as unknown as ArrayBuffer);
    for (const sheet of book.worksheets) sheet.eachRow((row) => files.push((row.values as unknown[]).slice(1)));
    for (const row of files) {
      const keyed = row.some((v) => typeof v === "string" && v.startsWith(PSEUDONYM_PREFIX));
      const placed = row.some((v) => typeof v === "string" && areaNames.has(v));
      expect(keyed && placed, JSON.stringify(row)).toBe(false);
    }
    const summary = JSON.stringify(reportSummary(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), NO_FILTERS, ctx.origin));
    expect(summary).not.toContain(PSEUDONYM_PREFIX);
  });
});

describe("a kecamatan filter never lists contributions", () => {
  const context = (user: User) => downloadContext(db, path, user, TZ);

  it("refuses comments.csv and proposals.csv (a project's and the city's) filtered by kecamatan: every row would say its named author lives there", async () => {
    const query = `?kecamatan=${fx.areas.alpha.code}`;
    for (const file of ["comments", "proposals"] as ProjectFile[]) {
      const response = await projectDownload(
        { request: new Request(`http://localhost/x${query}`), params: { slug: fx.project.slug }, context: context(fx.planner) },
        file,
      );
      expect(response.status, file).toBe(400);
      expect(await response.text()).toContain("kecamatan");
    }
    const city = await cityDownload({ request: new Request(`http://localhost/x${query}`), context: context(fx.planner) }, "comments");
    expect(city.status).toBe(400);
  });

  it("gives no most-supported proposals by kecamatan, and no comment rows in the workbook", async () => {
    const filters = await filtersOf(`kecamatan=${fx.areas.alpha.code}`);
    const figures = await reportFigures(db, fx.project, filters, { areaLabel: "A1, Alpha", timeZone: TZ });
    expect(figures.topProposals).toEqual([]);
    expect(figures.withheld).toContain("proposals");
    const t = translator("en");
    const tables = workbookTables(figures, await loadThemes(db, fx.project.id), await themeStatus(db, fx.project.id), t);
    const file = Buffer.concat(
      (await exportReportXlsx(db, fx.project, filters, tables, ctx, { name: "Comments", columns: [...COMMENT_COLUMNS] }).stream.toArray()) as Buffer[],
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const ids: unknown[] = [];
    book.getWorksheet("Comments")!.eachRow((row, n) => n > 1 && ids.push(row.getCell(1).value));
    expect(ids.filter((v) => typeof v === "number")).toEqual([]);
  });
});
