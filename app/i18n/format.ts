import type { AppLocale } from "./locale";

const TAG: Record<AppLocale, string> = { id: "id-ID", en: "en-GB" };

/** Rupiah without decimals, grouped the Indonesian way in both languages: Rp 1.250.000.000. */
export function formatRupiah(amount: number): string {
  const grouped = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `Rp ${grouped}`;
}

export function formatNumber(value: number, locale: AppLocale): string {
  return new Intl.NumberFormat(TAG[locale]).format(value);
}

/** Dates are shown in the city's time zone, on the server and in the browser alike. */
export function formatDate(date: Date | string | number, locale: AppLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: "long", timeZone }).format(new Date(date));
}

export function formatDateTime(date: Date | string | number, locale: AppLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(
    new Date(date),
  );
}
