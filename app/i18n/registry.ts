import type { Translations } from "./instance";
import type { AppLocale } from "./locale";

/**
 * The translations this JavaScript environment holds. The server registers every language at
 * start (entry.server.tsx); the browser registers the page's language, fetched once from a
 * hashed, year-cached URL before hydration (entry.client.tsx) — so pages do not carry their
 * strings in every HTML response.
 */
const store = new Map<AppLocale, Translations>();

export function registerTranslations(locale: AppLocale, translations: Translations) {
  store.set(locale, translations);
}

export function registeredTranslations(locale: AppLocale): Translations | undefined {
  return store.get(locale);
}

export const TRANSLATIONS_LINK_ID = "i18n-resource";
