import { and, asc, desc, eq, gt, gte, lt, notInArray, or, sql, type Column, type SQL } from "drizzle-orm";
import type { Readable } from "node:stream";
import { rows, tables, type AppDb } from "~db/engine";
import { CHOICES, type Project, type User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { logAction } from "~/audit/log.server";
import { csvStream } from "./csv.server";
import { assertListable, describeFilters, type ReportFilters } from "./filters.server";
import type { ReportFigures } from "./figures.server";
import { projectHeadline, type ProjectHeadline } from "./overview.server";
import { pseudonymizer } from "./pseudonyms.server";
import { READ_BATCH, snapshotRows } from "./reader.server";
import { AreaIndex, publishedDiscussion } from "./scope.server";
import { publishedSql } from "~/content/visibility.server";
import { commentPath } from "~/content/links";

/**
 * The downloads. Each CSV is read inside one snapshot of the database (reader.server.ts), opened
 * when the client starts reading and ended when the file ends or the client leaves, in keyset
 * batches of READ_BATCH rows: rows go out as they are read, in constant memory, every row from
 * the same committed state, and other requests go on meanwhile.
 * Only published content; authors only as per-project pseudonyms; no e-mail, no name, no ballot.
 *
 * A published contribution's page shows its author's name, and its text, time and ids find that
 * page through the public search: a row of comments.csv or proposals.csv is public, whoever holds
 * the file. So a row carries only what the public page shows (docs/decisions/007): no area, and
 * an author key that groups an author's rows of one project as the public name does — none at
 * all for an erased account, whose page says "deleted user". Where authors live is given only as
 * the report's protected counts, and a contribution list is never filtered by kecamatan.
 */

export interface ExportContext {
  /** Absolute links in files: the site's origin. */
  origin: string;
  secret: string;
}

export interface Download {
  stream: Readable;
  filename: string;
  contentType: string;
}

const CSV = "text/csv; charset=utf-8";

/** Every download is written to the moderation log: who, which file, which filters. */
export async function logExport(
  db: AppDb,
  actor: Pick<User, "id">,
  target: { type: "project" | "city"; id: number | null; slug?: string },
  file: string,
  filters: ReportFilters,
): Promise<void> {
  await logAction(db, actor, "export", { type: target.type, id: target.id }, null, {
    file,
    ...(target.slug ? { slug: target.slug } : {}),
    filters: describeFilters(filters),
  });
}

/** The date range as conditions on a content table's date column (lists are never filtered by area). */
export function dateConditions(createdAt: Column, filters: ReportFilters): SQL[] {
  const out: SQL[] = [];
  if (filters.from) out.push(gte(createdAt, filters.from));
  if (filters.to) out.push(lt(createdAt, filters.to));
  return out;
}

export const COMMENT_COLUMNS = ["id", "thread_id", "thread_title", "parent_id", "created_at", "author", "stance", "official", "text", "link"] as const;
export const CITY_COMMENT_COLUMNS = ["project", ...COMMENT_COLUMNS] as const;

/**
 * Threads whose comments are not published feedback although the comments themselves may be
 * published: hidden threads, discussions of unpublished proposals, and threads of draft projects.
 * Few, so the comments can be read without a join to their threads.
 */
async function excludedThreadIds(db: AppDb, projectId: number | null): Promise<number[]> {
  const found = await rows<{ id: number }>(
    db,
    sql`select t.id as id from threads t left join proposals tp on tp.id = t.proposal_id join projects pr on pr.id = t.project_id
      where ${projectId === null ? sql`true` : sql`t.project_id = ${projectId}`} and not coalesce(${publishedDiscussion("pr")}, false)`,
  );
  return found.map((r) => r.id);
}

/** Title, proposal and project slug of every thread (of a project, or of the city), for the rows' links. */
async function threadInfo(db: AppDb, projectId: number | null) {
  const { threads, projects } = tables(db);
  const found = await db
    .select({ id: threads.id, title: threads.title, proposalId: threads.proposalId, slug: projects.slug })
    .from(threads)
    .innerJoin(projects, eq(projects.id, threads.projectId))
    .where(projectId === null ? undefined : eq(threads.projectId, projectId));
  return new Map(found.map((r) => [r.id, r]));
}

/**
 * The rows of comments.csv (and of the workbook's comments sheet), read in batches — of one
 * project, or of the whole city when `projectId` is null. Published comments with their author's
 * role and whether the account was erased: one indexed read per batch, joined only to users. A
 * project's come oldest first (its (project, visibility, created_at) index, keyset on
 * created_at and id); the city's in id order. Call it inside a snapshot (snapshotRows).
 */
export async function* commentRows(
  db: AppDb,
  projectId: number | null,
  filters: ReportFilters,
  ctx: Pick<ExportContext, "origin" | "secret">,
  withProject: boolean,
): AsyncGenerator<unknown[]> {
  const { comments, users } = tables(db);
  const pseudonym = pseudonymizer(ctx.secret);
  const threadsById = await threadInfo(db, projectId);
  const excluded = await excludedThreadIds(db, projectId);
  const scope = and(
    publishedSql({ kind: "comment", visibility: comments.visibility, authorId: comments.authorId }),
    excluded.length ? notInArray(comments.threadId, excluded) : undefined,
    projectId === null ? undefined : eq(comments.projectId, projectId),
    ...dateConditions(comments.createdAt, filters),
  );
  const order = projectId === null ? [asc(comments.id)] : [asc(comments.createdAt), asc(comments.id)];
  let last: { id: number; createdAt: Date } | null = null;
  for (;;) {
    const after: SQL | undefined =
      last === null
        ? undefined
        : projectId === null
          ? gt(comments.id, last.id)
          : or(gt(comments.createdAt, last.createdAt), and(eq(comments.createdAt, last.createdAt), gt(comments.id, last.id)));
    const batch = await db
      .select({
        id: comments.id,
        projectId: comments.projectId,
        threadId: comments.threadId,
        parentId: comments.parentId,
        createdAt: comments.createdAt,
        authorId: comments.authorId,
        role: users.role,
        deletedAt: users.deletedAt,
        stance: comments.stance,
        text: comments.bodySource,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(and(scope, after))
      .orderBy(...order)
      .limit(READ_BATCH);
    for (const c of batch) {
      const thread = threadsById.get(c.threadId);
      if (!thread) continue;
      const link = commentPath(thread.slug, { id: c.threadId, proposalId: thread.proposalId }, c.id);
      const row = [
        c.id,
        c.threadId,
        thread.title,
        c.parentId,
        c.createdAt.toISOString(),
        c.deletedAt !== null ? null : pseudonym(c.projectId, c.authorId),
        c.stance ?? "none",
        c.role !== "resident",
        c.text,
        `${ctx.origin}${link}`,
      ];
      yield withProject ? [thread.slug, ...row] : row;
    }
    if (batch.length < READ_BATCH) return;
    last = batch[batch.length - 1]!;
  }
}

/** comments.csv of one project. */
export function exportCommentsCsv(db: AppDb, project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("comments", filters);
  const rows = snapshotRows(db, (snapshot) => commentRows(snapshot, project.id, filters, ctx, false));
  return { stream: csvStream([...COMMENT_COLUMNS], rows), filename: `${project.slug}-comments.csv`, contentType: CSV };
}

/** The city-wide comments.csv: every project's published comments, each author pseudonymous per project. */
export function exportCityCommentsCsv(db: AppDb, filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("comments", filters);
  const rows = snapshotRows(db, (snapshot) => commentRows(snapshot, null, filters, ctx, true));
  return { stream: csvStream([...CITY_COMMENT_COLUMNS], rows), filename: "rembug-comments.csv", contentType: CSV };
}

export const PROPOSAL_COLUMNS = ["id", "title", "author", "supports", "status", "official_answer", "answered_at", "created_at", "link"] as const;

/** The published proposals of a project, most supported first, in keyset batches (support count, created_at, id). */
async function* proposalRows(db: AppDb, project: Project, filters: ReportFilters, ctx: ExportContext): AsyncGenerator<unknown[]> {
  const { proposals, users } = tables(db);
  const pseudonym = pseudonymizer(ctx.secret);
  const scope = and(
    eq(proposals.projectId, project.id),
    publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }),
    ...dateConditions(proposals.createdAt, filters),
  );
  let last: { id: number; supports: number; createdAt: Date } | null = null;
  for (;;) {
    const after: SQL | undefined =
      last === null
        ? undefined
        : or(
            lt(proposals.supportCount, last.supports),
            and(eq(proposals.supportCount, last.supports), gt(proposals.createdAt, last.createdAt)),
            and(eq(proposals.supportCount, last.supports), eq(proposals.createdAt, last.createdAt), gt(proposals.id, last.id)),
          );
    const batch = await db
      .select({
        id: proposals.id,
        title: proposals.title,
        authorId: proposals.authorId,
        deletedAt: users.deletedAt,
        supports: proposals.supportCount,
        status: proposals.status,
        answer: proposals.answerSource,
        answeredAt: proposals.answeredAt,
        createdAt: proposals.createdAt,
      })
      .from(proposals)
      .innerJoin(users, eq(users.id, proposals.authorId))
      .where(and(scope, after))
      .orderBy(desc(proposals.supportCount), asc(proposals.createdAt), asc(proposals.id))
      .limit(READ_BATCH);
    for (const p of batch) {
      yield [
        p.id,
        p.title,
        p.deletedAt !== null ? null : pseudonym(project.id, p.authorId),
        p.supports,
        p.status,
        p.answer,
        p.answeredAt?.toISOString() ?? null,
        p.createdAt.toISOString(),
        `${ctx.origin}/projects/${project.slug}/proposals/${p.id}`,
      ];
    }
    if (batch.length < READ_BATCH) return;
    last = batch[batch.length - 1]!;
  }
}

/** proposals.csv: the project's published proposals, most supported first. */
export function exportProposalsCsv(db: AppDb, project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("proposals", filters);
  const rows = snapshotRows(db, (snapshot) => proposalRows(snapshot, project, filters, ctx));
  return { stream: csvStream([...PROPOSAL_COLUMNS], rows), filename: `${project.slug}-proposals.csv`, contentType: CSV };
}

export const TALLY_COLUMNS = ["kecamatan_code", "kecamatan", ...CHOICES, "total"] as const;

/**
 * tallies.csv: ballots by kecamatan × choice, aggregates only, then the project's total — the
 * report's own cells, withheld ones as "< 5" or "x". Over the whole consultation only.
 */
export function exportTalliesCsv(project: Project, figures: ReportFigures, noAreaLabel: string, totalLabel: string): Download {
  if (figures.withheld.includes("areas")) throw new DomainError(400, "reports.filters.talliesWholeConsultation", {}, "from");
  const rows: unknown[][] = figures.tallies.map((r) => [r.code, r.name ?? noAreaLabel, ...CHOICES.map((c) => r[c]), r.total]);
  const by = Object.fromEntries(figures.headline.ballotsByChoice.map((b) => [b.choice, b.count]));
  rows.push([null, totalLabel, ...CHOICES.map((c) => by[c]), figures.headline.ballots]);
  return { stream: csvStream([...TALLY_COLUMNS], rows), filename: `${project.slug}-tallies.csv`, contentType: CSV };
}

export const CITY_PROJECT_COLUMNS = [
  "slug",
  "title",
  "phase",
  "category",
  "kecamatan",
  "kelurahan",
  "consultation_opens_at",
  "consultation_closes_at",
  "participants",
  "threads",
  "comments",
  "proposals",
  "supports",
  "followers",
  "ballots_support",
  "ballots_oppose",
  "ballots_abstain",
  "link",
] as const;

/** Projects read per batch of projects.csv (each then costs a few counting queries). */
const PROJECT_BATCH = 100;

/** The city's projects in id order, each with its headline figures, in keyset batches. */
async function* cityProjectRows(db: AppDb, ctx: ExportContext): AsyncGenerator<unknown[]> {
  const { projects } = tables(db);
  const areaIndex = await AreaIndex.load(db);
  let lastId = 0;
  for (;;) {
    const batch = await db.select().from(projects).where(gt(projects.id, lastId)).orderBy(asc(projects.id)).limit(PROJECT_BATCH);
    for (const project of batch) {
      const h: ProjectHeadline = await projectHeadline(db, project);
      const kecamatan = areaIndex.kecamatanOf(project.areaId);
      const kelurahan = areaIndex.kelurahanOf(project.areaId);
      yield [
        project.slug,
        project.title,
        project.phase,
        project.category,
        kecamatan?.name ?? null,
        kelurahan?.name ?? null,
        project.consultationOpensAt?.toISOString() ?? null,
        project.consultationClosesAt?.toISOString() ?? null,
        h.participants,
        h.threads,
        h.comments,
        h.proposals,
        h.supports,
        h.followers,
        h.ballots.support,
        h.ballots.oppose,
        h.ballots.abstain,
        `${ctx.origin}/staff/projects/${project.slug}/report`,
      ];
    }
    if (batch.length < PROJECT_BATCH) return;
    lastId = batch[batch.length - 1]!.id;
  }
}

/** The city overview as CSV: every project's headline figures, one project at a time. */
export function exportCityProjectsCsv(db: AppDb, ctx: ExportContext): Download {
  const rows = snapshotRows(db, (snapshot) => cityProjectRows(snapshot, ctx));
  return { stream: csvStream([...CITY_PROJECT_COLUMNS], rows), filename: "rembug-projects.csv", contentType: CSV };
}
