import { and, asc, count, desc, eq, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "~db/client";
import { areas, projects, type Category, type Phase } from "~db/schema";

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

/** Published projects (every phase but draft), filtered, sorted and paginated: two queries whatever the size. */
export function listPublicProjects(db: Db, filters: ProjectFilters) {
  const conditions: SQL[] = [ne(projects.phase, "draft")];
  if (filters.phase) conditions.push(eq(projects.phase, filters.phase));
  if (filters.category) conditions.push(eq(projects.category, filters.category));
  if (filters.kecamatanId) {
    conditions.push(or(eq(projects.areaId, filters.kecamatanId), sql`${projects.areaId} in (select id from areas where parent_id = ${filters.kecamatanId})`)!);
  }
  const where = and(...conditions);
  const order =
    filters.sort === "newest"
      ? [desc(projects.createdAt), desc(projects.id)]
      : filters.sort === "active"
        ? [desc(sql`coalesce(${projects.lastActivityAt}, 0)`), desc(projects.id)]
        : // Open consultations closing soonest first, then the rest, newest first.
          [asc(sql`case when ${projects.phase} = 'consultation' then 0 else 1 end`), asc(projects.consultationClosesAt), desc(projects.createdAt)];
  const page = filters.page ?? 1;
  const total = db.select({ n: count() }).from(projects).where(where).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, PROJECTS_PAGE_SIZE);
  const rows = db
    .select(cardColumns)
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId))
    .where(where)
    .orderBy(...order)
    .limit(PROJECTS_PAGE_SIZE)
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

/** Open consultations closing soonest, for the home page. */
export function listClosingSoon(db: Db, now: Date, limit = 6) {
  return db
    .select(cardColumns)
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId))
    .where(and(eq(projects.phase, "consultation"), sql`${projects.consultationClosesAt} > ${now.getTime()}`))
    .orderBy(asc(projects.consultationClosesAt))
    .limit(limit)
    .all();
}

/** City-wide figures from stored counts: one query. */
export function cityFigures(db: Db) {
  const row = db
    .select({
      projects: count(),
      open: sql<number>`coalesce(sum(case when ${projects.phase} = 'consultation' then 1 else 0 end), 0)`,
      comments: sql<number>`coalesce(sum(${projects.commentCount}), 0)`,
      votes: sql<number>`coalesce(sum(${projects.votesSupport} + ${projects.votesOppose} + ${projects.votesAbstain}), 0)`,
      proposals: sql<number>`coalesce(sum(${projects.proposalCount}), 0)`,
    })
    .from(projects)
    .where(ne(projects.phase, "draft"))
    .get();
  return row ?? { projects: 0, open: 0, comments: 0, votes: 0, proposals: 0 };
}

export function listKecamatan(db: Db) {
  return db.select({ id: areas.id, name: areas.name }).from(areas).where(eq(areas.level, "kecamatan")).orderBy(areas.name).all();
}

export type ProjectCard = ReturnType<typeof listPublicProjects>["rows"][number];
