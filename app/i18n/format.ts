import type { AppLocale } from "./locale";

/** The BCP 47 tag each language formats with. */
export const LOCALE_TAGS: Record<AppLocale, string> = { id: "id-ID", en: "en-GB" };

/** The city's time zone when CITY_TIMEZONE is not set (README); dates are shown in it everywhere. */
export const DEFAULT_CITY_TIMEZONE = "Asia/Jakarta";

/** Rupiah without decimals, grouped the Indonesian way in both languages: Rp 1.250.000.000. */
export function formatRupiah(amount: number): string {
  const grouped = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `Rp ${grouped}`;
}

/**
 * Building an Intl formatter is far slower than using one (a thread page formats a hundred dates),
 * so each kind is built once per language and time zone and kept.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatNumber(value: number, locale: AppLocale): string {
  return cached(`n|${locale}`, () => new Intl.NumberFormat(LOCALE_TAGS[locale])).format(value);
}

/** Dates are shown in the city's time zone, on the server and in the browser alike. */
export function formatDate(date: Date | string | number, locale: AppLocale, timeZone: string): string {
  return cached(`d|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(LOCALE_TAGS[locale], { dateStyle: "long", timeZone })).format(new Date(date));
}

export function formatDateTime(date: Date | string | number, locale: AppLocale, timeZone: string): string {
  return cached(
    `dt|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(LOCALE_TAGS[locale], {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      }),
  ).format(new Date(date));
}
