import { and, asc, count, eq, isNotNull, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { tables, type AppDb } from "~db/engine";
import type { Category, Phase } from "~db/schema";
import { isConsultationOpen } from "./projects.server";
import { paginate } from "~/paginate";

/** The open data API: published projects only, aggregate figures only, no personal data. */
export const API_PAGE_SIZE_DEFAULT = 50;
export const API_PAGE_SIZE_MAX = 200;

/** The columns the API shows, from the project and its area under the query's own names. */
function apiColumns(db: AppDb) {
  const { areas, projects } = tables(db);
  const kelurahan = alias(areas, "api_area");
  const kecamatan = alias(areas, "api_parent");
  const columns = {
    id: projects.id,
    slug: projects.slug,
    title: projects.title,
    summary: projects.summary,
    category: projects.category,
    phase: projects.phase,
    outcome: projects.outcome,
    outcomeReason: projects.outcomeReason,
    budgetRupiah: projects.budgetRupiah,
    lat: projects.lat,
    lng: projects.lng,
    consultationOpensAt: projects.consultationOpensAt,
    consultationClosesAt: projects.consultationClosesAt,
    votesSupport: projects.votesSupport,
    votesOppose: projects.votesOppose,
    votesAbstain: projects.votesAbstain,
    threadCount: projects.threadCount,
    commentCount: projects.commentCount,
    proposalCount: projects.proposalCount,
    followerCount: projects.followerCount,
    publishedAt: projects.publishedAt,
    updatedAt: projects.updatedAt,
    areaCode: kelurahan.code,
    areaName: kelurahan.name,
    areaLevel: kelurahan.level,
    parentCode: kecamatan.code,
    parentName: kecamatan.name,
    parentLevel: kecamatan.level,
  };
  return { columns, kelurahan, kecamatan };
}

type Row = { [K in keyof ReturnType<typeof apiColumns>["columns"]]: unknown } & Record<string, unknown>;

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

export function toApiProject(row: Row, siteOrigin: string, now = new Date()) {
  const r = row as unknown as {
    slug: string;
    title: string;
    summary: string;
    category: Category;
    phase: Phase;
    outcome: string | null;
    outcomeReason: string | null;
    budgetRupiah: number;
    lat: number | null;
    lng: number | null;
    consultationOpensAt: Date | null;
    consultationClosesAt: Date | null;
    votesSupport: number;
    votesOppose: number;
    votesAbstain: number;
    threadCount: number;
    commentCount: number;
    proposalCount: number;
    followerCount: number;
    publishedAt: Date | null;
    updatedAt: Date | null;
    areaCode: string;
    areaName: string;
    areaLevel: string;
    parentCode: string | null;
    parentName: string | null;
    parentLevel: string | null;
  };
  return {
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    category: r.category,
    phase: r.phase,
    decision: r.outcome ? { outcome: r.outcome, reason: r.outcomeReason } : null,
    area: {
      code: r.areaCode,
      name: r.areaName,
      level: r.areaLevel,
      parent: r.parentCode ? { code: r.parentCode, name: r.parentName, level: r.parentLevel } : null,
    },
    budgetRupiah: r.budgetRupiah,
    location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
    consultation: {
      opensAt: iso(r.consultationOpensAt),
      closesAt: iso(r.consultationClosesAt),
      open: isConsultationOpen({ phase: r.phase, consultationOpensAt: r.consultationOpensAt, consultationClosesAt: r.consultationClosesAt }, now),
    },
    tallies: { support: r.votesSupport, oppose: r.votesOppose, abstain: r.votesAbstain, total: r.votesSupport + r.votesOppose + r.votesAbstain },
    counts: { threads: r.threadCount, comments: r.commentCount, proposals: r.proposalCount, followers: r.followerCount },
    publishedAt: iso(r.publishedAt),
    updatedAt: iso(r.updatedAt),
    url: `${siteOrigin}/projects/${r.slug}`,
  };
}

export type ApiProject = ReturnType<typeof toApiProject>;

/** What a page of the API lists (read from the request's URL by app/http/open-data.server.ts). */
export interface ApiQuery {
  page: number;
  pageSize: number;
  phase: Phase | null;
  category: Category | null;
}

function baseQuery(db: AppDb, where: SQL | undefined) {
  const { projects } = tables(db);
  const { columns, kelurahan, kecamatan } = apiColumns(db);
  return db
    .select(columns)
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId))
    .where(where);
}

export async function listApiProjects(db: AppDb, query: ApiQuery, siteOrigin: string) {
  const { projects } = tables(db);
  const conditions: SQL[] = [ne(projects.phase, "draft")];
  if (query.phase) conditions.push(eq(projects.phase, query.phase));
  if (query.category) conditions.push(eq(projects.category, query.category));
  const where = and(...conditions);
  const total = (await db.select({ n: count() }).from(projects).where(where).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, query.page, query.pageSize);
  const rows = await baseQuery(db, where).orderBy(asc(projects.id)).limit(query.pageSize).offset(offset);
  const now = new Date();
  return { data: rows.map((r) => toApiProject(r, siteOrigin, now)), total, pageCount };
}

export async function getApiProject(db: AppDb, slug: string, siteOrigin: string) {
  const { projects } = tables(db);
  const [row] = await baseQuery(db, and(eq(projects.slug, slug), ne(projects.phase, "draft"))).limit(1);
  return row ? toApiProject(row, siteOrigin) : null;
}

/** Every published project with a location, as a GeoJSON FeatureCollection (RFC 7946: lng, lat). */
export async function projectsGeoJson(db: AppDb, siteOrigin: string) {
  const { projects } = tables(db);
  const rows = await baseQuery(db, and(ne(projects.phase, "draft"), isNotNull(projects.lat), isNotNull(projects.lng))).orderBy(asc(projects.id));
  const now = new Date();
  return {
    type: "FeatureCollection" as const,
    features: rows.map((r) => {
      const p = toApiProject(r, siteOrigin, now);
      const { location, ...properties } = p;
      return { type: "Feature" as const, geometry: { type: "Point" as const, coordinates: [location!.lng, location!.lat] }, properties };
    }),
  };
}
