import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * User Markdown is "cooked" once on write: raw HTML is escaped rather than passed through,
 * images become plain links (remote images are never loaded), and the result is sanitized
 * against an allow-list. The cooked HTML is stored beside its source.
 */
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image) {
      const label = token.text || token.href;
      return `<a href="${escapeHtml(token.href)}">${escapeHtml(label)}</a>`;
    },
  },
});

const ALLOWED_TAGS = [
  "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
  "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ["href", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  // Headings inside user content start at h3 so they never compete with the page's own, and keep
  // their order without skipping a level under the section's h2 (## → h3, ### → h4, …).
  transformTags: {
    h1: "h3",
    h2: "h3",
    h3: "h4",
    h4: "h5",
    h5: "h6",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: "nofollow ugc noopener" },
    }),
  },
  exclusiveFilter: (frame) => frame.tag === "a" && !frame.attribs.href && !frame.text.trim(),
};

export function cookMarkdown(source: string): string {
  const html = marked.parse(source, { async: false }) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Counts links in the source, for the moderation link limit. */
export function countLinks(source: string): number {
  const html = cookMarkdown(source);
  return (html.match(/<a\s/g) ?? []).length;
}
