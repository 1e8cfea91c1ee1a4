import type { MetaArgs } from "@remix-run/node";
import { createI18n } from "~/i18n/instance";
import { registeredTranslations } from "~/i18n/registry";
import type { AppLocale } from "~/i18n/locale";

/** A translated <title>: "Page · Rembug", in the page's language. */
export function pageTitle(matches: MetaArgs["matches"], key: string, params: Record<string, unknown> = {}) {
  const root = matches.find((m) => m.id === "root")?.data as { locale: AppLocale } | undefined;
  const translations = root ? registeredTranslations(root.locale)?.translations : undefined;
  if (!root || !translations) return [{ title: "Rembug" }];
  const t = createI18n(root.locale, translations).t;
  return [{ title: `${t(key, params)} · Rembug` }];
}
