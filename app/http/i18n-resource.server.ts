import { createHash } from "node:crypto";
import { translations } from "~/i18n/i18n.server";
import { SUPPORTED_LOCALES, type AppLocale } from "~/i18n/locale";
import { clientTranslations, type Audience } from "~/i18n/audience";
import { encodeBody, type EncodedBody } from "./encoded-body.server";

const AUDIENCES: readonly Audience[] = ["public", "staff"];

interface TranslationsDocument {
  hash: string;
  /** Compressed once, at the smallest setting, when the server starts. */
  encoded: Promise<EncodedBody>;
}

/** Each language's strings for each audience as one JSON document, named by a content hash for a year-long cache. */
const documents = new Map<string, TranslationsDocument>(
  SUPPORTED_LOCALES.flatMap((locale) =>
    AUDIENCES.map((audience) => {
      const body = JSON.stringify(clientTranslations(translations[locale], audience));
      const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
      return [`${locale}-${audience}`, { hash, encoded: encodeBody(body) }] as const;
    }),
  ),
);

export function translationsHref(locale: AppLocale, audience: Audience) {
  return `/i18n/${locale}-${audience}-${documents.get(`${locale}-${audience}`)!.hash}.json`;
}

export function translationsDocument(locale: AppLocale, audience: Audience) {
  return documents.get(`${locale}-${audience}`)!;
}
