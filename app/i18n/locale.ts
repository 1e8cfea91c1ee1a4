import { LOCALES, type Locale } from "~db/schema/values";

/** The languages of the app: the same list the database accepts for an account's language. */
export const SUPPORTED_LOCALES = LOCALES;
export type AppLocale = Locale;
export const DEFAULT_LOCALE: AppLocale = "id";
export const LOCALE_COOKIE = "rembug_lng";

export function isLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The language cookie wins (the switch sets it), then the account's choice, then Indonesian. */
export function resolveLocale(cookieValue: string | null | undefined, accountLocale?: string | null): AppLocale {
  if (isLocale(cookieValue)) return cookieValue;
  if (isLocale(accountLocale)) return accountLocale;
  return DEFAULT_LOCALE;
}

export function localeCookie(locale: AppLocale, secure: boolean) {
  return `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? "; Secure" : ""}`;
}
