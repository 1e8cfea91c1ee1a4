import { and, asc, eq, gte, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Readable } from "node:stream";
import type { Db } from "~db/client";
import { areas, comments, projects, proposals, threads, users, type Project, type User } from "~db/schema";
import { logAction } from "~/moderation/log.server";
import { csvStream } from "./csv.server";
import { describeFilters, type ReportFilters } from "./filters.server";
import type { ReportFigures } from "./figures.server";
import { projectHeadline, type ProjectHeadline } from "./overview.server";
import { pseudonymizer } from "./pseudonyms.server";
import { openReader } from "./reader.server";
import { AreaIndex } from "./scope.server";

/**
 * The downloads. Each CSV is read through a read-only connection of its own, opened when the
 * client starts reading and closed when the file ends or the client leaves, with better-sqlite3's
 * row iterator (a Drizzle query's SQL run with `.raw().iterate()`): rows go out as they are read,
 * in constant memory, and the shared connection stays free for every other request.
 * Only published content; authors only as per-project pseudonyms; no e-mail, no name, no ballot.
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
export function logExport(db: Db, actor: Pick<User, "id">, target: { type: "project" | "city"; id: number | null; slug?: string }, file: string, filters: ReportFilters) {
  logAction(db, actor, "export", { type: target.type, id: target.id }, null, {
    file,
    ...(target.slug ? { slug: target.slug } : {}),
    filters: describeFilters(filters),
  });
}

/** Iterates a Drizzle query's rows (as arrays) straight from SQLite, one at a time. */
function* iterateRows(reader: Db, query: { toSQL(): { sql: string; params: unknown[] } }): Generator<unknown[]> {
  const { sql: text, params } = query.toSQL();
  yield* reader.$client.prepare(text).raw().iterate(...params) as IterableIterator<unknown[]>;
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

const authorArea = alias(areas, "author_area");
const authorParent = alias(areas, "author_parent");
const threadProposal = alias(proposals, "thread_proposal");

/** The filters as conditions on a content table's date column and its author's area. */
function filterConditions(createdAt: typeof comments.createdAt | typeof proposals.createdAt, filters: ReportFilters, areaIds: number[] | null): SQL[] {
  const out: SQL[] = [];
  if (filters.from) out.push(gte(createdAt, filters.from));
  if (filters.to) out.push(lt(createdAt, filters.to));
  if (areaIds) out.push(inArray(users.areaId, areaIds));
  return out;
}

function areaIdsOf(db: Db, filters: ReportFilters) {
  return filters.kecamatan ? AreaIndex.load(db).idsWithin(filters.kecamatan.id) : null;
}

/** kecamatan and kelurahan of an author's area, whichever level it was recorded at. */
const kecamatanName = sql<string | null>`case when ${authorArea.level} = 'kecamatan' then ${authorArea.name} when ${authorArea.level} = 'kelurahan' then ${authorParent.name} end`;
const kelurahanName = sql<string | null>`case when ${authorArea.level} = 'kelurahan' then ${authorArea.name} end`;

export const COMMENT_COLUMNS = [
  "id",
  "thread_id",
  "thread_title",
  "parent_id",
  "created_at",
  "author",
  "kecamatan",
  "kelurahan",
  "stance",
  "official",
  "text",
  "link",
] as const;
export const CITY_COMMENT_COLUMNS = ["project", ...COMMENT_COLUMNS] as const;

/** Published comments (in published threads of published proposals), oldest first. */
function commentQuery(reader: Db, where: SQL[]) {
  return reader
    .select({
      id: comments.id,
      projectId: comments.projectId,
      slug: projects.slug,
      threadId: comments.threadId,
      threadTitle: threads.title,
      proposalId: threads.proposalId,
      parentId: comments.parentId,
      createdAt: sql<number>`${comments.createdAt}`,
      authorId: comments.authorId,
      role: users.role,
      kecamatan: kecamatanName,
      kelurahan: kelurahanName,
      stance: comments.stance,
      text: comments.bodySource,
    })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .leftJoin(threadProposal, eq(threadProposal.id, threads.proposalId))
    .innerJoin(projects, eq(projects.id, comments.projectId))
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(authorArea, eq(authorArea.id, users.areaId))
    .leftJoin(authorParent, eq(authorParent.id, authorArea.parentId))
    .where(
      and(
        eq(comments.visibility, "published"),
        eq(threads.visibility, "published"),
        or(isNull(threads.proposalId), eq(threadProposal.visibility, "published")),
        ne(projects.phase, "draft"),
        ...where,
      ),
    )
    .orderBy(asc(comments.id));
}

type CommentRow = [number, number, string, number, string, number | null, number | null, number, number, User["role"], string | null, string | null, string | null, string];

function* commentCsvRows(reader: Db, where: SQL[], ctx: ExportContext, withProject: boolean): Generator<unknown[]> {
  const pseudonym = pseudonymizer(ctx.secret);
  for (const raw of iterateRows(reader, commentQuery(reader, where))) {
    const [id, projectId, slug, threadId, threadTitle, proposalId, parentId, createdAt, authorId, role, kecamatan, kelurahan, stance, text] = raw as CommentRow;
    const base = proposalId ? `/projects/${slug}/proposals/${proposalId}` : `/projects/${slug}/threads/${threadId}`;
    const row = [
      id,
      threadId,
      threadTitle,
      parentId,
      new Date(createdAt).toISOString(),
      pseudonym(projectId, authorId),
      kecamatan,
      kelurahan,
      stance ?? "none",
      role !== "resident",
      text,
      `${ctx.origin}${base}?comment=${id}#comment-${id}`,
    ];
    yield withProject ? [slug, ...row] : row;
  }
}

/** comments.csv of one project. */
export function exportCommentsCsv(db: Db, project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  const areaIds = areaIdsOf(db, filters);
  const rows = withReader(ctx.databaseUrl, (reader) =>
    commentCsvRows(reader, [eq(comments.projectId, project.id), ...filterConditions(comments.createdAt, filters, areaIds)], ctx, false),
  );
  return { stream: csvStream([...COMMENT_COLUMNS], rows), filename: `${project.slug}-comments.csv`, contentType: CSV };
}

/** The city-wide comments.csv: every project's published comments, each author pseudonymous per project. */
export function exportCityCommentsCsv(db: Db, filters: ReportFilters, ctx: ExportContext): Download {
  const areaIds = areaIdsOf(db, filters);
  const rows = withReader(ctx.databaseUrl, (reader) => commentCsvRows(reader, filterConditions(comments.createdAt, filters, areaIds), ctx, true));
  return { stream: csvStream([...CITY_COMMENT_COLUMNS], rows), filename: "rembug-comments.csv", contentType: CSV };
}

export const PROPOSAL_COLUMNS = [
  "id",
  "title",
  "author",
  "kecamatan",
  "kelurahan",
  "supports",
  "status",
  "official_answer",
  "answered_at",
  "created_at",
  "link",
] as const;

/** proposals.csv: the project's published proposals, most supported first. */
export function exportProposalsCsv(db: Db, project: Project, filters: ReportFilters, ctx: ExportContext): Download {
  const areaIds = areaIdsOf(db, filters);
  const rows = withReader(ctx.databaseUrl, function* (reader) {
    const pseudonym = pseudonymizer(ctx.secret);
    const query = reader
      .select({
        id: proposals.id,
        title: proposals.title,
        authorId: proposals.authorId,
        kecamatan: kecamatanName,
        kelurahan: kelurahanName,
        supports: proposals.supportCount,
        status: proposals.status,
        answer: proposals.answerSource,
        answeredAt: sql<number | null>`${proposals.answeredAt}`,
        createdAt: sql<number>`${proposals.createdAt}`,
      })
      .from(proposals)
      .innerJoin(users, eq(users.id, proposals.authorId))
      .leftJoin(authorArea, eq(authorArea.id, users.areaId))
      .leftJoin(authorParent, eq(authorParent.id, authorArea.parentId))
      .where(and(eq(proposals.projectId, project.id), eq(proposals.visibility, "published"), ...filterConditions(proposals.createdAt, filters, areaIds)))
      .orderBy(sql`${proposals.supportCount} desc`, asc(proposals.createdAt), asc(proposals.id));
    for (const raw of iterateRows(reader, query)) {
      const [id, title, authorId, kecamatan, kelurahan, supports, status, answer, answeredAt, createdAt] = raw as [
        number, string, number, string | null, string | null, number, string, string | null, number | null, number,
      ];
      yield [
        id,
        title,
        pseudonym(project.id, authorId),
        kecamatan,
        kelurahan,
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

export const TALLY_COLUMNS = ["kecamatan_code", "kecamatan", "support", "oppose", "abstain", "total"] as const;

/** tallies.csv: ballots by kecamatan × choice, aggregates only (small counts as "< 5"), then the project's total. */
export function exportTalliesCsv(project: Project, figures: ReportFigures, noAreaLabel: string, totalLabel: string): Download {
  const rows: unknown[][] = figures.tallies.map((r) => [r.code, r.name ?? noAreaLabel, r.support, r.oppose, r.abstain, r.total]);
  const by = Object.fromEntries(figures.headline.ballotsByChoice.map((b) => [b.choice, b.count]));
  rows.push([null, totalLabel, by.support, by.oppose, by.abstain, figures.headline.ballots]);
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
