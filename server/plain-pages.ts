import { translator } from "../app/i18n/i18n.server";
import type { AppLocale } from "../app/i18n/locale";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export type PlainErrorStatus = 400 | 403 | 411 | 413 | 415;

/**
 * A minimal translated page for answers given before Remix runs (oversized or unreadable body,
 * foreign Origin, one-click unsubscribe). It uses the same locale files as the app; its one
 * style element carries the response's CSP nonce.
 */
export function plainPage(locale: AppLocale, page: { title: string; paragraphs: string[]; small?: string; nonce?: string }): string {
  const t = translator(locale);
  const nonce = page.nonce ? ` nonce="${escapeHtml(page.nonce)}"` : "";
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Rembug</title>
<style${nonce}>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#1a1a1a}a{color:#0b5394}</style>
</head><body><main><h1>${escapeHtml(page.title)}</h1>${page.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}
<p><a href="/">${escapeHtml(t("errorPages.home"))}</a></p>${page.small ? `\n<p><small>${escapeHtml(page.small)}</small></p>` : ""}</main></body></html>`;
}

export function plainErrorPage(locale: AppLocale, status: PlainErrorStatus, requestId: string, nonce?: string): string {
  const t = translator(locale);
  return plainPage(locale, {
    title: t(`errorPages.${status}.title`),
    paragraphs: [t(`errorPages.${status}.body`)],
    small: t("errorPages.requestId", { id: requestId }),
    nonce,
  });
}
