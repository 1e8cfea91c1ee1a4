import type { Translations } from "./instance";
import type { AppLocale } from "./locale";
import type { Audience } from "./audience";

/**
 * The translations this JavaScript environment holds. The server registers every language in
 * full at start (entry.server.tsx); the browser registers the page's language for its audience,
 * fetched once from a hashed, year-cached URL before hydration (entry.client.tsx) — so pages do
 * not carry their strings in every HTML response, and residents do not download staff strings.
 */
const store = new Map<AppLocale, { audience: Audience; translations: Translations }>();

export function registerTranslations(locale: AppLocale, audience: Audience, translations: Translations) {
  store.set(locale, { audience, translations });
}

export function registeredTranslations(locale: AppLocale) {
  return store.get(locale);
}

export const TRANSLATIONS_LINK_ID = "i18n-resource";
