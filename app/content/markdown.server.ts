import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { DomainError } from "~/domain-error";
import { BoundedTokenizer, MARKDOWN_MAX_NESTING, MarkdownTooDeepError, MarkdownTooSlowError, blockNestingDepth } from "./markdown-guard.server";

/**
 * User Markdown is "cooked" once on write: raw HTML is escaped rather than passed through,
 * images become plain links (remote images are never loaded), and the result is sanitized
 * against an allow-list. The cooked HTML is stored beside its source.
 *
 * Cooking is bounded (app/content/markdown-guard.server.ts): text nested deeper than
 * MARKDOWN_MAX_NESTING levels is refused with a 400 on the form field, and marked's slow scans
 * are made linear, so no text up to the posting cap holds the event loop for long.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const tokenizer = new BoundedTokenizer();

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
// Set directly: `use({ tokenizer })` copies methods one by one and would drop the bounded rules.
marked.setOptions({ tokenizer });

const ALLOWED_TAGS = [
  "p",
  "br",
  "strong",
  "em",
  "del",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
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

/**
 * The longest Markdown text anyone may write or preview: comments, threads, proposals, official
 * answers, projects and their updates. Every write and every preview asks assertMarkdownLength.
 */
export const MARKDOWN_MAX = 10_000;

export function assertMarkdownLength(text: string, field = "body") {
  if (text.length > MARKDOWN_MAX) throw new DomainError(400, "errors.tooLongMax", { max: MARKDOWN_MAX }, field);
}

const tooDeep = (field: string) => new DomainError(400, "markdown.tooDeep", { max: MARKDOWN_MAX_NESTING }, field);
const tooComplex = (field: string) => new DomainError(400, "markdown.tooComplex", {}, field);

export interface Cooked {
  /** Sanitized HTML, ready to store and show. */
  html: string;
  /** Links in it, for the moderation link limit. */
  links: number;
}

/**
 * Markdown to sanitized HTML, with the number of links in it: one parse for both. Throws a
 * DomainError (400 on `field`) for text nested too deeply ("markdown.tooDeep") or, as a last
 * resort, for a parse that ran out of time ("markdown.tooComplex").
 */
export function cookMarkdownWithLinks(source: string, field = "body"): Cooked {
  const html = sanitizeHtml(markedHtml(source, field), SANITIZE).trim();
  return { html, links: linksInHtml(html) };
}

/** marked's HTML before it is sanitized; exported for the tests and the benchmark. */
export function markedHtml(source: string, field = "body"): string {
  if (blockNestingDepth(source) > MARKDOWN_MAX_NESTING) throw tooDeep(field);
  tokenizer.reset();
  try {
    return marked.parse(source, { async: false }) as string;
  } catch (error) {
    // The second test is a last resort: a nesting the counters did not foresee still answers 400, not 500.
    if (error instanceof MarkdownTooDeepError || (error instanceof RangeError && /call stack/i.test(error.message))) throw tooDeep(field);
    if (error instanceof MarkdownTooSlowError) throw tooComplex(field);
    throw error;
  }
}

export function cookMarkdown(source: string, field = "body"): string {
  return cookMarkdownWithLinks(source, field).html;
}

/** Links in cooked HTML (every link the sanitizer kept is an `<a` tag). */
export function linksInHtml(html: string): number {
  return (html.match(/<a\s/g) ?? []).length;
}
