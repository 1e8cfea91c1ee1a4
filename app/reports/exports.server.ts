import { and, asc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Readable } from "node:stream";
import type { Db } from "~db/client";
import { CHOICES, comments, projects, proposals, users, type Project, type User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { logAction } from "~/audit/log.server";
import { csvStream } from "./csv.server";
import { assertListable, describeFilters, type ReportFilters } from "./filters.server";
import type { ReportFigures } from "./figures.server";
import { projectHeadline, type ProjectHeadline } from "./overview.server";
import { pseudonymizer } from "./pseudonyms.server";
import { openReader } from "./reader.server";
import { AreaIndex, publishedDiscussion } from "./scope.server";
import { publishedSql } from "~/content/visibility.server";
import { commentPath } from "~/content/links";

/**
 * The downloads. Each CSV is read through a read-only connection of its own, opened when the
 * client starts reading and closed when the file ends or the client leaves, with better-sqlite3's
 * row iterator (a Drizzle query's SQL run with `.raw().iterate()`): rows go out as they are read,
 * in constant memory, and the shared connection stays free for every other request.
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
  databaseUrl: string;
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
export function logExport(
  db: Db,
  actor: Pick<User, "id">,
  target: { type: "project" | "city"; id: number | null; slug?: string },
  file: string,
  filters: ReportFilters,
) {
  logAction(db, actor, "export", { type: target.type, id: target.id }, null, {
    file,
    ...(target.slug ? { slug: target.slug } : {}),
    filters: describeFilters(filters),
  });
}

/** Iterates a Drizzle query's rows (as arrays) straight from SQLite, one at a time. */
function* iterateRows(reader: Db, query: { toSQL(): { sql: string; params: unknown[] } }): Generator<unknown[]> {
  const { sql: text, params } = query.toSQL();
  yield* reader.$client
    .prepare(text)
    .raw()
    .iterate(...params) as IterableIterator<unknown[]>;
}

/** Runs `rows` with a reader connection opened on first read and closed at the end, on error or on abandon. */
function withReader<T>(databaseUrl: string, rows: (reader: Db) => Iterable<T>): Iterable<T> {
  return {
    *[Symbol.iterator]() {
      const reader = openReader(databaseUrl);
      try {
        yield* rows(reader);
      } finally {
        reader.$client.close();
      }
    },
  };
}

/** The date range as conditions on a content table's date column (lists are never filtered by area). */
export function dateConditions(createdAt: typeof comments.createdAt | typeof proposals.createdAt, filters: ReportFilters): SQL[] {
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
function excludedThreadIds(reader: Db, projectId: number | null): number[] {
  return reader
    .all<{ id: number }>(
      sql`select t.id from threads t left join proposals tp on tp.id = t.proposal_id join projects pr on pr.id = t.project_id
      where ${projectId === null ? sql`1` : sql`t.project_id = ${projectId}`} and not coalesce(${publishedDiscussion("pr")}, 0)`,
    )
    .map((r) => r.id);
}

/** Title, proposal and project slug of every thread (of a project, or of the city), for the rows' links. */
function threadInfo(reader: Db, projectId: number | null) {
  const rows = reader.all<{ id: number; title: string; proposalId: number | null; slug: string }>(sql`
    select t.id, t.title, t.proposal_id as proposalId, pr.slug from threads t join projects pr on pr.id = t.project_id
    ${projectId === null ? sql`` : sql`where t.project_id = ${projectId}`}`);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Published comments with their author's role and whether the account was erased: one indexed read, joined only to users.
 * A project's come in the order of its (project, visibility, created_at) index — oldest first,
 * without a sort; the city's in id order.
 */
function commentQuery(reader: Db, excluded: number[], where: SQL[]) {
  return reader
    .select({
      id: comments.id,
      projectId: comments.projectId,
      threadId: comments.threadId,
      parentId: comments.parentId,
      createdAt: sql<number>`${comments.createdAt}`,
      authorId: comments.authorId,
      role: users.role,
      erased: sql<number>`${users.deletedAt} is not null`,
      stance: comments.stance,
      text: comments.bodySource,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(
      and(
        publishedSql({ kind: "comment", visibility: comments.visibility, authorId: comments.authorId }),
        sql`${comments.threadId} not in (select value from json_each(${JSON.stringify(excluded)}))`,
        ...where,
      ),
    );
}

type CommentRow = [number, number, number, number | null, number, number, User["role"], number, string | null, string];

/**
 * The rows of comments.csv (and of the workbook's comments sheet), read one at a time — of one
 * project, or of the whole city when `projectId` is null.
 */
export function* commentRows(
  reader: Db,
  projectId: number | null,
  where: SQL[],
  ctx: Pick<ExportContext, "origin" | "secret">,
  withProject: boolean,
): Generator<unknown[]> {
  const pseudonym = pseudonymizer(ctx.secret);
  const threadsById = threadInfo(reader, projectId);
  const scope = projectId === null ? where : [eq(comments.projectId, projectId), ...where];
  for (const raw of iterateRows(reader, commentQuery(reader, excludedThreadIds(reader, projectId), scope))) {
    const [id, project, threadId, parentId, createdAt, authorId, role, erased, stance, text] = raw as CommentRow;
    const thread = threadsById.get(threadId);
    if (!thread) continue;
    const link = commentPath(thread.slug, { id: threadId, proposalId: thread.proposalId }, id);
    const row = [
      id,
      threadId,
      thread.title,
      parentId,
      new Date(createdAt).toISOString(),
      erased ? null : pseudonym(project, authorId),
      stance ?? "none",
      role !== "resident",
      text,
      `${ctx.origin}${link}`,
    ];
    yield withProject ? [thread.slug, ...row] : row;
  }
}

/** comments.csv of one project. */
export function exportCommentsCsv(project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("comments", filters);
  const rows = withReader(ctx.databaseUrl, (reader) => commentRows(reader, project.id, dateConditions(comments.createdAt, filters), ctx, false));
  return { stream: csvStream([...COMMENT_COLUMNS], rows), filename: `${project.slug}-comments.csv`, contentType: CSV };
}

/** The city-wide comments.csv: every project's published comments, each author pseudonymous per project. */
export function exportCityCommentsCsv(filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("comments", filters);
  const rows = withReader(ctx.databaseUrl, (reader) => commentRows(reader, null, dateConditions(comments.createdAt, filters), ctx, true));
  return { stream: csvStream([...CITY_COMMENT_COLUMNS], rows), filename: "rembug-comments.csv", contentType: CSV };
}

export const PROPOSAL_COLUMNS = ["id", "title", "author", "supports", "status", "official_answer", "answered_at", "created_at", "link"] as const;

/** proposals.csv: the project's published proposals, most supported first. */
export function exportProposalsCsv(project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  assertListable("proposals", filters);
  const rows = withReader(ctx.databaseUrl, function* (reader) {
    const pseudonym = pseudonymizer(ctx.secret);
    const query = reader
      .select({
        id: proposals.id,
        title: proposals.title,
        authorId: proposals.authorId,
        erased: sql<number>`${users.deletedAt} is not null`,
        supports: proposals.supportCount,
        status: proposals.status,
        answer: proposals.answerSource,
        answeredAt: sql<number | null>`${proposals.answeredAt}`,
        createdAt: sql<number>`${proposals.createdAt}`,
      })
      .from(proposals)
      .innerJoin(users, eq(users.id, proposals.authorId))
      .where(
        and(
          eq(proposals.projectId, project.id),
          publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }),
          ...dateConditions(proposals.createdAt, filters),
        ),
      )
      .orderBy(sql`${proposals.supportCount} desc`, asc(proposals.createdAt), asc(proposals.id));
    for (const raw of iterateRows(reader, query)) {
      const [id, title, authorId, erased, supports, status, answer, answeredAt, createdAt] = raw as [
        number,
        string,
        number,
        number,
        number,
        string,
        string | null,
        number | null,
        number,
      ];
      yield [
        id,
        title,
        erased ? null : pseudonym(project.id, authorId),
        supports,
        status,
        answer,
        answeredAt === null ? null : new Date(answeredAt).toISOString(),
        new Date(createdAt).toISOString(),
        `${ctx.origin}/projects/${project.slug}/proposals/${id}`,
      ];
    }
  });
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

/** The city overview as CSV: every project's headline figures, one project at a time. */
export function exportCityProjectsCsv(ctx: ExportContext): Download {
  const rows = withReader(ctx.databaseUrl, function* (reader) {
    const areaIndex = AreaIndex.load(reader);
    const ids = reader.select({ id: projects.id }).from(projects).orderBy(asc(projects.id)).all();
    for (const { id } of ids) {
      const project = reader.select().from(projects).where(eq(projects.id, id)).get();
      if (!project) continue;
      const h: ProjectHeadline = projectHeadline(reader, project);
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
  });
  return { stream: csvStream([...CITY_PROJECT_COLUMNS], rows), filename: "rembug-projects.csv", contentType: CSV };
}
