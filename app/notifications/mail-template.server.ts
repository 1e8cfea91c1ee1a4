import type { AppLocale } from "~/i18n/locale";
import { translator } from "~/i18n/i18n.server";

/**
 * Links in queued mail start with this placeholder; the sender replaces it with the site's
 * public origin (SITE_URL, or the demo server's own address), which domain code does not know.
 */
export const ORIGIN = "{{origin}}";

export const SITE_NAME = "Rembug";

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailParts {
  locale: AppLocale;
  /** "Halo Siti," — the recipient's own display name, never anyone else's. */
  greeting: string;
  paragraphs: string[];
  /** A list of linked items (the digest). */
  items?: { text: string; url: string }[];
  /** The one thing to do, as a button in HTML and a bare link in plain text. */
  action?: { label: string; url: string };
  /** Paragraphs after the action (how long the link works, what to do if it was not you). */
  after?: string[];
  /** Small print: why this mail came, how to stop it. Items with a URL become links. */
  footer?: { text: string; url?: string }[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Plain text plus simple HTML of one message, in the recipient's language. */
export function renderMail(subject: string, parts: MailParts): MailContent {
  const t = translator(parts.locale);
  const text = [
    SITE_NAME,
    "",
    parts.greeting,
    "",
    ...parts.paragraphs.flatMap((p) => [p, ""]),
    ...(parts.items ?? []).flatMap((item) => [`* ${item.text}`, `  ${item.url}`, ""]),
    ...(parts.action ? [`${parts.action.label}:`, parts.action.url, ""] : []),
    ...(parts.after ?? []).flatMap((p) => [p, ""]),
    "-- ",
    ...(parts.footer ?? []).map((f) => (f.url ? `${f.text}: ${f.url}` : f.text)),
    t("mail.signature", { site: SITE_NAME }),
  ].join("\n");

  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = `<!doctype html>
<html lang="${parts.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f4">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1a;background:#ffffff">
<p style="margin:0 0 24px;font-weight:bold;color:#0b5d3b">&#9670; ${SITE_NAME}</p>
${p(parts.greeting)}
${parts.paragraphs.map(p).join("\n")}
${
  parts.items?.length
    ? `<ul style="margin:0 0 16px;padding-left:20px">${parts.items
        .map((item) => `<li style="margin:0 0 8px"><a href="${escapeHtml(item.url)}" style="color:#0b5394">${escapeHtml(item.text)}</a></li>`)
        .join("")}</ul>`
    : ""
}
${
  parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:12px 20px;background:#0b5d3b;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#555555">${escapeHtml(t("mail.linkFallback"))}<br><a href="${escapeHtml(parts.action.url)}" style="color:#0b5394;word-break:break-all">${escapeHtml(parts.action.url)}</a></p>`
    : ""
}
${(parts.after ?? []).map(p).join("\n")}
<hr style="border:0;border-top:1px solid #dddddd;margin:24px 0">
${(parts.footer ?? [])
  .map(
    (f) =>
      `<p style="margin:0 0 8px;font-size:13px;color:#555555">${f.url ? `<a href="${escapeHtml(f.url)}" style="color:#0b5394">${escapeHtml(f.text)}</a>` : escapeHtml(f.text)}</p>`,
  )
  .join("\n")}
<p style="margin:0;font-size:13px;color:#555555">${escapeHtml(t("mail.signature", { site: SITE_NAME }))}</p>
</div>
</body></html>`;
  return { subject, text, html };
}
