/** Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Jakarta → 420). */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

/**
 * The years a date typed into the app may fall in: a consultation of this century or the next
 * two. Outside them a date is a slip of the keyboard (0026 for 2026, 20266), and years 0–99
 * would silently become 1900–1999 in `Date.UTC`.
 */
export const CITY_YEARS = { min: 2000, max: 2200 } as const;

const CITY_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Whether `value` has the form of a date-time but a year outside CITY_YEARS (to say so rather than "invalid"). */
export function outsideCityYears(value: string): boolean {
  const m = CITY_DATE_TIME.exec(value.trim());
  return m !== null && (Number(m[1]) < CITY_YEARS.min || Number(m[1]) > CITY_YEARS.max);
}

/** "2026-12-01T09:00" read as wall-clock time in the city's time zone; null when malformed or outside CITY_YEARS. */
export function parseCityDateTime(value: string, timeZone: string): Date | null {
  const m = CITY_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  if (y < CITY_YEARS.min || y > CITY_YEARS.max) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - offsetMinutes(wall, timeZone) * 60000;
  // A second pass settles instants next to a daylight-saving change.
  instant = wall - offsetMinutes(instant, timeZone) * 60000;
  const check = new Date(instant + offsetMinutes(instant, timeZone) * 60000);
  if (check.getUTCDate() !== d) return null;
  return new Date(instant);
}

/** The value for an <input type="datetime-local"> showing `date` in the city's time zone. */
export function toCityDateTimeInput(date: Date | null | undefined, timeZone: string): string {
  if (!date) return "";
  const shifted = new Date(date.getTime() + offsetMinutes(date.getTime(), timeZone) * 60000);
  return shifted.toISOString().slice(0, 16);
}

/** "2026-03-01" (optionally + days) as the start of that day in the city's time zone; null when not a real date. */
export function cityDayStart(value: string, timeZone: string, plusDays = 0): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || y < 2000 || y > 9999) return null;
  const shifted = new Date(Date.UTC(y, mo - 1, d + plusDays)).toISOString().slice(0, 10);
  return parseCityDateTime(`${shifted}T00:00`, timeZone);
}

export type CityDayRangeError = "invalid" | "reversed";

/**
 * A range of city days typed as "YYYY-MM-DD" (either end may be empty): `from` is the start of
 * its day and `to` the start of the day after, so the range includes the whole `to` day. A value
 * that is not a real date is "invalid" on its field; a `to` day before the `from` day is
 * "reversed" on `to`. Each page words the errors in its own messages.
 */
export function parseCityDayRange(fromValue: string, toValue: string, timeZone: string) {
  const errors: { from?: CityDayRangeError; to?: CityDayRangeError } = {};
  const from = fromValue ? cityDayStart(fromValue, timeZone) : null;
  const to = toValue ? cityDayStart(toValue, timeZone, 1) : null;
  if (fromValue && !from) errors.from = "invalid";
  if (toValue && !to) errors.to = "invalid";
  if (from && to && from >= to) errors.to = "reversed";
  return { from, to, errors };
}
