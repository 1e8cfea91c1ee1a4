import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { immediate, type Db } from "~db/client";
import { projects, proposals, reportThemeRuns, reportThemes, threads, type ThemeQuote, type ReportThemeRun } from "~db/schema";
import type { Stance } from "~db/schema/values";
import { openReader, yieldToEventLoop } from "./reader.server";
import { termsOf } from "./text";
import { COMMENT_JOINS, PUBLISHED_PROPOSAL, PUBLISHED_THREAD, VISIBLE_COMMENT, visibleCommentOf } from "./scope.server";
import { suppress, type Count } from "./small-counts";
import { distinctiveTerms, mergeIntoThemes, TermCounts, THEME_OPTIONS, ThemeTally, type ThemeDefinition, type ThemeDoc, type ThemeResult } from "./theme-model";
import { commentPath, proposalPath, threadPath } from "~/content/links";
import { publishedSql } from "~/content/visibility.server";

/**
 * Themes of a project, computed ahead and stored (report_themes): on the first report of a
 * project, and when a planner asks again. The corpus is what residents wrote and published on the
 * project — comments (each read with its thread's title), threads' opening posts and proposals —
 * weighed against the same from every other project. Staff answers are not feedback.
 *
 * Everything is read in keyset batches through a read-only connection of its own, yielding
 * between batches, so a project of 200,000 comments is themed without blocking other requests.
 * Above SAMPLE_SIZE documents, the terms are chosen on an even sample and then counted on all.
 */

export const SAMPLE_SIZE = 20_000;
/** Up to this many documents a request computes the themes before answering; above, in the background. */
export const INLINE_LIMIT = 5_000;
const BATCH = 2_000;
/** A run "computing" for longer than this died with its process: it may be started again. */
const ABANDONED_AFTER_MS = 15 * 60_000;

type Kind = "c" | "t" | "p";
const KIND_NAMES: Record<Kind, ThemeQuote["kind"]> = { c: "comment", t: "thread", p: "proposal" };

interface Sources {
  /** This project's documents, or every other project's. */
  projectId: number;
  background: boolean;
}

const projectTest = (column: string, s: Sources) => sql`${sql.raw(column)} ${sql.raw(s.background ? "<>" : "=")} ${s.projectId}`;
const dialect = new SQLiteSyncDialect();

/**
 * About how many documents a corpus holds: its published comments, threads and proposals, counted
 * straight from the indexes (staff answers and comments inside hidden threads included, so this is
 * an upper bound). Enough to size a sample and a progress bar, and cheap on a 200,000-comment project.
 */
export function corpusEstimate(db: Db, s: Sources): number {
  const one = (query: SQL) => db.get<{ n: number }>(query)?.n ?? 0;
  return (
    one(sql`select count(*) as n from comments c where ${projectTest("c.project_id", s)} and ${visibleCommentOf([])}`) +
    one(sql`select count(*) as n from threads t where ${projectTest("t.project_id", s)} and ${PUBLISHED_THREAD} and t.proposal_id is null`) +
    one(sql`select count(*) as n from proposals p where ${projectTest("p.project_id", s)} and ${PUBLISHED_PROPOSAL}`)
  );
}

type DocRow = [id: number, stance: Stance | null, text: string, context: string | null];

/**
 * Reads every `stride`-th document of the corpus with one statement per kind on the reader's own
 * connection (better-sqlite3's iterator, in index order — no sort), yielding to the event loop
 * after every BATCH rows so other requests run meanwhile. Residents' published contributions only.
 */
async function forEachDoc(reader: Db, s: Sources, stride: number, fn: (doc: ThemeDoc) => void, onBatch: (n: number) => void) {
  const sample = (alias: string) => (stride > 1 ? sql.raw(` and ${alias}.id % ${Math.floor(stride)} = 0`) : sql``);
  const queries: [Kind, SQL][] = [
    [
      "c",
      sql`select c.id, c.stance, c.body_source, t.title
       from comments c ${COMMENT_JOINS} join users u on u.id = c.author_id
       where ${projectTest("c.project_id", s)} and ${VISIBLE_COMMENT}${sample("c")} and u.role = 'resident'`,
    ],
    [
      "t",
      sql`select t.id, null, t.title || char(10) || char(10) || t.body_source, null
       from threads t join users u on u.id = t.author_id
       where ${projectTest("t.project_id", s)} and ${PUBLISHED_THREAD} and t.proposal_id is null${sample("t")} and u.role = 'resident'`,
    ],
    [
      "p",
      sql`select p.id, null, p.title || char(10) || char(10) || p.body_source, null
       from proposals p join users u on u.id = p.author_id
       where ${projectTest("p.project_id", s)} and ${PUBLISHED_PROPOSAL}${sample("p")} and u.role = 'resident'`,
    ],
  ];
  for (const [kind, query] of queries) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    const rows = reader.$client
      .prepare(text)
      .raw()
      .iterate(...params) as IterableIterator<DocRow>;
    let n = 0;
    for (const [id, stance, body, context] of rows) {
      fn({ key: `${kind}${id}`, stance, text: body, context });
      if (++n % BATCH === 0) {
        onBatch(BATCH);
        await yieldToEventLoop();
      }
    }
    onBatch(n % BATCH);
  }
}

export interface ThemeComputation {
  themes: ThemeResult[];
  /** Documents the themes were counted over. */
  corpus: number;
  lastCommentId: number;
}

/** Computes a project's themes (without storing them). `onProgress` is told documents read of about how many. */
export async function computeThemes(
  db: Db,
  reader: Db,
  projectId: number,
  onProgress: (processed: number, total: number) => void = () => {},
  { sampleSize = SAMPLE_SIZE }: { sampleSize?: number } = {},
): Promise<ThemeComputation> {
  const options = THEME_OPTIONS;
  const project: Sources = { projectId, background: false };
  const rest: Sources = { projectId, background: true };
  const fgSize = corpusEstimate(reader, project);
  const bgSize = corpusEstimate(reader, rest);
  const fgStride = Math.max(1, Math.ceil(fgSize / sampleSize));
  const bgStride = Math.max(1, Math.ceil(bgSize / sampleSize));
  const sampled = fgStride > 1;
  const total = Math.ceil(fgSize / fgStride) * 2 + Math.ceil(bgSize / bgStride) + (sampled ? fgSize : 0);
  let processed = 0;
  const progress = (n: number) => {
    processed += n;
    onProgress(Math.min(processed, total), total);
  };

  // A thread's title is the context of each of its comments: parsed once per thread.
  const contexts = new Map<string, Map<string, string>>();
  const parse = (doc: ThemeDoc) => {
    let context: Map<string, string> | null = null;
    if (doc.context) {
      context = contexts.get(doc.context) ?? null;
      if (!context) {
        if (contexts.size > 10_000) contexts.clear();
        contexts.set(doc.context, (context = termsOf(doc.context)));
      }
    }
    return { own: termsOf(doc.text), context };
  };

  // 1. Which terms stand out: document frequencies of (a sample of) the project and of the rest.
  const fg = new TermCounts({ keepForms: true });
  await forEachDoc(
    reader,
    project,
    fgStride,
    (doc) => {
      const { own, context } = parse(doc);
      fg.add(own, context);
    },
    progress,
  );
  const bg = new TermCounts();
  await forEachDoc(
    reader,
    rest,
    bgStride,
    (doc) => {
      const { own, context } = parse(doc);
      bg.add(own, context);
    },
    progress,
  );
  const scored = distinctiveTerms(fg, bg, options);
  const scores = new Map(scored.map((s) => [s.term, s.z]));
  const candidates = mergeIntoThemes(scored, (t) => fg.formOf(t), options);
  const minComments = Math.max(2, Math.ceil(fgSize * 0.002));

  // 2. Themes on the same documents, near-duplicates merged (exact when nothing was sampled).
  const first = new ThemeTally(candidates, scores, options, true);
  let corpus = 0;
  let lastCommentId = 0;
  await forEachDoc(
    reader,
    project,
    fgStride,
    (doc) => {
      const { own, context } = parse(doc);
      first.add(doc, own, context);
      if (!sampled) {
        corpus++;
        if (doc.key.startsWith("c")) lastCommentId = Math.max(lastCommentId, Number(doc.key.slice(1)));
      }
    },
    progress,
  );
  let themes = first.finish(minComments);

  // 3. A sampled project: count the chosen themes, their stances and quotes over every document.
  if (sampled) {
    const definitions: ThemeDefinition[] = themes.map(({ label, stems, terms, weight }) => ({ label, stems, terms, weight }));
    const full = new ThemeTally(definitions, scores, options, false);
    await forEachDoc(
      reader,
      project,
      1,
      (doc) => {
        const { own, context } = parse(doc);
        full.add(doc, own, context);
        corpus++;
        if (doc.key.startsWith("c")) lastCommentId = Math.max(lastCommentId, Number(doc.key.slice(1)));
      },
      progress,
    );
    themes = full.finish(minComments);
  }
  onProgress(total, total);
  return { themes, corpus, lastCommentId };
}

/** Replaces a project's stored themes with a computation's, in one transaction. */
export function storeThemes(db: Db, projectId: number, result: ThemeComputation, computedAt: Date) {
  immediate(db, () => {
    db.delete(reportThemes).where(eq(reportThemes.projectId, projectId)).run();
    result.themes.forEach((t, i) => {
      db.insert(reportThemes)
        .values({
          projectId,
          rank: i + 1,
          label: t.label,
          terms: t.terms,
          weight: Math.round(t.weight * 1000) / 1000,
          commentCount: t.commentCount,
          stanceSupport: t.stance.support,
          stanceOppose: t.stance.oppose,
          stanceNeutral: t.stance.neutral,
          stanceNone: t.stance.none,
          quotes: t.quotes.map((q) => ({ kind: KIND_NAMES[q.key.charAt(0) as Kind], id: Number(q.key.slice(1)), excerpt: q.excerpt })),
          corpusSize: result.corpus,
          computedAt,
        })
        .run();
    });
    db.update(reportThemeRuns)
      .set({ status: "done", computedAt, commentCount: result.corpus, lastCommentId: result.lastCommentId })
      .where(eq(reportThemeRuns.projectId, projectId))
      .run();
  });
}

function runOf(db: Db, projectId: number): ReportThemeRun | undefined {
  return db.select().from(reportThemeRuns).where(eq(reportThemeRuns.projectId, projectId)).get();
}

const running = (run: ReportThemeRun | undefined, now: Date) => run?.status === "computing" && now.getTime() - run.startedAt.getTime() < ABANDONED_AFTER_MS;

/** Marks a run as started unless one is already running; false when one is. */
function claimRun(db: Db, projectId: number, publishedCount: number, now: Date): boolean {
  return immediate(db, () => {
    const run = runOf(db, projectId);
    if (running(run, now)) return false;
    if (run) {
      db.update(reportThemeRuns)
        .set({ status: "computing", processed: 0, total: publishedCount, startedAt: now, publishedCount })
        .where(eq(reportThemeRuns.projectId, projectId))
        .run();
    } else {
      db.insert(reportThemeRuns).values({ projectId, status: "computing", processed: 0, total: publishedCount, startedAt: now, publishedCount }).run();
    }
    return true;
  });
}

export type RefreshOutcome = "computed" | "started" | "running";

/**
 * Computes a project's themes again: at once for a project of up to INLINE_LIMIT documents (the
 * request waits, well under two seconds), otherwise in the background with its progress stored
 * for the report page to show. Never two runs of one project at a time.
 */
export async function refreshThemes(
  db: Db,
  databaseUrl: string,
  projectId: number,
  { now = new Date(), inlineLimit = INLINE_LIMIT }: { now?: Date; inlineLimit?: number } = {},
): Promise<RefreshOutcome> {
  const size = corpusEstimate(db, { projectId, background: false });
  if (!claimRun(db, projectId, size, now)) return "running";
  const job = runThemes(db, databaseUrl, projectId, now);
  if (size <= inlineLimit) {
    await job;
    return "computed";
  }
  void job;
  return "started";
}

async function runThemes(db: Db, databaseUrl: string, projectId: number, startedAt: Date) {
  let reader: Db | null = null;
  try {
    reader = openReader(databaseUrl);
    let lastWrite = 0;
    const result = await computeThemes(db, reader, projectId, (processed, total) => {
      // Progress is written at most every half second: it is for people to watch.
      const t = Date.now();
      if (t - lastWrite < 500 && processed < total) return;
      lastWrite = t;
      db.update(reportThemeRuns).set({ processed, total }).where(eq(reportThemeRuns.projectId, projectId)).run();
    });
    // The themes cover what existed when the run started: later comments make them stale.
    storeThemes(db, projectId, result, startedAt);
  } catch (error) {
    db.update(reportThemeRuns).set({ status: "failed" }).where(eq(reportThemeRuns.projectId, projectId)).run();
    console.error(`themes of project ${projectId} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    reader?.$client.close();
  }
}

/** Themes for a project's first report: computed once when there are none yet. */
export async function ensureThemes(db: Db, databaseUrl: string, projectId: number, now = new Date()) {
  if (runOf(db, projectId)) return;
  await refreshThemes(db, databaseUrl, projectId, { now });
}

export interface ThemeStatus {
  status: "none" | ReportThemeRun["status"];
  /** Progress of a running computation. */
  processed: number;
  total: number;
  computedAt: string | null;
  /** Documents the stored themes were computed over. */
  corpus: number;
  /** Published documents created since the themes were computed. */
  newSince: number;
  /** True when the published documents differ from what was themed (new ones, or some hidden since). */
  stale: boolean;
}

export function themeStatus(db: Db, projectId: number, now = new Date()): ThemeStatus {
  const run = runOf(db, projectId);
  if (!run) return { status: "none", processed: 0, total: 0, computedAt: null, corpus: 0, newSince: 0, stale: false };
  const status = run.status === "computing" && !running(run, now) ? "failed" : run.status;
  let newSince = 0;
  let stale = false;
  if (run.computedAt) {
    const since = run.computedAt.getTime();
    const n = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q)?.n ?? 0;
    newSince =
      n(sql`select count(*) as n from comments c ${COMMENT_JOINS} join users u on u.id = c.author_id
        where c.project_id = ${projectId} and c.created_at >= ${since} and ${VISIBLE_COMMENT} and u.role = 'resident'`) +
      n(sql`select count(*) as n from threads t join users u on u.id = t.author_id
        where t.project_id = ${projectId} and ${PUBLISHED_THREAD} and t.proposal_id is null and t.created_at >= ${since} and u.role = 'resident'`) +
      n(sql`select count(*) as n from proposals p join users u on u.id = p.author_id
        where p.project_id = ${projectId} and ${PUBLISHED_PROPOSAL} and p.created_at >= ${since} and u.role = 'resident'`);
    stale = newSince > 0 || corpusEstimate(db, { projectId, background: false }) !== run.publishedCount;
  }
  return {
    status,
    processed: run.processed,
    total: run.total,
    computedAt: run.computedAt?.toISOString() ?? null,
    corpus: run.commentCount,
    newSince,
    stale,
  };
}

export interface ThemeView {
  rank: number;
  label: string;
  terms: string[];
  weight: number;
  comments: Count;
  /** Share of the themed documents carrying the theme. */
  share: number | null;
  stance: Record<Stance | "none", Count>;
  quotes: { kind: ThemeQuote["kind"]; id: number; excerpt: string; path: string }[];
}

/**
 * The stored themes as the report shows them: small counts suppressed, and only quotes whose
 * content is still published (a comment hidden after the computation is not quoted).
 */
export function loadThemes(db: Db, projectId: number): ThemeView[] {
  const rows = db.select().from(reportThemes).where(eq(reportThemes.projectId, projectId)).orderBy(asc(reportThemes.rank)).all();
  if (!rows.length) return [];
  const slug = db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, projectId)).get()?.slug ?? "";
  const quotes = rows.flatMap((r) => r.quotes);
  const ids = (kind: ThemeQuote["kind"]) => [...new Set(quotes.filter((q) => q.kind === kind).map((q) => q.id))];
  const paths = new Map<string, string>();
  const commentIds = ids("comment");
  if (commentIds.length) {
    const visible = db.all<{ id: number; threadId: number; proposalId: number | null }>(sql`
      select c.id, c.thread_id as threadId, t.proposal_id as proposalId from comments c ${COMMENT_JOINS}
      where c.project_id = ${projectId} and c.id in (select value from json_each(${JSON.stringify(commentIds)})) and ${VISIBLE_COMMENT}`);
    for (const c of visible) {
      paths.set(`comment:${c.id}`, commentPath(slug, { id: c.threadId, proposalId: c.proposalId }, c.id));
    }
  }
  const threadIds = ids("thread");
  if (threadIds.length) {
    for (const t of db
      .select({ id: threads.id })
      .from(threads)
      .where(
        and(
          eq(threads.projectId, projectId),
          publishedSql({ kind: "thread", visibility: threads.visibility, authorId: threads.authorId }),
          inArray(threads.id, threadIds),
        ),
      )
      .all()) {
      paths.set(`thread:${t.id}`, threadPath(slug, { id: t.id, proposalId: null }));
    }
  }
  const proposalIds = ids("proposal");
  if (proposalIds.length) {
    for (const p of db
      .select({ id: proposals.id })
      .from(proposals)
      .where(
        and(
          eq(proposals.projectId, projectId),
          publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }),
          inArray(proposals.id, proposalIds),
        ),
      )
      .all()) {
      paths.set(`proposal:${p.id}`, proposalPath(slug, p.id));
    }
  }
  return rows.map((r) => {
    const count = suppress(r.commentCount);
    return {
      rank: r.rank,
      label: r.label,
      terms: r.terms,
      weight: r.weight,
      comments: count,
      share: typeof count === "number" && r.corpusSize > 0 ? r.commentCount / r.corpusSize : null,
      stance: { support: suppress(r.stanceSupport), oppose: suppress(r.stanceOppose), neutral: suppress(r.stanceNeutral), none: suppress(r.stanceNone) },
      quotes: r.quotes.flatMap((q) => {
        const path = paths.get(`${q.kind}:${q.id}`);
        return path ? [{ ...q, path }] : [];
      }),
    };
  });
}
