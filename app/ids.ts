/**
 * A row id or a page number from a URL, a route param or a form field: decimal digits only, at
 * least 1, no sign, space, leading zero, fraction, exponent or hex (`Number()` reads " 7 " as 7,
 * "0x10" as 16 and "1e3" as 1000), and never past the safe integers. A number (from code, not
 * from a request) passes when it is a positive safe integer. Anything else is null, and the
 * caller answers 400 or 404 or falls back to its default. Used on the server and in pages.
 */
export function parseId(value: unknown): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : null;
  return typeof value === "string" && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

/** A version or another count from a form: like parseId, but 0 is allowed. */
export function parseCount(value: unknown): number | null {
  if (value === "0" || value === 0) return 0;
  return parseId(value);
}
