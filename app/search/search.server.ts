import { sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { comments, projects, proposals, threads } from "~db/schema";

export const SEARCH_PAGE_SIZE = 20;
/**
 * Counting stops here: past a thousand hits nobody pages through them, and counting every match of
 * a one-word query over a million comments costs as much as ranking them. The page says "more than
 * 1,000" and suggests adding words.
 */
export const SEARCH_COUNT_LIMIT = 1000;
import { SEARCH_KINDS, type SearchKind } from "./kinds";
export { SEARCH_KINDS, type SearchKind };

/**
 * Turns what a person typed into an FTS5 query: each word quoted (so operators and punctuation
 * are plain text), prefix-matched and joined with OR, so ranking rather than an all-words rule
 * decides what comes first. No stemmer exists for Indonesian in SQLite; prefixes
 * catch "banjir" in "kebanjiran" only from the start, which is the honest limit.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);
  if (!words.length) return null;
  // Any of the words, ranked by bm25: results holding more of them come first.
  return words.map((w) => `"${w.replace(/"/g, "")}"*`).join(" OR ");
}

const MARK_OPEN = "\u0001";
const MARK_CLOSE = "\u0002";

/** Escapes the snippet, then turns FTS5's markers into <mark>: the only HTML in the result. */
export function snippetToHtml(snippet: string): string {
  return snippet
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)
    .replaceAll(MARK_OPEN, "<mark>")
    .replaceAll(MARK_CLOSE, "</mark>");
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

/**
 * The hits a visitor may see, shared by the count and the page so that the total is exactly what
 * can be paged through. The index's triggers keep only content that is itself published, but not
 * whether its container still is: a project moved back to draft, a hidden thread around a comment,
 * a hidden proposal around its discussion. Every join is a primary-key lookup per FTS match.
 */
function visibleMatches(query: string, kind: SearchKind | null) {
  return sql`
    from search_index
    join ${projects} on ${projects.id} = search_index.project_id and ${projects.phase} <> 'draft'
    left join ${comments} on search_index.kind = 'comment' and ${comments.id} = search_index.rowid / 4
    left join ${threads} on ${threads.id} = case search_index.kind when 'thread' then search_index.rowid / 4 when 'comment' then ${comments.threadId} end
    left join ${proposals} on ${proposals.id} = case search_index.kind when 'proposal' then search_index.rowid / 4 when 'comment' then ${threads.proposalId} end
    where search_index match ${query}${kind ? sql` and search_index.kind = ${kind}` : sql``}
      and case search_index.kind
        when 'project' then 1
        when 'thread' then ${threads.visibility} = 'published' and ${threads.proposalId} is null
        when 'proposal' then ${proposals.visibility} = 'published'
        -- A comment in a proposal's discussion is shown only while the proposal itself is public.
        when 'comment' then ${comments.visibility} = 'published' and ${threads.visibility} = 'published'
          and (${threads.proposalId} is null or ${proposals.visibility} = 'published')
        else 0
      end`;
}

/**
 * Ranked, paginated search over published content: two queries (the count and the page),
 * whatever the size of the index or the page, both applying the same visibility rules in SQL.
 */
export function search(db: Db, input: string, page = 1, kind: SearchKind | null = null, countLimit = SEARCH_COUNT_LIMIT) {
  const query = toFtsQuery(input);
  if (!query) return { hits: [] as SearchHit[], total: 0, more: false, page: 1, pageCount: 1 };
  const matches = visibleMatches(query, kind);
  const counted = db.get<{ n: number }>(sql`select count(*) as n from (select 1 ${matches} limit ${countLimit + 1})`)?.n ?? 0;
  // `more`: there are over `countLimit` hits; `total` is then the limit, and the pages cover it.
  const more = counted > countLimit;
  const total = Math.min(counted, countLimit);
  const rows = db.all<{
    rowid: number;
    kind: SearchKind;
    projectSlug: string;
    projectTitle: string;
    threadId: number | null;
    threadTitle: string | null;
    threadProposalId: number | null;
    snippet: string;
    titleHtml: string;
  }>(sql`
    select search_index.rowid as rowid, search_index.kind as kind,
      ${projects.slug} as projectSlug, ${projects.title} as projectTitle,
      ${threads.id} as threadId, ${threads.title} as threadTitle, ${threads.proposalId} as threadProposalId,
      snippet(search_index, 1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 16) as snippet,
      highlight(search_index, 0, ${MARK_OPEN}, ${MARK_CLOSE}) as titleHtml
    ${matches}
    order by bm25(search_index, 4.0, 1.0), search_index.rowid
    limit ${SEARCH_PAGE_SIZE} offset ${(page - 1) * SEARCH_PAGE_SIZE}`);
  const hits = rows.map((r): SearchHit => {
    const id = Math.floor(r.rowid / 4);
    const base = `/projects/${r.projectSlug}`;
    const found = { kind: r.kind, id, snippetHtml: snippetToHtml(r.snippet), projectTitle: r.projectTitle };
    switch (r.kind) {
      case "project":
        return { ...found, titleHtml: snippetToHtml(r.titleHtml), link: base };
      case "thread":
        return { ...found, titleHtml: snippetToHtml(r.titleHtml), link: `${base}/threads/${id}` };
      case "proposal":
        return { ...found, titleHtml: snippetToHtml(r.titleHtml), link: `${base}/proposals/${id}` };
      case "comment": {
        const container = r.threadProposalId ? `${base}/proposals/${r.threadProposalId}` : `${base}/threads/${r.threadId}`;
        return { ...found, titleHtml: snippetToHtml(r.threadTitle ?? ""), link: `${container}?comment=${id}#comment-${id}` };
      }
    }
  });
  return { hits, total, more, page, pageCount: Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE)) };
}
