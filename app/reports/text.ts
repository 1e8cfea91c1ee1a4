import { isStopword } from "./stopwords";

/**
 * Plain text from a comment's Markdown source: links keep their text, bare URLs, e-mail
 * addresses, code, HTML tags and Markdown markers go. Used for theme terms and for quotes.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>\n]{1,200}>/g, " ")
    .replace(/\b(?:https?:\/\/|www\.)\S+/gi, " ")
    .replace(/\S+@\S+\.\S+/g, " ")
    .replace(/&[a-z]+;|&#\d+;/gi, " ")
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/(\*\*|__|~~|\*|_(?=\S))/g, "")
    .replace(/\|/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lower-case, without diacritics: "Genangan" and "genangán" are one word. */
function fold(text: string) {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/['’]/g, "");
}

/**
 * A light stemmer, only to group the forms of one word ("genangan", "tergenang", "menggenang";
 * "lebar", "pelebaran", "dilebarkan"; "flood", "floods", "flooding"). A stem is never shown: a
 * theme is labelled with the form people wrote most often. Affixes come off only when at least
 * four letters remain, so short roots ("jalan", "air") stay whole.
 */
export function stem(word: string): string {
  let w = word;
  const strip = (suffix: string) => {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      return true;
    }
    return false;
  };
  // Possessive and derivational suffixes (Indonesian), then English inflections.
  strip("nya");
  if (!strip("kan")) strip("an");
  if (!strip("ing")) if (!w.endsWith("ss")) strip("s");
  // Prefixes, longest first; nasal prefixes restore the root's first letter where it is regular.
  const prefixes: [string, string][] = [
    ["meny", "s"],
    ["peny", "s"],
    ["meng", ""],
    ["peng", ""],
    ["mem", ""],
    ["pem", ""],
    ["men", ""],
    ["pen", ""],
    ["ber", ""],
    ["per", ""],
    ["ter", ""],
    ["me", ""],
    ["pe", ""],
    ["di", ""],
    ["ke", ""],
    ["be", ""],
  ];
  for (const [prefix, restore] of prefixes) {
    if (w.startsWith(prefix) && w.length - prefix.length + restore.length >= 4) {
      const rest = w.slice(prefix.length);
      // "meny-"/"peny-" before a vowel stand for a root in s- (menyempit → sempit).
      if (restore && !/^[aeiou]/.test(rest)) continue;
      w = restore + rest;
      break;
    }
  }
  return w;
}

/** Indonesian "-nya" ("airnya", "anggarannya") is the word itself for a topic. */
function baseWord(word: string): string {
  if (word.length >= 6 && word.endsWith("nya")) return word.slice(0, -3);
  return word;
}

/**
 * The content words of a text in order, with `null` where a stop word, number or short word
 * stood, so that two-word phrases are only formed by words that were really next to each other.
 * Reduplicated plurals ("gang-gang") count as the word; other hyphenated words split.
 */
export function contentTokens(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  // Words, and punctuation that ends a phrase ("miliar, rinciannya" is not a phrase).
  for (const match of fold(plainText(text)).matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*|[.,;:!?()"“”—–]/gu)) {
    const raw = match[0];
    if (!/[\p{L}\p{N}]/u.test(raw)) {
      out.push(null);
      continue;
    }
    const parts = raw.split("-");
    const words = parts.every((p) => p === parts[0]) ? [parts[0]!] : parts;
    for (const w of words) {
      const word = baseWord(w);
      if (word.length < 3 || /\p{N}/u.test(word) || isStopword(word) || isStopword(w)) out.push(null);
      else out.push(word);
    }
  }
  return out;
}

/**
 * The distinct terms of a text — stems of words and of two-word phrases ("sumur resap") — each
 * with the form it was written in ("sumur resapan"): what a comment "carries".
 */
export function termsOf(text: string): Map<string, string> {
  const tokens = contentTokens(text);
  const stems = tokens.map((t) => (t ? stem(t) : null));
  const terms = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const s = stems[i];
    if (!s) continue;
    if (!terms.has(s)) terms.set(s, tokens[i]!);
    const next = stems[i + 1];
    if (next && next !== s) {
      const key = `${s} ${next}`;
      if (!terms.has(key)) terms.set(key, `${tokens[i]} ${tokens[i + 1]}`);
    }
  }
  return terms;
}

export const isPhrase = (term: string) => term.includes(" ");

/** At most `max` characters, cut at a word boundary, with an ellipsis when cut. */
export function excerpt(text: string, max = 240): string {
  const plain = text.replace(/\s+/g, " ").trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max - 1);
  const boundary = cut.lastIndexOf(" ");
  return `${(boundary > max * 0.6 ? cut.slice(0, boundary) : cut).replace(/[\s,.;:!?–-]+$/u, "")}…`;
}
