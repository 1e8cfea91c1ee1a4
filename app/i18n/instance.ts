import i18next, { type i18n } from "i18next";
import type { AppLocale } from "./locale";

export type Translations = Record<string, unknown>;

/** A synchronous i18next instance for one language, used alike on the server and in the browser. */
export function createI18n(locale: AppLocale, translation: Translations): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    resources: { [locale]: { translation } },
    initImmediate: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // In the browser a missing key means the page's strings were not sent to it (see audience.ts):
    // say so in the console, where the browser tests fail on any error.
    saveMissing: typeof document !== "undefined",
    missingKeyHandler: (_lngs, _ns, key) => console.error(`Missing translation: ${key}`),
  });
  return instance;
}
