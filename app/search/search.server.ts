import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { comments, projects, proposals, threads } from "~db/schema";

export const SEARCH_PAGE_SIZE = 20;
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
 * Ranked, paginated search over published content. One FTS query and one lookup per kind,
 * whatever the size of the index; results whose container is no longer public are dropped.
 */
export function search(db: Db, input: string, page = 1, kind: SearchKind | null = null) {
  const query = toFtsQuery(input);
  if (!query) return { hits: [] as SearchHit[], total: 0, page: 1, pageCount: 1 };
  const kindFilter = kind ? sql` and kind = ${kind}` : sql``;
  const total =
    db.get<{ n: number }>(sql`select count(*) as n from search_index where search_index match ${query}${kindFilter}`)?.n ?? 0;
  const rows = db.all<{ rowid: number; kind: SearchKind; projectId: number; snippet: string; titleHtml: string }>(sql`
    select rowid, kind, project_id as projectId,
      snippet(search_index, 1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 16) as snippet,
      highlight(search_index, 0, ${MARK_OPEN}, ${MARK_CLOSE}) as titleHtml
    from search_index
    where search_index match ${query}${kindFilter}
    order by bm25(search_index, 4.0, 1.0)
    limit ${SEARCH_PAGE_SIZE} offset ${(page - 1) * SEARCH_PAGE_SIZE}`);
  const idsOf = (k: SearchKind) => rows.filter((r) => r.kind === k).map((r) => Math.floor(r.rowid / 4));
  const projectIds = [...new Set(rows.map((r) => r.projectId))];
  const projectRows = projectIds.length
    ? db.select({ id: projects.id, slug: projects.slug, title: projects.title }).from(projects).where(and(inArray(projects.id, projectIds), ne(projects.phase, "draft"))).all()
    : [];
  const projectById = new Map(projectRows.map((p) => [p.id, p]));
  const commentIds = idsOf("comment");
  const commentRows = commentIds.length
    ? db
        .select({ id: comments.id, threadId: threads.id, threadTitle: threads.title, proposalId: threads.proposalId })
        .from(comments)
        .innerJoin(threads, eq(threads.id, comments.threadId))
        // A comment in a proposal's discussion is shown only while the proposal itself is public.
        .leftJoin(proposals, eq(proposals.id, threads.proposalId))
        .where(and(inArray(comments.id, commentIds), eq(threads.visibility, "published"), or(isNull(threads.proposalId), eq(proposals.visibility, "published"))))
        .all()
    : [];
  const commentById = new Map(commentRows.map((c) => [c.id, c]));
  const proposalIds = idsOf("proposal");
  const visibleProposals = new Set(
    proposalIds.length ? db.select({ id: proposals.id }).from(proposals).where(and(inArray(proposals.id, proposalIds), eq(proposals.visibility, "published"))).all().map((p) => p.id) : [],
  );
  const hits: SearchHit[] = [];
  for (const r of rows) {
    const id = Math.floor(r.rowid / 4);
    const project = projectById.get(r.projectId);
    if (!project) continue;
    const base = `/projects/${project.slug}`;
    if (r.kind === "project") hits.push({ kind: r.kind, id, titleHtml: snippetToHtml(r.titleHtml), snippetHtml: snippetToHtml(r.snippet), link: base, projectTitle: project.title });
    if (r.kind === "thread") hits.push({ kind: r.kind, id, titleHtml: snippetToHtml(r.titleHtml), snippetHtml: snippetToHtml(r.snippet), link: `${base}/threads/${id}`, projectTitle: project.title });
    if (r.kind === "proposal" && visibleProposals.has(id)) {
      hits.push({ kind: r.kind, id, titleHtml: snippetToHtml(r.titleHtml), snippetHtml: snippetToHtml(r.snippet), link: `${base}/proposals/${id}`, projectTitle: project.title });
    }
    if (r.kind === "comment") {
      const c = commentById.get(id);
      if (!c) continue;
      const container = c.proposalId ? `${base}/proposals/${c.proposalId}` : `${base}/threads/${c.threadId}`;
      hits.push({ kind: r.kind, id, titleHtml: snippetToHtml(c.threadTitle), snippetHtml: snippetToHtml(r.snippet), link: `${container}?comment=${id}#comment-${id}`, projectTitle: project.title });
    }
  }
  return { hits, total, page, pageCount: Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE)) };
}
