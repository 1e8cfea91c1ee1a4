import ExcelJS from "exceljs";
import { PassThrough, type Readable } from "node:stream";
import type { TFunction } from "i18next";
import type { AppDb } from "~db/engine";
import type { Project } from "~db/schema";
import { commentRows, type Download, type ExportContext } from "./exports.server";
import type { ReportFigures } from "./figures.server";
import { HEADLINE_FIGURES } from "./headline";
import { SUPPRESSED, WITHHELD } from "./small-counts";
import { listingRefusal, type ReportFilters } from "./filters.server";
import { snapshotRows } from "./reader.server";
import type { ThemeStatus, ThemeView } from "./themes.server";

/** Excel's row limit, less the header. */
const MAX_SHEET_ROWS = 1_048_575;
/** Pause writing while this much of the file waits for the client. */
const HIGH_WATER = 4 * 1024 * 1024;

export interface WorkbookTable {
  /** Sheet name (at most 31 characters). */
  name: string;
  columns: string[];
  rows: unknown[][];
}

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const rate = (r: number | null) => (r === null ? null : Math.round(r * 10) / 10);

/** The report's tables, one per sheet, with translated names and headers. */
export function workbookTables(figures: ReportFigures, themes: ThemeView[], themeStatus: ThemeStatus, t: TFunction): WorkbookTable[] {
  const h = figures.headline;
  const filtersText = [
    figures.filters.from ? `${t("reports.filters.from")}: ${figures.filters.from}` : null,
    figures.filters.to ? `${t("reports.filters.to")}: ${figures.filters.to}` : null,
    figures.filters.kecamatan ? `${t("reports.filters.kecamatan")}: ${figures.filters.kecamatan.name}` : null,
  ]
    .filter(Boolean)
    .join("; ");
  const callout = (c: string | null) => (c ? t(`reports.participation.callout.${c}`) : null);
  return [
    {
      name: t("reports.xlsx.sheets.summary"),
      columns: [t("reports.xlsx.item"), t("reports.xlsx.value")],
      rows: [
        [t("reports.xlsx.project"), figures.project.title],
        [t("reports.xlsx.area"), figures.project.area],
        [t("reports.xlsx.phase"), t(`phases.${figures.project.phase}`)],
        [t("reports.xlsx.generatedAt"), figures.generatedAt],
        [t("reports.xlsx.filters"), filtersText || t("reports.filters.none")],
        ...HEADLINE_FIGURES.map((k) => [t(`reports.headline.${k}`), h[k]]),
        ...h.ballotsByChoice.map((b) => [
          `${t(`reports.choices.${b.choice}`)} (%)`,
          typeof b.count === "number" ? `${b.count} (${percent(b.share) ?? "—"})` : b.count,
        ]),
        ...figures.withheld.map((w) => [t("reports.withheld.label"), t(`reports.withheld.${w}`)]),
        [SUPPRESSED, t("reports.legend.suppressed")],
        [WITHHELD, t("reports.legend.withheld")],
      ],
    },
    {
      name: t("reports.xlsx.sheets.kecamatan"),
      columns: [
        t("reports.xlsx.code"),
        t("reports.participation.kecamatan"),
        t("reports.participation.population"),
        t("reports.participation.participants"),
        t("reports.participation.rate"),
        t("reports.participation.calloutHeader"),
      ],
      rows: (figures.participation?.kecamatan ?? []).map((a) => [a.code, a.name, a.population, a.participants, rate(a.ratePer10k), callout(a.callout)]),
    },
    {
      name: t("reports.xlsx.sheets.kelurahan"),
      columns: [
        t("reports.xlsx.code"),
        t("reports.participation.kelurahan"),
        t("reports.participation.kecamatan"),
        t("reports.participation.population"),
        t("reports.participation.participants"),
        t("reports.participation.rate"),
        t("reports.participation.calloutHeader"),
      ],
      rows: (figures.participation?.kelurahan ?? []).map((a) => [
        a.code,
        a.name,
        a.kecamatan,
        a.population,
        a.participants,
        rate(a.ratePer10k),
        callout(a.callout),
      ]),
    },
    {
      name: t("reports.xlsx.sheets.tallies"),
      columns: [
        t("reports.xlsx.code"),
        t("reports.participation.kecamatan"),
        t("reports.choices.support"),
        t("reports.choices.oppose"),
        t("reports.choices.abstain"),
        t("reports.tallies.total"),
      ],
      rows: figures.tallies.map((r) => [r.code, r.name ?? t("reports.participation.noArea"), r.support, r.oppose, r.abstain, r.total]),
    },
    {
      name: t("reports.xlsx.sheets.activity"),
      columns: [
        t("reports.activity.date"),
        t("reports.headline.threads"),
        t("reports.headline.comments"),
        t("reports.headline.proposals"),
        t("reports.headline.supports"),
        t("reports.headline.ballots"),
        t("reports.activity.total"),
      ],
      rows: figures.activity.days.map((d) => [d.date, d.threads, d.comments, d.proposals, d.supports, d.ballots, d.total]),
    },
    {
      name: t("reports.xlsx.sheets.stance"),
      columns: [t("reports.stance.stance"), t("reports.stance.count"), t("reports.stance.share")],
      rows: figures.stance.rows.map((r) => [t(`reports.stances.${r.stance}`), r.count, percent(r.share)]),
    },
    {
      name: t("reports.xlsx.sheets.proposals"),
      columns: [
        t("reports.proposals.title"),
        t("reports.proposals.supports"),
        t("reports.proposals.status"),
        t("reports.proposals.answer"),
        t("reports.proposals.createdAt"),
      ],
      rows: figures.topProposals.map((p) => [p.title, p.supports, t(`reports.proposalStatuses.${p.status}`), p.answer, p.createdAt]),
    },
    {
      name: t("reports.xlsx.sheets.themes"),
      columns: [
        t("reports.themes.rank"),
        t("reports.themes.label"),
        t("reports.themes.terms"),
        t("reports.themes.comments"),
        t("reports.themes.share"),
        t("reports.stances.support"),
        t("reports.stances.oppose"),
        t("reports.stances.neutral"),
        t("reports.stances.none"),
        t("reports.themes.quotes"),
        t("reports.xlsx.computedAt"),
      ],
      rows: themes.map((th) => [
        th.rank,
        th.label,
        th.terms.join(", "),
        th.comments,
        percent(th.share),
        th.stance.support,
        th.stance.oppose,
        th.stance.neutral,
        th.stance.none,
        th.quotes.map((q) => q.excerpt).join("\n\n"),
        themeStatus.computedAt,
      ]),
    },
    {
      name: t("reports.xlsx.sheets.moderation"),
      columns: [
        t("reports.moderation.status"),
        t("reports.headline.threads"),
        t("reports.headline.comments"),
        t("reports.headline.proposals"),
        t("reports.moderation.total"),
      ],
      rows: (["held", "hidden", "rejected"] as const).map((k) => {
        const m = figures.moderation[k];
        return [t(`reports.moderation.${k}`), m.threads, m.comments, m.proposals, m.total];
      }),
    },
  ];
}

async function roomFor(out: PassThrough) {
  while (out.readableLength > HIGH_WATER && !out.destroyed) await new Promise((r) => setTimeout(r, 10));
}

/**
 * report.xlsx: one workbook, a sheet per table of the report and a last sheet with every published
 * comment (as comments.csv), written with exceljs's streaming WorkbookWriter: each sheet is
 * committed before the next begins, rows leave as they are written, and the comments are read in
 * batches inside one snapshot (as comments.csv). Cells are typed: text is never read as a formula.
 */
export function exportReportXlsx(
  db: AppDb,
  project: Project,
  filters: ReportFilters,
  tables: WorkbookTable[],
  ctx: ExportContext,
  /** `note` instead of the rows, when the filters give no comment list (filters.server.ts, listingRefusal). */
  commentsSheet: { name: string; columns: string[]; note?: string },
): Download {
  const out = new PassThrough();
  const listed = !listingRefusal("comments", filters);
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = "Rembug";
    workbook.created = new Date();
    for (const table of tables) {
      const sheet = workbook.addWorksheet(table.name.slice(0, 31));
      const header = sheet.addRow(table.columns);
      header.font = { bold: true };
      header.commit();
      for (const row of table.rows) sheet.addRow(row.map(cellValue)).commit();
      sheet.commit();
    }
    const sheet = workbook.addWorksheet(commentsSheet.name.slice(0, 31));
    const header = sheet.addRow(commentsSheet.columns);
    header.font = { bold: true };
    header.commit();
    if (!listed) sheet.addRow([commentsSheet.note ?? null]).commit();
    let n = 0;
    // Leaving the loop (a full sheet, a client gone) ends the snapshot.
    for await (const row of listed ? snapshotRows(db, (snapshot) => commentRows(snapshot, project.id, filters, ctx, false)) : []) {
      if (out.destroyed || ++n > MAX_SHEET_ROWS) break;
      sheet.addRow(row.map(cellValue)).commit();
      if (n % 500 === 0) await roomFor(out);
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return {
    stream: out as Readable,
    filename: `${project.slug}-report.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  };
}

/** Numbers stay numbers; everything else is written as plain text (exceljs never makes a formula of a string). */
function cellValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}
