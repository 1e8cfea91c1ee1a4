import type { ReportFigures } from "./figures.server";
import { filterQuery, type ReportFilters } from "./filters.server";
import type { ThemeStatus, ThemeView } from "./themes.server";

export const SUMMARY_FORMAT = "rembug.report.summary";

/**
 * summary.json: every figure of the report, machine-readable. The schema is documented in
 * docs/reports.md ("summary.json"); `format` and `schemaVersion` name it. Counts are integers or
 * a withheld mark ("< 5", "x"); dates are ISO 8601; links are absolute.
 */
export function reportSummary(figures: ReportFigures, themes: ThemeView[], themeStatus: ThemeStatus, filters: ReportFilters, origin: string) {
  const base = `${origin}/staff/projects/${figures.project.slug}/report`;
  const qs = filterQuery(filters);
  return {
    format: SUMMARY_FORMAT,
    ...figures,
    project: { ...figures.project, link: `${origin}/projects/${figures.project.slug}` },
    topProposals: figures.topProposals.map(({ path, ...p }) => ({ ...p, link: `${origin}${path}` })),
    themes: {
      status: themeStatus.status,
      computedAt: themeStatus.computedAt,
      corpus: themeStatus.corpus,
      stale: themeStatus.stale,
      newSince: themeStatus.newSince,
      items: themes.map(({ quotes, ...t }) => ({
        ...t,
        quotes: quotes.map(({ path, ...q }) => ({ ...q, link: `${origin}${path}` })),
      })),
    },
    downloads: {
      comments: `${base}/comments.csv${qs}`,
      proposals: `${base}/proposals.csv${qs}`,
      tallies: `${base}/tallies.csv${qs}`,
      summary: `${base}/summary.json${qs}`,
      workbook: `${base}/report.xlsx${qs}`,
    },
  };
}

export type ReportSummary = ReturnType<typeof reportSummary>;
