import { and, asc, count, desc, eq, gt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { tables, type AppDb } from "~db/engine";
import type { Category, Phase } from "~db/schema";

export const PROJECTS_PAGE_SIZE = 12;
import type { ProjectSort } from "./filters";
import { paginate } from "~/paginate";

/** What the public project list is narrowed to (read from the page's URL by app/http/project-filters.server.ts). */
export interface ProjectFilters {
  phase?: Phase | null;
  kecamatanId?: number | null;
  category?: Category | null;
  sort?: ProjectSort;
  page?: number;
}

/** The tables of a project card's query: the project, its area (named at its own level) and that area's kecamatan. */
function cardQuery(db: AppDb) {
  const { areas, projects } = tables(db);
  const kelurahan = alias(areas, "kelurahan");
  const kecamatan = alias(areas, "kecamatan");
  /** Columns a project card shows; the area is named at its own level and its kecamatan's. */
  const cardColumns = {
    id: projects.id,
    slug: projects.slug,
    title: projects.title,
    summary: projects.summary,
    phase: projects.phase,
    category: projects.category,
    budgetRupiah: projects.budgetRupiah,
    consultationOpensAt: projects.consultationOpensAt,
    consultationClosesAt: projects.consultationClosesAt,
    commentCount: projects.commentCount,
    votesSupport: projects.votesSupport,
    votesOppose: projects.votesOppose,
    votesAbstain: projects.votesAbstain,
    areaName: kelurahan.name,
    areaLevel: kelurahan.level,
    parentAreaName: kecamatan.name,
  };
  return db
    .select(cardColumns)
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId));
}

/** Published projects (every phase but draft), filtered, sorted and paginated: two queries whatever the size. */
export async function listPublicProjects(db: AppDb, filters: ProjectFilters) {
  const { areas, projects } = tables(db);
  const conditions: SQL[] = [ne(projects.phase, "draft")];
  if (filters.phase) conditions.push(eq(projects.phase, filters.phase));
  if (filters.category) conditions.push(eq(projects.category, filters.category));
  if (filters.kecamatanId) {
    conditions.push(
      or(
        eq(projects.areaId, filters.kecamatanId),
        sql`${projects.areaId} in (select ${areas.id} from ${areas} where ${areas.parentId} = ${filters.kecamatanId})`,
      )!,
    );
  }
  const where = and(...conditions);
  const order =
    filters.sort === "newest"
      ? [desc(projects.createdAt), desc(projects.id)]
      : filters.sort === "active"
        ? // Never active last (both engines say so: PostgreSQL would put nulls first in a descending order).
          [sql`${projects.lastActivityAt} desc nulls last`, desc(projects.id)]
        : // Open consultations closing soonest first, then the rest, newest first.
          [asc(sql`case when ${projects.phase} = 'consultation' then 0 else 1 end`), asc(projects.consultationClosesAt), desc(projects.createdAt)];
  const page = filters.page ?? 1;
  const total = (await db.select({ n: count() }).from(projects).where(where).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, PROJECTS_PAGE_SIZE);
  const rows = await cardQuery(db)
    .where(where)
    .orderBy(...order)
    .limit(PROJECTS_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

/** Open consultations closing soonest, for the home page. */
export async function listClosingSoon(db: AppDb, now: Date, limit = 6) {
  const { projects } = tables(db);
  return cardQuery(db)
    .where(and(eq(projects.phase, "consultation"), gt(projects.consultationClosesAt, now)))
    .orderBy(asc(projects.consultationClosesAt))
    .limit(limit);
}

/** City-wide figures from stored counts: one query. */
export async function cityFigures(db: AppDb) {
  const { projects } = tables(db);
  const [row] = await db
    .select({
      projects: count(),
      open: sql<number>`coalesce(sum(case when ${projects.phase} = 'consultation' then 1 else 0 end), 0)`.mapWith(Number),
      comments: sql<number>`coalesce(sum(${projects.commentCount}), 0)`.mapWith(Number),
      votes: sql<number>`coalesce(sum(${projects.votesSupport} + ${projects.votesOppose} + ${projects.votesAbstain}), 0)`.mapWith(Number),
      proposals: sql<number>`coalesce(sum(${projects.proposalCount}), 0)`.mapWith(Number),
    })
    .from(projects)
    .where(ne(projects.phase, "draft"))
    .limit(1);
  return row ?? { projects: 0, open: 0, comments: 0, votes: 0, proposals: 0 };
}

export async function listKecamatan(db: AppDb) {
  const { areas } = tables(db);
  return db.select({ id: areas.id, name: areas.name }).from(areas).where(eq(areas.level, "kecamatan")).orderBy(areas.name);
}

export type ProjectCard = Awaited<ReturnType<typeof listPublicProjects>>["rows"][number];
