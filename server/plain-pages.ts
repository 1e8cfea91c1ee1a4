import { translator } from "../app/i18n/i18n.server";
import type { AppLocale } from "../app/i18n/locale";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * A minimal translated page for answers given before Remix runs (oversized body, foreign Origin).
 * It uses the same locale files as the app.
 */
export function plainErrorPage(locale: AppLocale, status: 403 | 411 | 413, requestId: string): string {
  const t = translator(locale);
  const title = t(`errorPages.${status}.title`);
  const body = t(`errorPages.${status}.body`);
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Rembug</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#1a1a1a}a{color:#0b5394}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>
<p><a href="/">${escapeHtml(t("errorPages.home"))}</a></p>
<p><small>${escapeHtml(t("errorPages.requestId", { id: requestId }))}</small></p></main></body></html>`;
}
