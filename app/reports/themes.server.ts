import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { forUpdate, rows, tables, withReadSnapshot, withWriteTx, type AppDb } from "~db/engine";
import type { ThemeQuote, ReportThemeRun } from "~db/schema";
import type { Stance } from "~db/schema/values";
import { yieldToEventLoop } from "./reader.server";
import { termsOf } from "./text";
import { COMMENT_JOINS, idList, instantParam, PUBLISHED_PROPOSAL, PUBLISHED_THREAD, VISIBLE_COMMENT, visibleCommentOf } from "./scope.server";
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
 * Everything is read in keyset batches inside one snapshot of the database (withReadSnapshot),
 * yielding between batches, so a project of 200,000 comments is themed without blocking other
 * requests, every pass over the same documents. Above SAMPLE_SIZE documents, the terms are chosen
 * on an even sample and then counted on all.
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

/**
 * About how many documents a corpus holds: its published comments, threads and proposals, counted
 * straight from the indexes (staff answers and comments inside hidden threads included, so this is
 * an upper bound). Enough to size a sample and a progress bar, and cheap on a 200,000-comment project.
 */
export async function corpusEstimate(db: AppDb, s: Sources): Promise<number> {
  const one = async (query: SQL) => (await rows<{ n: number }>(db, query))[0]?.n ?? 0;
  return (
    (await one(sql`select count(*) as n from comments c where ${projectTest("c.project_id", s)} and ${visibleCommentOf([])}`)) +
    (await one(sql`select count(*) as n from threads t where ${projectTest("t.project_id", s)} and ${PUBLISHED_THREAD} and t.proposal_id is null`)) +
    (await one(sql`select count(*) as n from proposals p where ${projectTest("p.project_id", s)} and ${PUBLISHED_PROPOSAL}`))
  );
}

type DocRow = { id: number; stance: Stance | null; body: string; context: string | null };

/** A thread's or proposal's document: its title, a blank line, its opening text. */
const TITLE_AND_BODY = (alias: string) => sql`${sql.raw(`${alias}.title`)} || ${"\n\n"} || ${sql.raw(`${alias}.body_source`)}`;

/**
 * Reads every `stride`-th document of the corpus, kind by kind, in keyset batches of BATCH rows
 * in id order on `reader` (a snapshot, so that every pass reads the same documents), yielding to
 * the event loop after every batch so other requests run meanwhile. Residents' published
 * contributions only.
 */
async function forEachDoc(reader: AppDb, s: Sources, stride: number, fn: (doc: ThemeDoc) => void, onBatch: (n: number) => Promise<void>) {
  const sample = (alias: string) => (stride > 1 ? sql.raw(` and ${alias}.id % ${Math.floor(stride)} = 0`) : sql``);
  const queries: [Kind, (after: number) => SQL][] = [
    [
      "c",
      (after) => sql`select c.id as id, c.stance as stance, c.body_source as body, t.title as context
       from comments c ${COMMENT_JOINS} join users u on u.id = c.author_id
       where ${projectTest("c.project_id", s)} and ${VISIBLE_COMMENT}${sample("c")} and u.role = 'resident' and c.id > ${after}
       order by c.id limit ${BATCH}`,
    ],
    [
      "t",
      (after) => sql`select t.id as id, null as stance, ${TITLE_AND_BODY("t")} as body, null as context
       from threads t join users u on u.id = t.author_id
       where ${projectTest("t.project_id", s)} and ${PUBLISHED_THREAD} and t.proposal_id is null${sample("t")} and u.role = 'resident' and t.id > ${after}
       order by t.id limit ${BATCH}`,
    ],
    [
      "p",
      (after) => sql`select p.id as id, null as stance, ${TITLE_AND_BODY("p")} as body, null as context
       from proposals p join users u on u.id = p.author_id
       where ${projectTest("p.project_id", s)} and ${PUBLISHED_PROPOSAL}${sample("p")} and u.role = 'resident' and p.id > ${after}
       order by p.id limit ${BATCH}`,
    ],
  ];
  for (const [kind, query] of queries) {
    for (let after = 0; ;) {
      const batch = await rows<DocRow>(reader, query(after));
      for (const { id, stance, body, context } of batch) fn({ key: `${kind}${id}`, stance, text: body, context });
      await onBatch(batch.length);
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1]!.id;
      await yieldToEventLoop();
    }
  }
}

export interface ThemeComputation {
  themes: ThemeResult[];
  /** Documents the themes were counted over. */
  corpus: number;
  lastCommentId: number;
}

/**
 * Computes a project's themes (without storing them), reading on `reader` (a snapshot, for passes
 * that agree; `db` itself will do). `onProgress` is told documents read of about how many, and awaited.
 */
export async function computeThemes(
  db: AppDb,
  reader: AppDb,
  projectId: number,
  onProgress: (processed: number, total: number) => void | Promise<void> = () => {},
  { sampleSize = SAMPLE_SIZE }: { sampleSize?: number } = {},
): Promise<ThemeComputation> {
  const options = THEME_OPTIONS;
  const project: Sources = { projectId, background: false };
  const rest: Sources = { projectId, background: true };
  const fgSize = await corpusEstimate(reader, project);
  const bgSize = await corpusEstimate(reader, rest);
  const fgStride = Math.max(1, Math.ceil(fgSize / sampleSize));
  const bgStride = Math.max(1, Math.ceil(bgSize / sampleSize));
  const sampled = fgStride > 1;
  const total = Math.ceil(fgSize / fgStride) * 2 + Math.ceil(bgSize / bgStride) + (sampled ? fgSize : 0);
  let processed = 0;
  const progress = async (n: number) => {
    processed += n;
    await onProgress(Math.min(processed, total), total);
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
  await onProgress(total, total);
  return { themes, corpus, lastCommentId };
}

/** Replaces a project's stored themes with a computation's, in one transaction. */
export async function storeThemes(db: AppDb, projectId: number, result: ThemeComputation, computedAt: Date): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { reportThemeRuns, reportThemes } = tables(tx);
    await tx.delete(reportThemes).where(eq(reportThemes.projectId, projectId));
    if (result.themes.length) {
      await tx.insert(reportThemes).values(
        result.themes.map((t, i) => ({
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
        })),
      );
    }
    await tx
      .update(reportThemeRuns)
      .set({ status: "done", computedAt, commentCount: result.corpus, lastCommentId: result.lastCommentId })
      .where(eq(reportThemeRuns.projectId, projectId));
  });
}

async function runOf(db: AppDb, projectId: number): Promise<ReportThemeRun | undefined> {
  const { reportThemeRuns } = tables(db);
  const [run] = await db.select().from(reportThemeRuns).where(eq(reportThemeRuns.projectId, projectId)).limit(1);
  return run;
}

const running = (run: ReportThemeRun | undefined, now: Date) => run?.status === "computing" && now.getTime() - run.startedAt.getTime() < ABANDONED_AFTER_MS;

/**
 * Marks a run as started unless one is already running; false when one is. The run's row is read
 * FOR UPDATE, and the transaction is serializable for the project without one yet (its absence
 * is what two starts would both read; the primary key refuses the second insert anyway).
 */
function claimRun(db: AppDb, projectId: number, publishedCount: number, now: Date): Promise<boolean> {
  return withWriteTx(
    db,
    async (tx) => {
      const { reportThemeRuns } = tables(tx);
      const [run] = await forUpdate(tx.select().from(reportThemeRuns).where(eq(reportThemeRuns.projectId, projectId)).limit(1));
      if (running(run, now)) return false;
      if (run) {
        await tx
          .update(reportThemeRuns)
          .set({ status: "computing", processed: 0, total: publishedCount, startedAt: now, publishedCount })
          .where(eq(reportThemeRuns.projectId, projectId));
      } else {
        await tx.insert(reportThemeRuns).values({ projectId, status: "computing", processed: 0, total: publishedCount, startedAt: now, publishedCount });
      }
      return true;
    },
    { serializable: true },
  );
}

export type RefreshOutcome = "computed" | "started" | "running";

/**
 * Computes a project's themes again: at once for a project of up to INLINE_LIMIT documents (the
 * request waits, well under two seconds), otherwise in the background with its progress stored
 * for the report page to show. Never two runs of one project at a time.
 */
export async function refreshThemes(
  db: AppDb,
  projectId: number,
  { now = new Date(), inlineLimit = INLINE_LIMIT }: { now?: Date; inlineLimit?: number } = {},
): Promise<RefreshOutcome> {
  const size = await corpusEstimate(db, { projectId, background: false });
  if (!(await claimRun(db, projectId, size, now))) return "running";
  const job = runThemes(db, projectId, now);
  if (size <= inlineLimit) {
    await job;
    return "computed";
  }
  void job;
  return "started";
}

/** Progress is written at most this often: it is for people to watch. */
const PROGRESS_EVERY_MS = 500;

async function runThemes(db: AppDb, projectId: number, startedAt: Date) {
  const setRun = (values: Partial<Pick<ReportThemeRun, "processed" | "total" | "status">>) =>
    withWriteTx(db, async (tx) => {
      const { reportThemeRuns } = tables(tx);
      await tx.update(reportThemeRuns).set(values).where(eq(reportThemeRuns.projectId, projectId));
    });
  try {
    let lastWrite = 0;
    const result = await withReadSnapshot(db, (reader) =>
      computeThemes(db, reader, projectId, async (processed, total) => {
        const t = Date.now();
        if (t - lastWrite < PROGRESS_EVERY_MS && processed < total) return;
        lastWrite = t;
        await setRun({ processed, total });
      }),
    );
    // The themes cover what existed when the run started: later comments make them stale.
    await storeThemes(db, projectId, result, startedAt);
  } catch (error) {
    await setRun({ status: "failed" });
    console.error(`themes of project ${projectId} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Themes for a project's first report: computed once when there are none yet. */
export async function ensureThemes(db: AppDb, projectId: number, now = new Date()): Promise<void> {
  if (await runOf(db, projectId)) return;
  await refreshThemes(db, projectId, { now });
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

export async function themeStatus(db: AppDb, projectId: number, now = new Date()): Promise<ThemeStatus> {
  const run = await runOf(db, projectId);
  if (!run) return { status: "none", processed: 0, total: 0, computedAt: null, corpus: 0, newSince: 0, stale: false };
  const status = run.status === "computing" && !running(run, now) ? "failed" : run.status;
  let newSince = 0;
  let stale = false;
  if (run.computedAt) {
    const since = instantParam(db, run.computedAt);
    const n = async (q: SQL) => (await rows<{ n: number }>(db, q))[0]?.n ?? 0;
    newSince =
      (await n(sql`select count(*) as n from comments c ${COMMENT_JOINS} join users u on u.id = c.author_id
        where c.project_id = ${projectId} and c.created_at >= ${since} and ${VISIBLE_COMMENT} and u.role = 'resident'`)) +
      (await n(sql`select count(*) as n from threads t join users u on u.id = t.author_id
        where t.project_id = ${projectId} and ${PUBLISHED_THREAD} and t.proposal_id is null and t.created_at >= ${since} and u.role = 'resident'`)) +
      (await n(sql`select count(*) as n from proposals p join users u on u.id = p.author_id
        where p.project_id = ${projectId} and ${PUBLISHED_PROPOSAL} and p.created_at >= ${since} and u.role = 'resident'`));
    stale = newSince > 0 || (await corpusEstimate(db, { projectId, background: false })) !== run.publishedCount;
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
export async function loadThemes(db: AppDb, projectId: number): Promise<ThemeView[]> {
  const { projects, proposals, reportThemes, threads } = tables(db);
  const stored = await db.select().from(reportThemes).where(eq(reportThemes.projectId, projectId)).orderBy(asc(reportThemes.rank));
  if (!stored.length) return [];
  const slug = (await db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, projectId)).limit(1))[0]?.slug ?? "";
  const quotes = stored.flatMap((r) => r.quotes);
  const ids = (kind: ThemeQuote["kind"]) => [...new Set(quotes.filter((q) => q.kind === kind).map((q) => q.id))];
  const paths = new Map<string, string>();
  const commentIds = ids("comment");
  if (commentIds.length) {
    const visible = await rows<{ id: number; threadId: number; proposalId: number | null }>(
      db,
      sql`
      select c.id as id, c.thread_id as "threadId", t.proposal_id as "proposalId" from comments c ${COMMENT_JOINS}
      where c.project_id = ${projectId} and c.id in ${idList(commentIds)} and ${VISIBLE_COMMENT}`,
    );
    for (const c of visible) {
      paths.set(`comment:${c.id}`, commentPath(slug, { id: c.threadId, proposalId: c.proposalId }, c.id));
    }
  }
  const threadIds = ids("thread");
  if (threadIds.length) {
    for (const t of await db
      .select({ id: threads.id })
      .from(threads)
      .where(
        and(
          eq(threads.projectId, projectId),
          publishedSql({ kind: "thread", visibility: threads.visibility, authorId: threads.authorId }),
          inArray(threads.id, threadIds),
        ),
      )) {
      paths.set(`thread:${t.id}`, threadPath(slug, { id: t.id, proposalId: null }));
    }
  }
  const proposalIds = ids("proposal");
  if (proposalIds.length) {
    for (const p of await db
      .select({ id: proposals.id })
      .from(proposals)
      .where(
        and(
          eq(proposals.projectId, projectId),
          publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }),
          inArray(proposals.id, proposalIds),
        ),
      )) {
      paths.set(`proposal:${p.id}`, proposalPath(slug, p.id));
    }
  }
  return stored.map((r) => {
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
