/**
 * Counts below this are never published in a breakdown, on the page or in any download, so that
 * no filter, table or subtraction singles out one person (docs/decisions/007, docs/reports.md,
 * "Small counts"). The cells that protect them are chosen in suppression.ts.
 */
export const SMALL_COUNT = 5;

/** A withheld count from 0 to 4: 1–4 itself, or a 0 that would tell what such a count holds. */
export const SUPPRESSED = "< 5" as const;
/** A withheld count of any size, hidden so that a small count beside it cannot be worked out from a total. */
export const WITHHELD = "x" as const;

/** A count as published: exact, "< 5" or "x". */
export type Count = number | typeof SUPPRESSED | typeof WITHHELD;

/** The first rule alone: 1–4 is "< 5"; 0 and 5 up are exact. Tables add the rules of suppression.ts. */
export function suppress(n: number): Count {
  return n > 0 && n < SMALL_COUNT ? SUPPRESSED : n;
}

export const isWithheld = (c: Count): c is typeof SUPPRESSED | typeof WITHHELD => typeof c !== "number";
