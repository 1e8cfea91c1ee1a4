import type { AppDb } from "~db/engine";
import { DomainError } from "~/domain-error";
import { checkReportFilters, type FilterField, type ReportFilters } from "~/reports/filters.server";

/** The report filters as typed, and either what they select or each refused field's message key. */
export type ParsedFilters =
  | { ok: true; filters: ReportFilters; values: Record<FilterField, string> }
  | { ok: false; errors: Partial<Record<FilterField, string>>; values: Record<FilterField, string> };

/**
 * The report pages and downloads: `from`, `to` (YYYY-MM-DD, city days) and `kecamatan` (an official
 * code), checked by the reports' rules (checkReportFilters). A refusal is answered on the page, with
 * what was typed (the report page's form), or as a plain 400 (a download).
 */
export async function parseReportFilters(db: AppDb, url: URL, timeZone: string): Promise<ParsedFilters> {
  const read = (name: string) => (url.searchParams.get(name) ?? "").trim().slice(0, 40);
  const values = { from: read("from"), to: read("to"), kecamatan: read("kecamatan") };
  try {
    return { ok: true, filters: await checkReportFilters(db, values, timeZone), values };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, errors: Object.fromEntries(error.errors.map((e) => [e.field, e.key])), values };
  }
}
