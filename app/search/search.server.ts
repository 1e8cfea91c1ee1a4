import { sql } from "drizzle-orm";
import { engineOf, rows as rawRows, tables, type AppDb, type Schema } from "~db/engine";

export const SEARCH_PAGE_SIZE = 20;
/**
 * Counting stops here: past a thousand hits nobody pages through them, and counting every match of
 * a one-word query over a million comments costs as much as ranking them. The page says "more than
 * 1,000" and suggests adding words.
 */
export const SEARCH_COUNT_LIMIT = 1000;
import { SEARCH_KINDS, type SearchKind } from "./kinds";
import { commentPath, projectPath, proposalPath, threadPath } from "~/content/links";
import { publishedSql } from "~/content/visibility.server";
import { paginate } from "~/paginate";
export { SEARCH_KINDS, type SearchKind };

/** The words of what a person typed (at most 12), as the index compares them. */
function queryWords(input: string): string[] {
  return input
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);
}

/**
 * Turns the words into an FTS5 query: each word quoted (so operators and punctuation are plain
 * text), prefix-matched and joined with OR, so ranking rather than an all-words rule decides what
 * comes first. No stemmer exists for Indonesian in SQLite; prefixes catch "banjir" in
 * "kebanjiran" only from the start, which is the honest limit.
 */
function toFtsQuery(words: string[]): string {
  return words.map((w) => `"${w.replace(/"/g, "")}"*`).join(" OR ");
}

/** Lower case without accents, as the index's tokenizer (unicode61, remove_diacritics 2) folds words. */
const fold = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Token {
  start: number;
  end: number;
  hit: boolean;
}

function tokensOf(text: string, folded: string[]): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => {
    const word = fold(m[0]);
    return { start: m.index, end: m.index + m[0].length, hit: folded.some((w) => word.startsWith(w)) };
  });
}

/** Escaped HTML of `text` from `from` to `to`, with <mark> around the words that match: the only markup. */
function marked(text: string, tokens: Token[], from: number, to: number): string {
  let html = "";
  let at = from;
  for (const token of tokens) {
    if (!token.hit || token.start < from || token.end > to) continue;
    html += `${escapeHtml(text.slice(at, token.start))}<mark>${escapeHtml(text.slice(token.start, token.end))}</mark>`;
    at = token.end;
  }
  return html + escapeHtml(text.slice(at, to));
}

/** The whole text, matches marked (titles). */
export function highlightHtml(text: string, words: string[]): string {
  return marked(text, tokensOf(text, words.map(fold)), 0, text.length);
}

const SNIPPET_TOKENS = 16;

/** About sixteen words around the first match (from the start when none), "…" where text was cut. */
export function snippetHtml(text: string, words: string[]): string {
  const tokens = tokensOf(text, words.map(fold));
  if (!tokens.length) return "";
  const first = Math.max(
    0,
    tokens.findIndex((t) => t.hit),
  );
  const from = Math.max(0, Math.min(first - 3, tokens.length - SNIPPET_TOKENS));
  const to = Math.min(tokens.length, from + SNIPPET_TOKENS) - 1;
  const cutBefore = from > 0;
  const cutAfter = to < tokens.length - 1;
  const html = marked(text, tokens, cutBefore ? tokens[from]!.start : 0, cutAfter ? tokens[to]!.end : text.length);
  return `${cutBefore ? "…" : ""}${html.trim()}${cutAfter ? "…" : ""}`;
}

export interface SearchHit {
  kind: SearchKind;
  id: number;
  /** Escaped HTML; <mark> around matches where the title itself matched. */
  titleHtml: string;
  snippetHtml: string;
  link: string;
  projectTitle: string;
}

/** The index's rowid is id * 4 + this code (db/migrations/0002_search.sql). */
const KIND_CODE: Record<SearchKind, number> = { project: 0, thread: 1, comment: 2, proposal: 3 };

/**
 * How many of the newest matching comments are ranked. Projects, threads and proposals that match
 * are all ranked; comments are most of the index (a million in a large city), and ranking every
 * comment that holds a common word costs a second of a single-threaded server. Past this many, a
 * search ranks the newest and says there are more; adding a word narrows it.
 */
export const RANKED_COMMENTS = 5000;

/**
 * The matches that are ranked, with their bm25 score (title weighs four times the body) where the
 * page needs it. One pass over the index: kinds are told apart by the rowid alone, so its stored
 * columns are never read while matching, and comments older than the newest `ranked` matching
 * ones are left out by rowid.
 */
function candidates(query: string, kind: SearchKind | null, ranked: number, withScore: boolean) {
  const oldestRanked = sql`coalesce((select rowid from search_index where search_index match ${query} and rowid % 4 = 2
    order by rowid desc limit 1 offset ${ranked - 1}), 0)`;
  const filter =
    kind === null
      ? sql`(rowid % 4 <> 2 or rowid >= ${oldestRanked})`
      : kind === "comment"
        ? sql`rowid % 4 = 2 and rowid >= ${oldestRanked}`
        : sql`rowid % 4 = ${KIND_CODE[kind]}`;
  return sql`select rowid as rid${withScore ? sql`, bm25(search_index, 4.0, 1.0) as score` : sql``}
    from search_index where search_index match ${query} and ${filter}`;
}

/**
 * The ranked matches a visitor may see, shared by the count and the page so that the total is
 * exactly what can be paged through. The index's triggers keep only content that is itself
 * published, but not whether its container still is: a project moved back to draft, a hidden
 * thread around a comment, a hidden proposal around its discussion. Every join is a primary-key
 * lookup per candidate.
 */
function visibleMatches(t: Schema, query: string, kind: SearchKind | null, rankedComments: number, withScore: boolean) {
  const { comments, projects, proposals, threads } = t;
  const { THREAD, PROPOSAL, COMMENT } = visibilityColumns(t);
  return sql`
    from (${candidates(query, kind, rankedComments, withScore)}) c
    left join ${comments} on c.rid % 4 = 2 and ${comments.id} = c.rid / 4
    left join ${threads} on ${threads.id} = case c.rid % 4 when 1 then c.rid / 4 when 2 then ${comments.threadId} end
    left join ${proposals} on ${proposals.id} = case c.rid % 4 when 3 then c.rid / 4 when 2 then ${threads.proposalId} end
    join ${projects} on ${projects.id} = case c.rid % 4 when 0 then c.rid / 4 when 1 then ${threads.projectId} when 2 then ${comments.projectId} else ${proposals.projectId} end
      and ${projects.phase} <> 'draft'
    where case c.rid % 4
        when 0 then 1
        when 1 then ${publishedSql(THREAD)} and ${threads.proposalId} is null
        when 3 then ${publishedSql(PROPOSAL)}
        when 2 then ${publishedSql(COMMENT)}
        else 0
      end`;
}

/** Search shows what everybody reads (app/content/visibility.server.ts): published, inside published. */
function visibilityColumns({ comments, proposals, threads }: Schema) {
  const THREAD = { kind: "thread", visibility: threads.visibility, authorId: threads.authorId } as const;
  const PROPOSAL = { kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId } as const;
  /** A comment in a proposal's discussion is shown only while the proposal itself is public. */
  const COMMENT = {
    kind: "comment",
    visibility: comments.visibility,
    authorId: comments.authorId,
    container: { ...THREAD, container: { ...PROPOSAL, presentWhen: threads.proposalId } },
  } as const;
  return { THREAD, PROPOSAL, COMMENT };
}

const KINDS_BY_CODE = ["project", "thread", "comment", "proposal"] as const satisfies readonly SearchKind[];

/**
 * Ranked, paginated search over published content: two queries (the count and the page),
 * whatever the size of the index or the page, both applying the same visibility rules in SQL.
 * Snippets are cut from the page's own rows, in JavaScript, with the index's notion of a word.
 * SQLite's FTS5 index only: search on PostgreSQL is a slice of its own (decision 012), and
 * until it is built a search there fails loudly rather than finding nothing.
 */
export async function search(
  db: AppDb,
  input: string,
  page = 1,
  kind: SearchKind | null = null,
  { countLimit = SEARCH_COUNT_LIMIT, rankedComments = RANKED_COMMENTS }: { countLimit?: number; rankedComments?: number } = {},
) {
  const words = queryWords(input);
  if (!words.length) return { hits: [] as SearchHit[], total: 0, more: false, page: 1, pageCount: 1 };
  if (engineOf(db) === "pg") throw new Error("search on PostgreSQL is not built yet");
  const query = toFtsQuery(words);
  const t = tables(db);
  const { projects, threads, comments, proposals } = t;
  const [counts] = await rawRows<{ n: number; moreComments: number }>(
    db,
    sql`select
    (select count(*) from (select 1 ${visibleMatches(t, query, kind, rankedComments, false)} limit ${countLimit + 1})) as n,
    (select rowid from search_index where search_index match ${query} and rowid % 4 = 2
      order by rowid desc limit 1 offset ${rankedComments}) is not null as moreComments`,
  );
  const counted = counts?.n ?? 0;
  // `more`: there are hits beyond what is counted or ranked; `total` is what the pages cover.
  const more = counted > countLimit || ((kind === null || kind === "comment") && Boolean(counts?.moreComments));
  const total = Math.min(counted, countLimit);
  const { offset, pageCount } = paginate(total, page, SEARCH_PAGE_SIZE);
  const rows = await rawRows<{
    rid: number;
    projectSlug: string;
    projectTitle: string;
    projectText: string;
    threadId: number | null;
    threadTitle: string | null;
    threadBody: string | null;
    threadProposalId: number | null;
    commentBody: string | null;
    proposalTitle: string | null;
    proposalBody: string | null;
  }>(
    db,
    sql`
    select c.rid as rid,
      ${projects.slug} as projectSlug, ${projects.title} as projectTitle,
      case c.rid % 4 when 0 then ${projects.summary} || char(10) || ${projects.bodySource} end as projectText,
      ${threads.id} as threadId, ${threads.title} as threadTitle, ${threads.proposalId} as threadProposalId,
      case c.rid % 4 when 1 then ${threads.bodySource} end as threadBody,
      ${comments.bodySource} as commentBody,
      ${proposals.title} as proposalTitle, case c.rid % 4 when 3 then ${proposals.bodySource} end as proposalBody
    ${visibleMatches(t, query, kind, rankedComments, true)}
    order by c.score, c.rid
    limit ${SEARCH_PAGE_SIZE} offset ${offset}`,
  );
  const hits = rows.map((r): SearchHit => {
    const kindOf = KINDS_BY_CODE[r.rid % 4]!;
    const id = Math.floor(r.rid / 4);
    const slug = r.projectSlug;
    const found = { kind: kindOf, id, projectTitle: r.projectTitle };
    switch (kindOf) {
      case "project":
        return { ...found, titleHtml: highlightHtml(r.projectTitle, words), snippetHtml: snippetHtml(r.projectText, words), link: projectPath(slug) };
      case "thread":
        return {
          ...found,
          titleHtml: highlightHtml(r.threadTitle ?? "", words),
          snippetHtml: snippetHtml(r.threadBody ?? "", words),
          link: threadPath(slug, { id, proposalId: null }),
        };
      case "proposal":
        return {
          ...found,
          titleHtml: highlightHtml(r.proposalTitle ?? "", words),
          snippetHtml: snippetHtml(r.proposalBody ?? "", words),
          link: proposalPath(slug, id),
        };
      case "comment": {
        const link = commentPath(slug, { id: r.threadId!, proposalId: r.threadProposalId }, id);
        return { ...found, titleHtml: escapeHtml(r.threadTitle ?? ""), snippetHtml: snippetHtml(r.commentBody ?? "", words), link };
      }
    }
  });
  return { hits, total, more, page, pageCount };
}
