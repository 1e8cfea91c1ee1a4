import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { registerTranslations, TRANSLATIONS_LINK_ID } from "./i18n/registry";
import { isLocale } from "./i18n/locale";

/**
 * The page's strings come from a year-cached JSON file named in the head (preloaded while the
 * scripts download). Without them the page stays as the server rendered it — every page works
 * without JavaScript — rather than hydrating into untranslated text.
 */
async function loadTranslations(): Promise<boolean> {
  const link = document.getElementById(TRANSLATIONS_LINK_ID) as HTMLLinkElement | null;
  const locale = document.documentElement.lang;
  const audience = link?.dataset.audience === "staff" ? "staff" : "public";
  if (!link || !isLocale(locale)) return false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (response.ok) {
        registerTranslations(locale, audience, await response.json());
        return true;
      }
    } catch {
      // A dropped connection on a patchy network: try once more.
    }
  }
  return false;
}

void loadTranslations().then((ready) => {
  if (!ready) return;
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
