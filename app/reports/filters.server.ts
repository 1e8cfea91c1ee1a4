import { and, eq } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import { DomainError } from "~/domain-error";
import { parseCityDayRange } from "~/i18n/city-time";

/** The filters every report figure and download takes: a date range (city days) or a kecamatan, not both. */
export interface ReportFilters {
  /** Start of the `from` day in the city's time zone (inclusive). */
  from: Date | null;
  /** Start of the day after the `to` day (exclusive), so `to` includes its whole day. */
  to: Date | null;
  /** The submitted days, YYYY-MM-DD, as the form shows them. */
  fromDay: string | null;
  toDay: string | null;
  kecamatan: { id: number; code: string; name: string } | null;
}

export const NO_FILTERS: ReportFilters = { from: null, to: null, fromDay: null, toDay: null, kecamatan: null };

export const FILTER_FIELDS = ["from", "to", "kecamatan"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/**
 * The rules of `from`, `to` (YYYY-MM-DD, city days) and `kecamatan` (an official code), as typed
 * (app/http/report-filters.server.ts reads them from the URL). Malformed or reversed dates, unknown
 * areas, and a kecamatan together with dates are refused, one 400 DomainError with a message per
 * field, never ignored silently: a download must not quietly contain something else than what
 * was asked for.
 */
export async function checkReportFilters(db: AppDb, values: Record<FilterField, string>, timeZone: string): Promise<ReportFilters> {
  const { areas } = tables(db);
  const errors: Partial<Record<FilterField, string>> = {};
  const { from, to, errors: dayErrors } = parseCityDayRange(values.from, values.to, timeZone);
  if (dayErrors.from) errors.from = "reports.filters.dateInvalid";
  if (dayErrors.to) errors.to = dayErrors.to === "reversed" ? "reports.filters.rangeReversed" : "reports.filters.dateInvalid";
  let kecamatan: ReportFilters["kecamatan"] = null;
  if (values.kecamatan) {
    const [found] = await db
      .select({ id: areas.id, code: areas.code, name: areas.name })
      .from(areas)
      .where(and(eq(areas.level, "kecamatan"), eq(areas.code, values.kecamatan)))
      .limit(1);
    kecamatan = found ?? null;
    if (!kecamatan) errors.kecamatan = "reports.filters.kecamatanUnknown";
    // Two ranges a day apart, each narrowed to one kecamatan, would give that day's ballots and
    // authors of that kecamatan by subtraction (docs/decisions/007).
    else if (values.from || values.to) errors.kecamatan = "reports.filters.notCombined";
  }
  const refused = FILTER_FIELDS.filter((field) => errors[field]);
  if (refused.length)
    throw DomainError.fields(
      400,
      refused.map((field) => ({ field, key: errors[field]! })),
    );
  return { from, to, fromDay: values.from || null, toDay: values.to || null, kecamatan };
}

export const hasFilters = (f: ReportFilters) => Boolean(f.from || f.to || f.kecamatan);

/** The query string that reproduces the filters (for download links and redirects). */
export function filterQuery(f: ReportFilters): string {
  const params = new URLSearchParams();
  if (f.fromDay) params.set("from", f.fromDay);
  if (f.toDay) params.set("to", f.toDay);
  if (f.kecamatan) params.set("kecamatan", f.kecamatan.code);
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/** The filters as written to the moderation log and into summary.json: plain values, no personal data. */
export function describeFilters(f: ReportFilters) {
  return {
    from: f.fromDay,
    to: f.toDay,
    kecamatan: f.kecamatan ? { code: f.kecamatan.code, name: f.kecamatan.name } : null,
  };
}

/** The downloads that list contributions one by one, and the one that splits ballots by area. */
export type ListingFile = "comments" | "proposals" | "tallies";

/**
 * The message key when a download refuses its filters, else null (docs/decisions/007):
 * - comments and proposals by kecamatan: every row would say that its publicly named author
 *   lives there;
 * - ballots by kecamatan over a date range: one range less another would give a day's ballots
 *   by area and choice.
 */
export function listingRefusal(file: ListingFile, f: ReportFilters): string | null {
  if ((file === "comments" || file === "proposals") && f.kecamatan) return "reports.filters.listByKecamatan";
  if (file === "tallies" && (f.from || f.to)) return "reports.filters.talliesWholeConsultation";
  return null;
}

/** The same, as the domain layer enforces it: a download asked for anyway is a 400. */
export function assertListable(file: ListingFile, f: ReportFilters): void {
  const key = listingRefusal(file, f);
  if (key) throw new DomainError(400, key, {}, file === "tallies" ? "from" : "kecamatan");
}
