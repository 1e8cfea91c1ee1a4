import type { MetaArgs } from "@remix-run/node";
import { createI18n, type Translations } from "~/i18n/instance";
import type { AppLocale } from "~/i18n/locale";

/** A translated <title> from the root loader's translations: "Page · Rembug". */
export function pageTitle(matches: MetaArgs["matches"], key: string, params: Record<string, unknown> = {}) {
  const root = matches.find((m) => m.id === "root")?.data as { locale: AppLocale; translations: Translations } | undefined;
  if (!root) return [{ title: "Rembug" }];
  const t = createI18n(root.locale, root.translations).t;
  return [{ title: `${t(key, params)} · Rembug` }];
}
