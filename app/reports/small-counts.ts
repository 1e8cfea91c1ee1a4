/**
 * Counts below this are shown as "< 5" in every breakdown, on the page and in every download, so
 * that no filter or table singles out one person (docs/reports.md, "Small counts").
 */
export const SMALL_COUNT = 5;
export const SUPPRESSED = "< 5" as const;

/** A count as published: exact, or "< 5" when it is 1–4. Zero stays zero: it names nobody. */
export type Count = number | typeof SUPPRESSED;

export function suppress(n: number): Count {
  return n > 0 && n < SMALL_COUNT ? SUPPRESSED : n;
}

export const isSuppressed = (c: Count): c is typeof SUPPRESSED => c === SUPPRESSED;

/** A share (0–1) that may be published: null when its count is suppressed or there is nothing to divide by. */
export function shareOf(n: number, total: number, suppressed: boolean): number | null {
  if (suppressed || total <= 0) return null;
  return n / total;
}
