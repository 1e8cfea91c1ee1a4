import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { closeAppDatabase, withWriteTx, type AppDb } from "~db/engine";
import { areas, comments, projects, threads, votes, type Choice, type User } from "~db/schema";
import { translator } from "~/i18n/i18n.server";
import { exportTalliesCsv, type ExportContext } from "~/reports/exports.server";
import { reportFigures, type ReportFigures } from "~/reports/figures.server";
import { NO_FILTERS, type ReportFilters } from "~/reports/filters.server";
import { parseReportFilters } from "~/http/report-filters.server";
import { projectDownload } from "~/http/reports.server";
import { reportSummary } from "~/reports/summary.server";
import { loadThemes, themeStatus } from "~/reports/themes.server";
import { exportReportXlsx, workbookTables } from "~/reports/xlsx.server";
import { freshDatabase, sqliteClient } from "./support/db";
import { downloadContext, streamText as text } from "./support/report-downloads";
import { makeUser } from "./support/factories";
import { makeReportFixture } from "./support/report-fixture";
import {
  attackReport,
  cell,
  differencingAttack,
  homogeneityAttack,
  reportLines,
  subtractionAttack,
  type Line,
  type Published,
} from "./support/disclosure-attacks";
import { recountStoredCounts } from "~db/recount";

/**
 * The attacks of the penetration test, tried against the report, its downloads and its filters.
 * A small city where they all worked:
 *
 *   Kidul (20,000): Kidul Satu, Kidul Dua · Wetan (10,000): Wetan Satu · Kulon (30,000): Kulon Satu
 *   ballots on 1–2 April: Kidul 12 for, 2 against, 7 abstain · Wetan 2 against (every one of them)
 *                         Kulon 6 / 5 / 5 · no area 5 for
 *   3 April: one new ballot, against, from Kidul Satu — the one to isolate
 *   comments: 9 by Kidul's residents, 2 by Wetan's
 */

const TZ = "Asia/Jakarta";
const NOW = new Date("2026-04-06T05:00:00Z");
const at = (day: string) => new Date(`${day}T10:00:00+07:00`);

let db: AppDb;
let path: string;
let project: typeof projects.$inferSelect;
let planner: User;
let codes: Record<"kidul" | "wetan" | "kulon", string>;

beforeAll(async () => {
  ({ db, path } = await freshDatabase());
  const area = (code: string, name: string, level: "kecamatan" | "kelurahan", population: number, parentId: number | null = null) =>
    withWriteTx(db, async (tx) => {
      const [row] = await tx
        .insert(areas)
        .values({ code: `77.01.${code}`, name, level, population, parentId })
        .returning();
      return row!;
    });
  const kidul = await area("01", "Kidul", "kecamatan", 20_000);
  const wetan = await area("02", "Wetan", "kecamatan", 10_000);
  const kulon = await area("03", "Kulon", "kecamatan", 30_000);
  const kidul1 = await area("01.1001", "Kidul Satu", "kelurahan", 12_000, kidul.id);
  const kidul2 = await area("01.1002", "Kidul Dua", "kelurahan", 8_000, kidul.id);
  const wetan1 = await area("02.1001", "Wetan Satu", "kelurahan", 10_000, wetan.id);
  const kulon1 = await area("03.1001", "Kulon Satu", "kelurahan", 30_000, kulon.id);
  codes = { kidul: kidul.code, wetan: wetan.code, kulon: kulon.code };
  planner = await makeUser(db, { role: "planner" });
  project = await withWriteTx(db, async (tx) => {
    const [row] = await tx
      .insert(projects)
      .values({
        slug: "serangan-angka",
        title: "Saluran Kidul",
        summary: "R.",
        bodySource: "I.",
        bodyHtml: "<p>I.</p>",
        category: "drainage",
        areaId: kidul1.id,
        phase: "consultation",
        consultationOpensAt: at("2026-04-01"),
        consultationClosesAt: at("2026-04-10"),
      })
      .returning();
    return row!;
  });

  const voters: User[] = [];
  const vote = async (areaId: number | null, choice: Choice, n: number, day: string) => {
    for (let i = 0; i < n; i++) {
      const voter = await makeUser(db, { areaId });
      voters.push(voter);
      await withWriteTx(db, async (tx) => {
        await tx.insert(votes).values({ projectId: project.id, userId: voter.id, choice, areaId, createdAt: at(day) });
      });
    }
  };
  await vote(kidul1.id, "support", 12, "2026-04-01");
  await vote(kidul2.id, "oppose", 2, "2026-04-02");
  await vote(kidul2.id, "abstain", 7, "2026-04-02");
  await vote(wetan1.id, "oppose", 2, "2026-04-02");
  await vote(kulon1.id, "support", 6, "2026-04-01");
  await vote(kulon1.id, "oppose", 5, "2026-04-01");
  await vote(kulon1.id, "abstain", 5, "2026-04-02");
  await vote(null, "support", 5, "2026-04-01");

  const [thread] = await withWriteTx(db, (tx) =>
    tx
      .insert(threads)
      .values({
        projectId: project.id,
        authorId: voters[0]!.id,
        title: "Saluran mampet",
        bodySource: "Pembuka.",
        bodyHtml: "<p>Pembuka.</p>",
        createdAt: at("2026-04-01"),
      })
      .returning(),
  );
  const comment = (authorId: number, day: string) =>
    withWriteTx(db, async (tx) => {
      await tx
        .insert(comments)
        .values({ threadId: thread!.id, projectId: project.id, authorId, bodySource: "Setuju.", bodyHtml: "<p>Setuju.</p>", sortKey: "", createdAt: at(day) });
    });
  for (const voter of voters.slice(0, 9)) await comment(voter.id, "2026-04-01");
  for (const voter of voters.filter((v) => v.areaId === wetan1.id)) await comment(voter.id, "2026-04-02");

  // The new ballot, on a day of its own.
  await vote(kidul1.id, "oppose", 1, "2026-04-03");
  // The rows above stand as they would on those days; their stored counts follow from them.
  recountStoredCounts(sqliteClient(db));
});

const figures = (filters: ReportFilters = NO_FILTERS): Promise<ReportFigures> =>
  reportFigures(db, project, filters, { areaLabel: "Kidul Satu, Kidul", timeZone: TZ, now: NOW });

async function filtersOf(query: string): Promise<ReportFilters> {
  const parsed = await parseReportFilters(db, new URL(`http://x/r?${query}`), TZ);
  if (!parsed.ok) throw new Error(`filters refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.filters;
}

/** The public totals: what the project's page and the open data API show. */
const publicTotals = () => figures();

const ATTRIBUTES = /^(tallies\.|participation\.|headline\.(support|oppose|abstain)$)/;
const PRIVATE_COUNTS = /^(headline\.(participants|supports|followers|ballots)$|activity\..*\.(supports|ballots|total)$|moderation\.)/;

describe("complementary disclosure: subtracting within one report", () => {
  it("does not say that every ballot of a kecamatan went one way (no exact zeros beside a withheld count)", async () => {
    const city = await figures();
    const wetan = city.tallies.find((r) => r.name === "Wetan")!;
    expect(
      homogeneityAttack([
        {
          parts: [cell(wetan.support, "for"), cell(wetan.oppose, "against"), cell(wetan.abstain, "abstain")],
          total: cell(wetan.total, "total"),
          private: true,
        },
      ]),
    ).toEqual([]);
    expect(attackReport(city).filter((d) => d.attack === "homogeneity")).toEqual([]);
    // The kecamatan's own report says no more than its row in the city's table.
    const own = await figures(await filtersOf(`kecamatan=${codes.wetan}`));
    expect(own.headline.ballotsByChoice.map((b) => b.count)).toEqual([wetan.support, wetan.oppose, wetan.abstain]);
    expect(attackReport(own).filter((d) => d.attack === "homogeneity")).toEqual([]);
  });

  it("withholds enough cells that no small count comes out of a row's or a column's total", async () => {
    // Kidul's row was 12 · < 5 · 7 · 22: its total gave the 3 against; the participants by
    // kecamatan gave Wetan's 2 from the headline.
    expect(subtractionAttack(reportLines(await figures()))).toEqual([]);
    for (const code of Object.values(codes)) expect(attackReport(await figures(await filtersOf(`kecamatan=${code}`))), code).toEqual([]);
  });

  it("gives no day's ballots or supports to a reader who also counts the public pages", async () => {
    // Threads, comments and proposals are on the public pages with their dates: such a reader
    // knows them per day exactly, and each day's total less them is its supports and ballots.
    const f = await figures();
    const publicPerDay = (kind: "threads" | "comments" | "proposals", date: string) => {
      const table = kind;
      const from = new Date(`${date}T00:00:00+07:00`).getTime();
      const extra = kind === "threads" ? " and proposal_id is null" : "";
      return sqliteClient(db)
        .prepare(`select count(*) as n from ${table} where project_id = ? and visibility = 'published' and created_at >= ? and created_at < ?${extra}`)
        .get(project.id, from, from + 86_400_000) as { n: number };
    };
    const lines = reportLines(f);
    for (const line of lines) {
      for (const c of [...line.parts, line.total]) {
        const m = /^activity\.(\d{4}-\d{2}-\d{2})\.(threads|comments|proposals)$/.exec(c.name);
        if (m) c.value = publicPerDay(m[2] as "threads", m[1]!).n;
      }
    }
    expect(subtractionAttack(lines).filter((d) => /\.(supports|ballots|total)$/.test(d.cell))).toEqual([]);
  });

  it("does not give the participants without an area back through the reference rate", async () => {
    const { db: other } = await freshDatabase();
    const fx = await makeReportFixture(other);
    const f = await reportFigures(other, fx.project, NO_FILTERS, { areaLabel: "A1", timeZone: TZ, now: new Date("2026-03-10T05:00:00Z") });
    // 10 participants, 1 of them without an area: a rate of exactly 1.0 per 10,000 of 90,000 said 9 had one.
    expect(f.participation!.noArea.count).toBe("< 5");
    expect(attackReport(f)).toEqual([]);
    await closeAppDatabase(other);
  });
});

describe("differencing: subtracting one filtered report from another", () => {
  it("cannot isolate a ballot cast on a new day by subtracting a date range from the public totals", async () => {
    const whole = await publicTotals();
    const attempts: [string, ReportFigures, ReportFigures][] = [
      ["public − up to 2 April", whole, await figures(await filtersOf("to=2026-04-02"))],
      ["public − from 3 April", whole, await figures(await filtersOf("from=2026-04-03"))],
      ["public − 1 to 2 April", whole, await figures(await filtersOf("from=2026-04-01&to=2026-04-02"))],
      // A sliding window: two ranges that differ by the new day only.
      ["2–3 April − 2 April", await figures(await filtersOf("from=2026-04-02&to=2026-04-03")), await figures(await filtersOf("from=2026-04-02&to=2026-04-02"))],
    ];
    for (const [label, coarser, finer] of attempts) {
      expect(differencingAttack(coarser, finer, label, ATTRIBUTES), label).toEqual([]);
      // Nor a count of what the public pages do not list one by one.
      expect(differencingAttack(coarser, finer, label, PRIVATE_COUNTS), label).toEqual([]);
    }
    for (const [, , finer] of attempts) {
      expect(finer.headline).toMatchObject({ participants: "x", supports: "x", followers: "x", ballots: "x" });
      expect(finer.activity.days.every((d) => d.ballots === "x" && d.supports === "x" && d.total === "x")).toBe(true);
      expect(finer.withheld).toContain("privateCounts");
    }
    // What a date range does not give by choice or by area, it cannot give away by subtraction.
    const upTo = await figures(await filtersOf("to=2026-04-02"));
    expect(upTo.headline.ballotsByChoice).toEqual([]);
    expect(upTo.tallies).toEqual([]);
    expect(upTo.participation).toBeNull();
    expect(upTo.withheld).toEqual(expect.arrayContaining(["areas", "choices"]));
  });

  it("never lets the rest of the city outside a kecamatan be a small group", async () => {
    const city = await figures();
    for (const [name, code] of Object.entries(codes)) {
      expect(differencingAttack(city, await figures(await filtersOf(`kecamatan=${code}`)), `city − ${name}`), name).toEqual([]);
    }
  });

  it("refuses a kecamatan together with a date range, which could be slid day by day", async () => {
    const parsed = await parseReportFilters(db, new URL(`http://x/r?kecamatan=${codes.kidul}&to=2026-04-02`), TZ);
    expect(parsed).toMatchObject({ ok: false, errors: { kecamatan: "reports.filters.notCombined" } });
  });

  it("every report view survives both attacks", async () => {
    const queries = ["", "from=2026-04-01&to=2026-04-01", "from=2026-04-02", "to=2026-04-02", ...Object.values(codes).map((c) => `kecamatan=${c}`)];
    for (const q of queries) expect(attackReport(await figures(q ? await filtersOf(q) : NO_FILTERS)), q || "unfiltered").toEqual([]);
  });
});

describe("the downloads give the same protected figures as the page", () => {
  const context = (user: User) => downloadContext(db, path, user, TZ);

  it("tallies.csv holds the page's cells, and neither subtraction nor a zero gives a ballot away", async () => {
    const f = await figures();
    const rows = (parse(await text(exportTalliesCsv(project, f, "No area", "Total").stream), { bom: true }) as string[][]).slice(1);
    const value = (v: string): Published => (/^\d+$/.test(v) ? Number(v) : v);
    expect(rows.slice(0, -1).map((r) => r.slice(2).map(value))).toEqual(f.tallies.map((t) => [t.support, t.oppose, t.abstain, t.total]));
    const cells = rows.map((r) => r.slice(2).map((v, i) => cell(value(v), `${r[1]}.${i}`)));
    const totals = cells.at(-1)!;
    const lines: Line[] = [
      ...cells.slice(0, -1).map((r) => ({ parts: r.slice(0, 3), total: r[3]!, private: true })),
      ...[0, 1, 2, 3].map((i) => ({ parts: cells.slice(0, -1).map((r) => r[i]!), total: totals[i]!, private: true })),
    ];
    expect([...homogeneityAttack(lines), ...subtractionAttack(lines)]).toEqual([]);
  });

  it("summary.json and report.xlsx carry the very same cells", async () => {
    const f = await figures();
    const summary = reportSummary(f, await loadThemes(db, project.id), await themeStatus(db, project.id), NO_FILTERS, "https://rembug.example");
    expect(summary.tallies).toEqual(f.tallies);
    expect(summary.participation).toEqual(f.participation);
    const t = translator("en");
    const tables = workbookTables(f, [], await themeStatus(db, project.id), t);
    const ctx: ExportContext = { origin: "https://rembug.example", secret: "rahasia-uji-yang-cukup-panjang" };
    const file = await exportReportXlsx(db, project, NO_FILTERS, tables, ctx, { name: "Comments", columns: ["id"] }).stream.toArray();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(file as Buffer[]) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.getWorksheet("Ballots by kecamatan")!.eachRow((row) => rows.push((row.values as unknown[]).slice(3)));
    expect(rows.slice(1)).toEqual(f.tallies.map((r) => [r.support, r.oppose, r.abstain, r.total]));
  });

  it("refuses tallies.csv over a date range, with a message in the reader's language", async () => {
    const response = await projectDownload(
      { request: new Request("http://localhost/x?from=2026-04-03"), params: { slug: project.slug }, context: context(planner) },
      "tallies",
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("whole consultation");
  });
});
