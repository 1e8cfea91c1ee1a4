import { Tokenizer, type MarkedOptions, type Tokens } from "marked";

/**
 * Bounds on what user Markdown may cost. Everything a person writes is cooked on the server, in
 * the request, on the event loop: one slow input would stall every other visitor. marked's
 * tokenizers are regular expressions, and a few of them rescan the rest of a paragraph at every
 * position, so some shapes of text (a long word ending in "@", `*a **a` repeated, one long run of
 * spaces…) took seconds at the posting cap; nested block quotes, lists or emphasis recurse once per
 * level until the stack overflows. The measurements are in docs/BENCHMARKS.md ("Markdown under
 * hostile input", `npm run bench:markdown`).
 *
 * The defence is in three parts:
 * - a check of the text before it is parsed (`blockNestingDepth`): block quotes and list markers
 *   stacked at the start of a line, outside fenced code, at most MARKDOWN_MAX_NESTING deep;
 * - a tokenizer (`BoundedTokenizer`) that makes the slow scans linear, with the same output for
 *   ordinary text, and counts nesting while parsing: a quote or list deeper than
 *   MARKDOWN_MAX_NESTING that the line check cannot see (say, lists nested by indentation) is
 *   refused too, long before the stack would overflow; emphasis and links past that depth stay
 *   literal text;
 * - a last resort: a parse still running after MARKDOWN_TIME_BUDGET_MS is stopped and refused.
 *   No known input comes near it (the benchmark's worst case is a small fraction of it); it is
 *   there for a slow shape nobody has found yet, so that it costs one refusal, not a frozen server.
 */

/**
 * Levels of block quotes and lists, and of emphasis and links inside one another. Real comments
 * rarely go past four or five; each level costs a pass over the text it holds and a few stack
 * frames (about 3,000 `>` overflowed the stack), so twenty leaves room and keeps the cost flat.
 */
export const MARKDOWN_MAX_NESTING = 20;

/**
 * Wall-clock milliseconds after which a parse is abandoned (see above: a backstop, not a limit
 * anyone meets). The benchmark's worst allowed input takes about a tenth of it on a quiet machine;
 * the margin is for a loaded one, where a legitimate comment must not be refused because the CPU
 * was busy with other requests.
 */
export const MARKDOWN_TIME_BUDGET_MS = 1_000;

/**
 * Lines a setext heading's text may span (`Title\n===`). marked looks for the underline to the
 * end of the paragraph at every block start: a long paragraph of lines that start blocks was
 * quadratic. A paragraph longer than this followed by `---` is a paragraph and a rule.
 */
export const SETEXT_MAX_LINES = 10;

/**
 * Characters a code span may hold. Every run of backticks looked for its closing run to the end
 * of the paragraph (twice: in the tokenizer and in the mask for emphasis); past this the
 * backticks are literal.
 */
export const CODE_SPAN_MAX = 1_000;

/**
 * How many times a block quote may resume after lazy lines (`> - a`, `b`, `> - a`…): marked
 * re-parses the rest of the quote at each return. The quote is cut there and a new one begins.
 */
export const QUOTE_MAX_RETURNS = 32;

/**
 * How far an emphasis or strikethrough opener looks for its closer, in characters. marked scans
 * to the end of the paragraph for every opener (quadratic in a paragraph full of `*`); past this
 * window the `*` stays a literal asterisk.
 */
export const EMPHASIS_WINDOW = 1_000;
/** …and past this many further runs of `*`, `_` or `~`. */
export const EMPHASIS_MAX_RUNS = 24;
/** A run of more `*`, `_` or `~` than this is never emphasis (it would nest once per pair). */
export const EMPHASIS_MAX_RUN = 32;

/**
 * Emphasis and strikethrough openers tried in one text. Each costs up to its window; a text with
 * more than this many is not prose (a comment of 10,000 characters with a bold word in every line
 * has about 150).
 */
export const EMPHASIS_BUDGET = 600;

/** The longest part before "@" that is still made an e-mail link (RFC 5321 allows 64). */
export const EMAIL_LOCAL_MAX = 64;

export class MarkdownTooDeepError extends Error {
  constructor() {
    super(`Markdown nested deeper than ${MARKDOWN_MAX_NESTING} levels`);
  }
}

export class MarkdownTooSlowError extends Error {
  constructor() {
    super(`Markdown took more than ${MARKDOWN_TIME_BUDGET_MS} ms to parse`);
  }
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * The deepest stack of block quote and list markers that opens a line (`> > - 1. text` is four),
 * outside fenced code blocks. A thematic break (`- - -`, `* * *`) is a line, not nesting.
 * One pass over the text.
 */
export function blockNestingDepth(source: string): number {
  let deepest = 0;
  let fence: string | null = null;
  let start = 0;
  while (start <= source.length) {
    let end = source.indexOf("\n", start);
    if (end < 0) end = source.length;
    const fenceMatch = FENCE.exec(source.slice(start, Math.min(end, start + 16)));
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = null;
    } else if (fenceMatch) {
      fence = fenceMatch[1]!;
    } else {
      const depth = lineMarkerDepth(source, start, end);
      if (depth > deepest) {
        if (!THEMATIC_BREAK.test(source.slice(start, end))) deepest = depth;
      }
    }
    start = end + 1;
  }
  return deepest;
}

const isBlank = (c: number) => c === 32 || c === 9;

function lineMarkerDepth(s: string, from: number, to: number): number {
  let depth = 0;
  let i = from;
  for (;;) {
    while (i < to && isBlank(s.charCodeAt(i))) i++;
    if (i >= to) return depth;
    const c = s.charCodeAt(i);
    if (c === 62 /* > */) {
      depth++;
      i++;
      continue;
    }
    if (c === 45 || c === 42 || c === 43 /* - * + */) {
      if (i + 1 >= to || isBlank(s.charCodeAt(i + 1))) {
        depth++;
        i += 2;
        continue;
      }
      return depth;
    }
    let j = i;
    while (j < to && j - i < 9 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j > i && j < to && (s[j] === "." || s[j] === ")") && (j + 1 >= to || isBlank(s.charCodeAt(j + 1)))) {
      depth++;
      i = j + 2;
      continue;
    }
    return depth;
  }
}

// ------------------------------------------------------------------------------------------------
// The tokenizer

const EMAIL_CHARS = "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]";
const EMAIL_LOCAL = "[A-Za-z0-9._+-]";

/** Replaces `from` by `to` in a regular expression's source, or fails loudly if marked changed. */
function rewrite(re: RegExp, replacements: Array<[string, string]>): RegExp {
  let source = re.source;
  for (const [from, to] of replacements) {
    const at = source.indexOf(from);
    if (at < 0) throw new Error(`markdown-guard: marked's rule ${re.source.slice(0, 40)}… no longer contains ${from}`);
    source = source.split(from).join(to);
  }
  return new RegExp(source, re.flags);
}

type InlineRules = Tokenizer["rules"]["inline"];
const boundedInline = new WeakMap<InlineRules, InlineRules>();

/** Matches nothing; global, as marked replaces and iterates with it. */
const NEVER = /(?!)/g;

/**
 * marked's inline rules with four scans bounded:
 * - plain text stops before a possible e-mail address (`(?=[…]+@)`): scanned at every position
 *   of a long word, that was quadratic; the part before "@" is now looked for up to 64 characters;
 * - with `breaks`, text stops before spaces that end a line (`(?= *\n)`): tried at every space of
 *   a long run of spaces, that was quadratic; now only where a run of spaces starts (the same stops);
 * - the e-mail autolink reads at most 64 characters before "@";
 * - the search for reference links (`[label]`, `[text][label]`) reads labels of at most 128
 *   characters (CommonMark allows 999) and text of at most 32 bracketed or escaped parts.
 */
function boundInline(inline: InlineRules): InlineRules {
  const known = boundedInline.get(inline);
  if (known) return known;
  const text = rewrite(inline.text, [
    [`(?=${EMAIL_CHARS}+@)`, `(?=${EMAIL_CHARS}{1,${EMAIL_LOCAL_MAX}}@)`],
    [`|\\b_| *\\n|`, `|\\b_|(?<! ) *\\n|`],
  ]);
  const url = rewrite(inline.url, [
    [`${EMAIL_LOCAL}+@`, `${EMAIL_LOCAL}{1,${EMAIL_LOCAL_MAX}}@`],
    [`${EMAIL_LOCAL}+(@)`, `${EMAIL_LOCAL}{1,${EMAIL_LOCAL_MAX}}(@)`],
  ]);
  // Labels of up to 128 characters, instead of 999, in the search that masks reference links.
  const reflinkSearch = rewrite(inline.reflinkSearch, [
    ["{0,999}", "{0,32}"],
    ["{1,999}", "{1,128}"],
  ]);
  // Code spans of at most CODE_SPAN_MAX characters, in the tokenizer and in the emphasis mask.
  const span = ["[^`][\\s\\S]*?[^`]", `[^\`][\\s\\S]{0,${CODE_SPAN_MAX - 2}}?[^\`]`] as [string, string];
  const code = rewrite(inline.code, [span]);
  const anyPunctuationOutsideCode = rewrite(inline.anyPunctuationOutsideCode, [span]);
  const bounded = { ...inline, text, url, reflinkSearch, code, anyPunctuationOutsideCode };
  boundedInline.set(inline, bounded);
  return bounded;
}

/**
 * marked's tokenizer, with the slow paths bounded and nesting counted. Output for ordinary text is
 * marked's own (tests/markdown-guard.test.ts compares them).
 */
export class BoundedTokenizer extends Tokenizer {
  private blockDepth = 0;
  private inlineDepth = 0;
  private emphasisTries = 0;
  private deadline = Infinity;

  constructor(options?: MarkedOptions) {
    super(options);
    // The lexer hands every tokenizer its rules when it starts; keep bounded copies of the inline ones.
    let rules: Tokenizer["rules"];
    Object.defineProperty(this, "rules", {
      configurable: true,
      enumerable: true,
      get: () => rules,
      set: (value: Tokenizer["rules"]) => {
        if (!value) return void (rules = value);
        const bounded = boundInline(value.inline);
        const inline = Object.create(bounded) as InlineRules;
        // Before emphasis is parsed, marked masks every `[label]` that names a link definition,
        // with a search that costs up to 999 steps at every "[" of the paragraph, even when
        // nothing is defined (most texts): then search for nothing.
        Object.defineProperty(inline, "reflinkSearch", {
          get: () => (this.lexer && hasDefinitions(this.lexer.tokens.links) ? bounded.reflinkSearch : NEVER),
        });
        rules = { ...value, inline };
      },
    });
  }

  /** Called before each parse: a refused parse may have left the counters up. */
  reset(now = performance.now()) {
    this.blockDepth = 0;
    this.inlineDepth = 0;
    this.emphasisTries = 0;
    this.deadline = now + MARKDOWN_TIME_BUDGET_MS;
  }

  /** The backstop: checked at the start of every block and of most inline tokens. */
  private checkTime() {
    if (performance.now() > this.deadline) throw new MarkdownTooSlowError();
  }

  /**
   * Runs a quote or list tokenizer one level deeper. At the deepest level allowed, a text that
   * would open one more (its rule matches) is refused; any other text is not a quote or list.
   */
  private nestedBlock<T>(rule: RegExp, src: string, run: () => T): T | undefined {
    if (this.blockDepth >= MARKDOWN_MAX_NESTING) {
      if (rule.test(src)) throw new MarkdownTooDeepError();
      return undefined;
    }
    this.blockDepth++;
    try {
      return run();
    } finally {
      this.blockDepth--;
    }
  }

  /** Runs an inline tokenizer one level deeper; past the deepest level the delimiter stays literal. */
  private nestedInline<T>(run: () => T): T | undefined {
    if (this.inlineDepth >= MARKDOWN_MAX_NESTING) return undefined;
    this.inlineDepth++;
    try {
      return run();
    } finally {
      this.inlineDepth--;
    }
  }

  override space(src: string) {
    this.checkTime();
    return super.space(src);
  }

  override inlineText(src: string) {
    this.checkTime();
    return super.inlineText(src);
  }

  override blockquote(src: string) {
    return this.nestedBlock(this.rules.block.blockquote, src, () => super.blockquote(quoteUntilReturns(src, this.rules.other.blockquoteStart)));
  }

  override list(src: string) {
    return this.nestedBlock(this.rules.block.list, src, () => super.list(src));
  }

  /** The underline is looked for in the next SETEXT_MAX_LINES lines only (see there). */
  override lheading(src: string) {
    let end = -1;
    for (let i = 0; i <= SETEXT_MAX_LINES; i++) {
      end = src.indexOf("\n", end + 1);
      if (end < 0) return super.lheading(src);
    }
    return super.lheading(src.slice(0, end));
  }

  /**
   * marked matches a whole table (header, delimiter row and every row) before it checks that the
   * header and the delimiter row have as many cells, and each paragraph line retries it: decide
   * on the first two lines, which is all the check reads.
   */
  override table(src: string) {
    const first = src.indexOf("\n");
    if (first < 0) return undefined;
    const second = src.indexOf("\n", first + 1);
    const head = this.rules.block.table.exec(second < 0 ? src : src.slice(0, second));
    if (!head || !this.rules.other.tableDelimiter.test(head[2]!)) return undefined;
    const alignCells = head[2]!.replace(this.rules.other.tableAlignChars, "").split("|").length;
    if (countCells(head[1]!, this.rules.other) !== alignCells) return undefined;
    return super.table(src);
  }

  override link(src: string) {
    return this.nestedInline(() => super.link(src));
  }

  override reflink(src: string, links: Parameters<Tokenizer["reflink"]>[1]) {
    return this.nestedInline(() => super.reflink(src, links));
  }

  /**
   * marked looks for an opener's closer up to the last possible one in the paragraph, for every
   * opener: give it a window instead (see `windowed`), and stop looking once EMPHASIS_BUDGET
   * openers have been tried in one text; the delimiters after that stay literal.
   */
  override emStrong(src: string, maskedSrc: string, prevChar = "") {
    const c = src[0];
    if (c !== "*" && c !== "_") return undefined;
    // `_` between letters or digits never opens (marked's own first test, made before the budget counts it).
    if (c === "_" && ALPHANUMERIC.test(prevChar) && ALPHANUMERIC.test(src[runLength(src, "_")] ?? "")) return undefined;
    return this.delimited(src, maskedSrc, c, (s, m) => super.emStrong(s, m, prevChar));
  }

  override del(src: string, maskedSrc: string, prevChar = "") {
    if (src[0] !== "~") return undefined;
    return this.delimited(src, maskedSrc, "~", (s, m) => super.del(s, m, prevChar));
  }

  private delimited<T>(src: string, maskedSrc: string, delimiter: string, parse: (src: string, maskedSrc: string) => T): T | undefined {
    if (this.emphasisTries >= EMPHASIS_BUDGET) return undefined;
    const window = windowed(src, maskedSrc, delimiter);
    if (!window) return undefined;
    this.emphasisTries++;
    return this.nestedInline(() => parse(window[0], window[1]));
  }
}

const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;

/**
 * `src` up to the line where a block quote would resume for the (QUOTE_MAX_RETURNS + 1)th time
 * after lazy lines, or whole. Reads the quote's lines only: it stops at the first blank line.
 */
function quoteUntilReturns(src: string, quoteStart: RegExp): string {
  // Not a quote (the lexer asks at every block): nothing to read.
  if (!quoteStart.test(src)) return src;
  let returns = 0;
  let lazy = false;
  let start = 0;
  while (start < src.length) {
    let end = src.indexOf("\n", start);
    if (end < 0) end = src.length;
    const line = src.slice(start, end);
    if (quoteStart.test(line)) {
      if (lazy && ++returns > QUOTE_MAX_RETURNS) return src.slice(0, start - 1);
      lazy = false;
    } else if (!line.trim()) {
      break;
    } else {
      lazy = true;
    }
    start = end + 1;
  }
  return src;
}

function runLength(s: string, c: string): number {
  let n = 0;
  while (n < s.length && s[n] === c) n++;
  return n;
}

/**
 * `src` cut to the window, and the masked text from two characters before the run of `delimiter`
 * that `src` starts in to the end of the window; null when the run is too long to be emphasis.
 * The window ends after EMPHASIS_WINDOW characters or EMPHASIS_MAX_RUNS further delimiter runs,
 * whichever comes first: marked examines every run in it.
 */
function windowed(src: string, maskedSrc: string, delimiter: string): [string, string] | null {
  const at = maskedSrc.length - src.length;
  let runStart = at;
  while (runStart > 0 && maskedSrc[runStart - 1] === delimiter) {
    if (at - --runStart > EMPHASIS_MAX_RUN) return null;
  }
  let runEnd = at;
  while (runEnd < maskedSrc.length && maskedSrc[runEnd] === delimiter) {
    if (++runEnd - runStart > EMPHASIS_MAX_RUN) return null;
  }
  // The window ends before a run, never inside or right after one: marked reads the character
  // after a closer to classify it.
  const limit = at + Math.min(src.length, EMPHASIS_WINDOW);
  let end = limit;
  DELIMITER_RUNS.lastIndex = runEnd;
  for (let runs = 0; ; runs++) {
    const found = DELIMITER_RUNS.exec(maskedSrc);
    if (!found || found.index >= limit) break;
    if (runs === EMPHASIS_MAX_RUNS || (limit < maskedSrc.length && found.index + found[0].length >= limit)) {
      end = found.index;
      break;
    }
  }
  const from = Math.max(0, runStart - 2);
  if (from === 0 && end === maskedSrc.length) return [src, maskedSrc];
  return [src.slice(0, end - at), maskedSrc.slice(from, end)];
}

const DELIMITER_RUNS = /[*_~]+/g;

function hasDefinitions(links: object | undefined): boolean {
  for (const _ in links) return true;
  return false;
}

/** How many cells marked's table tokenizer finds in a header row (its splitCells, counting only). */
function countCells(row: string, other: Tokenizer["rules"]["other"]): number {
  const spaced = row.replace(other.findPipe, (_match: string, offset: number, whole: string) => {
    let escaped = false;
    for (let i = offset - 1; i >= 0 && whole[i] === "\\"; i--) escaped = !escaped;
    return escaped ? "|" : " |";
  });
  const cells = spaced.split(other.splitPipe);
  if (!cells[0]!.trim()) cells.shift();
  if (cells.length > 0 && !cells.at(-1)?.trim()) cells.pop();
  return cells.length;
}

export type { Tokens };
