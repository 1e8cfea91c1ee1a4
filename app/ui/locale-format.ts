import { useTranslation } from "react-i18next";
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_CITY_TIMEZONE, formatDate, formatDateTime, formatNumber, formatRupiah } from "~/i18n/format";
import { DEFAULT_LOCALE, isLocale } from "~/i18n/locale";

/** Formatters bound to the page's language and the city's time zone (same on server and client). */
export function useFormat() {
  const { i18n } = useTranslation();
  const root = useRouteLoaderData("root") as { timeZone: string } | undefined;
  const locale = isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
  const timeZone = root?.timeZone ?? DEFAULT_CITY_TIMEZONE;
  return {
    locale,
    date: (d: Date | string | number) => formatDate(d, locale, timeZone),
    dateTime: (d: Date | string | number) => formatDateTime(d, locale, timeZone),
    number: (n: number) => formatNumber(n, locale),
    rupiah: formatRupiah,
  };
}
