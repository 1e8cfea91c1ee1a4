import { CATEGORIES, PHASES, type Category, type Phase } from "~db/schema/values";
import { parseId } from "~/ids";
import { PROJECT_SORTS, type ProjectSort } from "~/projects/filters";
import type { ProjectFilters } from "~/projects/queries.server";

/**
 * The public project list's filters, read from its URL (the domain owns the filter type and the
 * query). A value the list does not know falls back to the list's default.
 */
export function parseProjectFilters(url: URL): ProjectFilters {
  const phase = url.searchParams.get("phase");
  const category = url.searchParams.get("category");
  const sort = url.searchParams.get("sort");
  const area = parseId(url.searchParams.get("area"));
  const page = parseId(url.searchParams.get("page"));
  return {
    phase: PHASES.includes(phase as Phase) && phase !== "draft" ? (phase as Phase) : null,
    category: CATEGORIES.includes(category as Category) ? (category as Category) : null,
    kecamatanId: area,
    sort: PROJECT_SORTS.includes(sort as ProjectSort) ? (sort as ProjectSort) : "closing",
    page: page !== null && page <= 100000 ? page : 1,
  };
}
