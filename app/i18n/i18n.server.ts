import type { AppLoadContext } from "@remix-run/node";
import type { TFunction } from "i18next";
import id from "./locales/id.json";
import en from "./locales/en.json";
import idParticipation from "./locales/id/participation.json";
import enParticipation from "./locales/en/participation.json";
import idStaff from "./locales/id/staff.json";
import idModeration from "./locales/id/moderation.json";
import enModeration from "./locales/en/moderation.json";
import enStaff from "./locales/en/staff.json";
import idRights from "./locales/id/rights.json";
import enRights from "./locales/en/rights.json";
import idReports from "./locales/id/reports.json";
import enReports from "./locales/en/reports.json";
import { createI18n, type Translations } from "./instance";
import type { AppLocale } from "./locale";

/** Deep merge of a language's files; each domain keeps its strings in a file of its own. */
function merge(...parts: Translations[]): Translations {
  const out: Translations = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const existing = out[key];
      out[key] =
        value && typeof value === "object" && existing && typeof existing === "object" ? merge(existing as Translations, value as Translations) : value;
    }
  }
  return out;
}

export const translations: Record<AppLocale, Translations> = {
  id: merge(id, idParticipation, idStaff, idModeration, idRights, idReports),
  en: merge(en, enParticipation, enStaff, enModeration, enRights, enReports),
};

export function translator(locale: AppLocale): TFunction {
  return createI18n(locale, translations[locale]).t;
}

/** The request's translator, for messages built on the server (page titles, e-mails, CSV headers). */
export function getT(context: Pick<AppLoadContext, "locale">): TFunction {
  return translator(context.locale);
}
