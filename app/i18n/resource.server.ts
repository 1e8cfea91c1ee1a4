import { createHash } from "node:crypto";
import { translations } from "./i18n.server";
import { SUPPORTED_LOCALES, type AppLocale } from "./locale";

/** Each language's strings as one JSON document, with a content hash for a year-long cache. */
const documents = Object.fromEntries(
  SUPPORTED_LOCALES.map((locale) => {
    const body = JSON.stringify(translations[locale]);
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    return [locale, { body, hash }];
  }),
) as Record<AppLocale, { body: string; hash: string }>;

export function translationsHref(locale: AppLocale) {
  return `/i18n/${locale}-${documents[locale].hash}.json`;
}

export function translationsDocument(locale: AppLocale) {
  return documents[locale];
}
