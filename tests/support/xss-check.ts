import { parseFragment } from "parse5";

/**
 * The check behind the XSS tests, shared so that a browser test can apply the same rules: parses
 * HTML as a browser does (parse5) and lists everything that could run script or restyle the page.
 */

/** Elements that must never come out of cooked Markdown. */
const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "style",
  "svg",
  "math",
  "img",
  "image",
  "picture",
  "source",
  "video",
  "audio",
  "base",
  "meta",
  "link",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "keygen",
  "isindex",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "xmp",
  "plaintext",
  "title",
  "portal",
  "marquee",
  "details",
  "dialog",
  "slot",
  "bgsound",
  "body",
  "html",
  "head",
]);

/** What cooked Markdown may hold at most: text formatting, lists, quotes, code, tables and links. */
const FORMATTING_ELEMENTS = new Set([
  "p",
  "br",
  "strong",
  "em",
  "b",
  "i",
  "u",
  "s",
  "del",
  "ins",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "caption",
  "sup",
  "sub",
  "span",
  "kbd",
  "mark",
  "abbr",
]);

const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "srcset",
  "srcdoc",
  "cite",
  "codebase",
  "dynsrc",
  "lowsrc",
]);
export const REL = "nofollow ugc noopener";

interface ParsedNode {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string; prefix?: string }[];
  childNodes?: ParsedNode[];
  content?: ParsedNode;
}

/** The value as a browser reads a URL's scheme: whitespace and control characters gone, lower case. */
const schemeView = (value: string) => value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, "").toLowerCase();

/**
 * Everything in `html` (parsed as a browser would, entities decoded by the parser) that could run
 * script or restyle the page; empty when the HTML is safe.
 */
export function xssViolations(html: string): string[] {
  const problems: string[] = [];
  const walk = (node: ParsedNode) => {
    if (node.tagName) {
      const tag = node.tagName.toLowerCase();
      if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`<${tag}> element`);
      else if (!FORMATTING_ELEMENTS.has(tag)) problems.push(`unexpected <${tag}> element`);
      for (const attr of node.attrs ?? []) {
        const name = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
        if (name.startsWith("on")) problems.push(`${name} attribute on <${tag}>`);
        if (name === "style") problems.push(`style attribute on <${tag}>`);
        if (URL_ATTRIBUTES.has(name) || attr.name.toLowerCase() === "href") {
          const url = schemeView(attr.value);
          if (/^(javascript|vbscript|data|livescript):/.test(url)) problems.push(`${name}="${attr.value}" on <${tag}>`);
        }
      }
      if (tag === "a") {
        const rel = node.attrs?.find((a) => a.name === "rel")?.value;
        if (rel !== REL) problems.push(`<a> with rel=${JSON.stringify(rel ?? null)}`);
      }
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parseFragment(html) as unknown as ParsedNode);
  return problems;
}
