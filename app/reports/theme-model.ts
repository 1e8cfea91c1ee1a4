import type { Stance } from "~db/schema/values";
import { excerpt, isPhrase, plainText, termsOf } from "./text";

/**
 * Themes from the text itself, offline: which words and two-word phrases a project's comments use
 * far more often than the rest of the city's comments (a log-odds ratio with an informative
 * Dirichlet prior, Monroe, Colaresi & Quinn 2008, over document frequencies), merged into a few
 * readable themes. Pure functions over counts, so the same code runs on a test fixture and on a
 * streamed project of 200,000 comments.
 */

export interface ThemeOptions {
  /** z-score a term needs to stand out from the city. */
  minZ: number;
  /** When few terms reach minZ (a small city), terms down to this z-score fill the candidates. */
  relaxedZ: number;
  /** Terms considered before merging. */
  maxCandidates: number;
  maxThemes: number;
  /** Strength of the prior (pseudo-documents spread over the vocabulary as the pooled frequencies). */
  priorStrength: number;
  quotesPerTheme: number;
}

/** Tuned on the demo city (tens of comments per project) and the synthetic large city. */
export const THEME_OPTIONS: ThemeOptions = { minZ: 1.5, relaxedZ: 1.0, maxCandidates: 40, maxThemes: 10, priorStrength: 100, quotesPerTheme: 3 };
/**
 * A comment is read with the title of its thread: under "Biaya Rp4,85 miliar, rinciannya
 * bagaimana?" a comment about "anggarannya" is about cost. Title terms count this much of the
 * comment's own words.
 */
export const CONTEXT_WEIGHT = 0.5;
/** Terms a theme shows (its strongest). */
export const TERMS_PER_THEME = 8;

/** Document frequencies: in how many comments each term occurs, and of how many comments. */
export class TermCounts {
  readonly df = new Map<string, number>();
  /** How each term was written, and how often (kept for the project, to label themes). */
  readonly forms: Map<string, Map<string, number>> | null;
  docs = 0;

  constructor({ keepForms = false } = {}) {
    this.forms = keepForms ? new Map() : null;
  }

  /** One comment: its own terms count 1, terms only of its context (the thread's title) count half. */
  add(terms: Map<string, string>, context: Map<string, string> | null = null) {
    this.docs++;
    if (context) {
      for (const [term, form] of context) {
        if (terms.has(term)) continue;
        this.df.set(term, (this.df.get(term) ?? 0) + CONTEXT_WEIGHT);
        this.addForm(term, form, CONTEXT_WEIGHT);
      }
    }
    for (const [term, form] of terms) {
      this.df.set(term, (this.df.get(term) ?? 0) + 1);
      this.addForm(term, form, 1);
    }
  }

  private addForm(term: string, form: string, weight: number) {
    if (!this.forms) return;
    let forms = this.forms.get(term);
    if (!forms) this.forms.set(term, (forms = new Map()));
    forms.set(form, (forms.get(form) ?? 0) + weight);
  }

  addDoc(doc: Pick<ThemeDoc, "text" | "context">) {
    this.add(termsOf(doc.text), doc.context ? termsOf(doc.context) : null);
  }

  /** The form a term was written in most often ("genangan" for the stem "genang"). */
  formOf(term: string): string {
    const forms = this.forms?.get(term);
    if (!forms) return term;
    let best = term;
    let bestCount = -1;
    for (const [form, n] of forms) if (n > bestCount || (n === bestCount && form < best)) [best, bestCount] = [form, n];
    return best;
  }

  /** Terms seen fewer than `minCount` times in a large sample are noise; dropping them bounds memory. */
  prune(minCount: number) {
    for (const [term, n] of this.df) {
      if (n >= minCount) continue;
      this.df.delete(term);
      this.forms?.delete(term);
    }
  }
}

export interface ScoredTerm {
  term: string;
  z: number;
  df: number;
}

/** Terms of the project far more frequent than in the background, strongest first. */
export function distinctiveTerms(project: TermCounts, background: TermCounts, options: ThemeOptions = THEME_OPTIONS): ScoredTerm[] {
  const minDf = Math.max(2, Math.ceil(project.docs * 0.005));
  const scored: ScoredTerm[] = [];
  // Words and phrases are weighed each against their own kind, so phrases' smaller counts are not
  // drowned by words'.
  for (const phrases of [false, true]) {
    let nP = 0;
    let nB = 0;
    for (const [term, n] of project.df) if (isPhrase(term) === phrases) nP += n;
    for (const [term, n] of background.df) if (isPhrase(term) === phrases) nB += n;
    const total = nP + nB;
    if (nP === 0 || total === 0) continue;
    const a0 = options.priorStrength;
    for (const [term, yP] of project.df) {
      if (isPhrase(term) !== phrases || yP < minDf) continue;
      const yB = background.df.get(term) ?? 0;
      const a = (a0 * (yP + yB)) / total;
      const delta = Math.log((yP + a) / (nP + a0 - yP - a)) - Math.log((yB + a) / (nB + a0 - yB - a));
      const z = delta / Math.sqrt(1 / (yP + a) + 1 / (yB + a));
      if (z >= options.relaxedZ) scored.push({ term, z, df: yP });
    }
  }
  scored.sort((a, b) => b.z - a.z || b.df - a.df || a.term.localeCompare(b.term));
  // Little data gives small z-scores even to clear topics: then weaker terms may fill the list.
  const strong = scored.filter((t) => t.z >= options.minZ);
  const enough = Math.ceil(options.maxCandidates / 2);
  return (strong.length >= enough ? strong : scored).slice(0, options.maxCandidates);
}

export interface ThemeDefinition {
  label: string;
  /** Terms (stems) strongest first; a phrase's own words are included when they stand out themselves. */
  stems: string[];
  /** The same terms as people wrote them, for display. */
  terms: string[];
  weight: number;
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase("id") + s.slice(1);

/**
 * Merges overlapping terms into themes: a phrase absorbs its words ("sumur resapan" takes "sumur"
 * and "resapan"), a word joins the theme whose phrase contains it. The label is the strongest
 * phrase around the theme's strongest word, else that word, as people wrote it most often.
 */
export function mergeIntoThemes(terms: ScoredTerm[], formOf: (term: string) => string, options: ThemeOptions = THEME_OPTIONS): ThemeDefinition[] {
  const groups: { terms: ScoredTerm[]; words: Set<string> }[] = [];
  const find = (words: string[]) => groups.find((g) => words.some((w) => g.words.has(w)));
  // Phrases first, so each word finds the phrase that absorbs it whatever their order by score.
  const ordered = [...terms.filter((t) => isPhrase(t.term)), ...terms.filter((t) => !isPhrase(t.term))];
  for (const t of ordered) {
    const words = t.term.split(" ");
    const group = find(words);
    if (group) {
      group.terms.push(t);
      for (const w of words) group.words.add(w);
    } else {
      groups.push({ terms: [t], words: new Set(words) });
    }
  }
  return groups
    .map((g) => {
      const sorted = g.terms.sort((a, b) => b.z - a.z);
      const topWord = sorted.find((t) => !isPhrase(t.term));
      // The strongest phrase around the strongest word names the theme ("titik genangan"), else the word.
      // A phrase whose other word belongs to a stronger phrase is a fragment ("sosialisasi tatap" of
      // "sosialisasi tatap muka") and is passed over.
      const fragment = (t: ScoredTerm, word: string) => {
        const other = t.term.split(" ").find((w) => w !== word);
        const single = new Set(sorted.filter((u) => !isPhrase(u.term)).map((u) => u.term));
        return sorted.some(
          (u) =>
            u !== t &&
            u.z > t.z &&
            isPhrase(u.term) &&
            !u.term.split(" ").includes(word) &&
            u.term.split(" ").includes(other!) &&
            u.term.split(" ").every((w) => single.has(w)),
        );
      };
      const phrase =
        topWord && sorted.find((t) => isPhrase(t.term) && t.term.split(" ").includes(topWord.term) && t.z >= topWord.z * 0.5 && !fragment(t, topWord.term));
      const label = phrase ?? topWord ?? sorted[0]!;
      return {
        label: capitalise(formOf(label.term)),
        stems: sorted.map((t) => t.term),
        terms: sorted.map((t) => formOf(t.term)),
        weight: sorted.reduce((s, t) => s + t.z, 0),
      };
    })
    .sort((a, b) => b.weight - a.weight)
    .slice(0, options.maxThemes * 2);
}

export interface ThemeDoc {
  /** Unique within the computation: "c12" (comment), "t3" (thread's opening post), "p7" (proposal). */
  key: string;
  stance: Stance | null;
  text: string;
  /** The thread's title, for a comment. */
  context?: string | null;
}

export interface ThemeResult extends ThemeDefinition {
  commentCount: number;
  stance: { support: number; oppose: number; neutral: number; none: number };
  quotes: { key: string; excerpt: string }[];
}

interface QuoteCandidate {
  key: string;
  score: number;
  excerpt: string;
}

type StanceCounts = ThemeResult["stance"];

/**
 * Counts, for each theme, the comments carrying any of its terms, their stances, and keeps the
 * comments with the most theme terms as quote candidates. Fed one comment at a time.
 */
export class ThemeTally {
  private readonly results: (ThemeResult & { candidates: QuoteCandidate[]; docs: Map<string, keyof StanceCounts> | null })[];
  private readonly termWeight: Map<string, number>[];

  constructor(
    themes: ThemeDefinition[],
    scores: Map<string, number>,
    private readonly options: ThemeOptions = THEME_OPTIONS,
    /**
     * Keeps which comments carry each theme, so near-duplicate themes can be merged exactly:
     * for a sample or a small project. A full pass over a large project runs without it.
     */
    trackDocs = true,
  ) {
    this.results = themes.map((t) => ({
      ...t,
      stems: [...t.stems],
      terms: [...t.terms],
      commentCount: 0,
      stance: { support: 0, oppose: 0, neutral: 0, none: 0 },
      quotes: [],
      candidates: [],
      docs: trackDocs ? new Map() : null,
    }));
    this.termWeight = themes.map((t) => new Map(t.stems.map((term) => [term, scores.get(term) ?? 1])));
  }

  add(doc: ThemeDoc, terms: Map<string, string> = termsOf(doc.text), context: Map<string, string> | null = doc.context ? termsOf(doc.context) : null) {
    this.results.forEach((theme, i) => {
      let score = 0;
      for (const [term, weight] of this.termWeight[i]!) {
        if (terms.has(term)) score += weight;
        else if (context?.has(term)) score += weight * CONTEXT_WEIGHT;
      }
      if (score === 0) return;
      const stance = doc.stance ?? "none";
      theme.commentCount++;
      theme.stance[stance]++;
      theme.docs?.set(doc.key, stance);
      this.offerQuote(theme.candidates, { key: doc.key, score, excerpt: "" }, doc.text);
    });
  }

  private offerQuote(list: QuoteCandidate[], candidate: QuoteCandidate, text: string) {
    const keep = this.options.quotesPerTheme * 4;
    // A quote reads best when it says something: very short comments rank below longer ones.
    candidate.score += Math.min(text.length, 240) / 2400;
    if (list.length >= keep && list[list.length - 1]!.score >= candidate.score) return;
    candidate.excerpt = excerpt(plainText(text));
    // The same words posted twice are one quote.
    const same = list.findIndex((c) => c.excerpt === candidate.excerpt);
    if (same >= 0) {
      if (list[same]!.score >= candidate.score) return;
      list.splice(same, 1);
    }
    list.push(candidate);
    list.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
    if (list.length > keep) list.pop();
  }

  /**
   * Themes carried by at least `minComments` comments, with their quotes. When the comments were
   * tracked, a theme whose comments mostly (75 %) carry a stronger theme is merged into it, and
   * the merged theme counts the union of both.
   */
  finish(minComments = 2): ThemeResult[] {
    const kept: typeof this.results = [];
    for (const theme of this.results) {
      const twin = theme.docs ? kept.find((k) => overlap(k.docs!, theme.docs!) >= 0.75) : undefined;
      if (!twin) {
        kept.push(theme);
        continue;
      }
      twin.terms.push(...theme.terms.filter((term) => !twin.terms.includes(term)));
      twin.stems.push(...theme.stems.filter((term) => !twin.stems.includes(term)));
      twin.weight += theme.weight;
      for (const [key, stance] of theme.docs!) {
        if (twin.docs!.has(key)) continue;
        twin.docs!.set(key, stance);
        twin.commentCount++;
        twin.stance[stance]++;
      }
      for (const c of theme.candidates) if (!twin.candidates.some((t) => t.key === c.key || t.excerpt === c.excerpt)) twin.candidates.push(c);
      twin.candidates.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
    }
    const themes = kept
      .filter((t) => t.commentCount >= minComments)
      .sort((a, b) => b.commentCount - a.commentCount || b.weight - a.weight)
      .slice(0, this.options.maxThemes);
    const quoted = new Set<string>();
    return themes.map(({ candidates, docs: _docs, ...theme }) => {
      // Prefer comments not already quoted under another theme.
      const fresh = candidates.filter((c) => !quoted.has(c.key));
      const chosen = [...fresh, ...candidates.filter((c) => quoted.has(c.key))].slice(0, this.options.quotesPerTheme);
      for (const c of chosen) quoted.add(c.key);
      return { ...theme, terms: displayTerms(theme.terms), quotes: chosen.map((c) => ({ key: c.key, excerpt: c.excerpt })) };
    });
  }
}

/** The terms a theme shows: a word already inside one of its phrases is not repeated. */
function displayTerms(terms: string[]): string[] {
  const phrases = terms.filter(isPhrase);
  const unique = [...new Set(terms)];
  return unique.filter((t) => isPhrase(t) || !phrases.some((p) => p.split(" ").includes(t))).slice(0, TERMS_PER_THEME);
}

/** Share of the smaller set that lies in the larger. */
function overlap(a: Map<string, unknown>, b: Map<string, unknown>) {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let n = 0;
  for (const key of small.keys()) if (large.has(key)) n++;
  return n / small.size;
}

/** The whole computation over in-memory comments (tests, small projects). */
export function themesOf(project: ThemeDoc[], background: Pick<ThemeDoc, "text" | "context">[], options: ThemeOptions = THEME_OPTIONS): ThemeResult[] {
  const fg = new TermCounts({ keepForms: true });
  const parsed = project.map((doc) => ({ own: termsOf(doc.text), context: doc.context ? termsOf(doc.context) : null }));
  for (const p of parsed) fg.add(p.own, p.context);
  const bg = new TermCounts();
  for (const doc of background) bg.addDoc(doc);
  const scored = distinctiveTerms(fg, bg, options);
  const themes = mergeIntoThemes(scored, (t) => fg.formOf(t), options);
  const tally = new ThemeTally(themes, new Map(scored.map((s) => [s.term, s.z])), options);
  project.forEach((doc, i) => tally.add(doc, parsed[i]!.own, parsed[i]!.context));
  return tally.finish();
}
