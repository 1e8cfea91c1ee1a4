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
