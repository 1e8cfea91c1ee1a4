import { inArray, sql, type SQL } from "drizzle-orm";
import { engineOf, rows, tables, type AppDb } from "~db/engine";
import type { AreaLevel } from "~db/schema";
import type { ReportFilters } from "./filters.server";
import { publishedSql, type ContentKind } from "~/content/visibility.server";

/**
 * SQL fragments shared by the figures and the downloads, so "published feedback" and the filters
 * mean the same everywhere. Column references are fixed aliases (c, t, tp, p, s, v, f, u). The
 * SQL is the same on both engines, but for the few expressions below that ask for the handle
 * (`engineOf(db)`): time buckets and instants as milliseconds.
 */

/** Columns of an alias, for the visibility rule (app/content/visibility.server.ts). */
const aliased = <K extends ContentKind>(kind: K, alias: string) =>
  ({ kind, visibility: sql.raw(`${alias}.visibility`), authorId: sql.raw(`${alias}.author_id`) }) as const;

/**
 * Reports count what everybody reads, as search does: published content inside published
 * content (app/content/visibility.server.ts, decision 011). A thread (alias t) or proposal
 * (alias p) counts when published.
 */
export const PUBLISHED_THREAD = publishedSql(aliased("thread", "t"));
export const PUBLISHED_PROPOSAL = publishedSql(aliased("proposal", "p"));

/**
 * A comment counts as published feedback only when it, its thread and (for a proposal's
 * discussion) its proposal are all published: held, hidden, rejected and deleted content never
 * counts, nor does anything inside hidden content.
 */
const THREAD_IN_PROPOSAL = { ...aliased("thread", "t"), container: { ...aliased("proposal", "tp"), presentWhen: sql.raw("t.proposal_id") } };
export const VISIBLE_COMMENT = publishedSql({ ...aliased("comment", "c"), container: THREAD_IN_PROPOSAL });
export const COMMENT_JOINS = sql.raw("join threads t on t.id = c.thread_id left join proposals tp on tp.id = t.proposal_id");

/**
 * Ids written into the SQL as a list, `(1, 2, 3)`: the ids of rows read from the database, so
 * integers, never text from a request. For the few ids a report names (excluded threads, a
 * kecamatan's areas, quoted comments); an empty list is `(null)`, which matches nothing.
 */
export function idList(ids: readonly number[]): SQL {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`not an id: ${String(id)}`);
  return sql.raw(`(${ids.length ? ids.join(", ") : "null"})`);
}

/**
 * The threads of a project whose comments are not published feedback, even when the comments
 * themselves are published: hidden (held, rejected, deleted) threads and the discussions of
 * proposals that are not published. There are few, so a project's published comments can then be
 * read straight from the (project, visibility, created_at) index without a join per comment.
 */
export async function excludedThreads(db: AppDb, projectId: number): Promise<number[]> {
  const found = await rows<{ id: number }>(
    db,
    sql`select t.id as id from threads t left join proposals tp on tp.id = t.proposal_id
      where t.project_id = ${projectId} and not coalesce(${publishedDiscussion()}, false)`,
  );
  return found.map((r) => r.id);
}

/**
 * A thread (alias t, its proposal tp) whose published comments are feedback: published, inside
 * a published proposal when it is one's discussion, and — given the alias of its project — not
 * in a draft project.
 */
export function publishedDiscussion(projectAlias?: string): SQL {
  return publishedSql(projectAlias ? { ...THREAD_IN_PROPOSAL, projectPhase: sql.raw(`${projectAlias}.phase`) } : THREAD_IN_PROPOSAL);
}

/** The project's published comments (alias c), given its excluded threads: VISIBLE_COMMENT without the joins. */
export function visibleCommentOf(excluded: number[]): SQL {
  const published = publishedSql(aliased("comment", "c"));
  if (!excluded.length) return published;
  return sql`${published} and c.thread_id not in ${idList(excluded)}`;
}

/** An instant bound as its column binds it (epoch milliseconds on SQLite, a timestamptz on PostgreSQL). */
export function instantParam(db: AppDb, instant: Date): SQL {
  return sql`${sql.param(instant, tables(db).comments.createdAt)}`;
}

/** `column` within the filters' date range. */
export function inRange(db: AppDb, column: string, f: ReportFilters): SQL {
  const parts: SQL[] = [];
  if (f.from) parts.push(sql`${sql.raw(column)} >= ${instantParam(db, f.from)}`);
  if (f.to) parts.push(sql`${sql.raw(column)} < ${instantParam(db, f.to)}`);
  return parts.length ? sql` and ${sql.join(parts, sql` and `)}` : sql``;
}

/** `column` (an area id) inside the filtered kecamatan: the kecamatan itself or one of its kelurahan. */
export function inArea(column: string, areaIds: number[] | null): SQL {
  if (!areaIds) return sql``;
  return sql` and ${sql.raw(column)} in ${idList(areaIds)}`;
}

/**
 * The number of the `bucketMs`-long slice of time since the epoch that `column` (an instant) falls
 * in, as an integer: SQLite stores milliseconds, PostgreSQL a timestamptz.
 */
export function timeBucket(db: AppDb, column: string, bucketMs: number): SQL {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error("a bucket is a positive number of milliseconds");
  if (engineOf(db) === "pg") return sql.raw(`cast(floor(extract(epoch from ${column}) * 1000 / ${bucketMs}) as bigint)`);
  return sql.raw(`(${column} / ${bucketMs})`);
}

/** The kecamatan (id) of an area (alias `alias`, left-joined): itself for a kecamatan, its parent for a kelurahan, else null. */
export const kecamatanOfArea = (alias: string) => sql.raw(`case ${alias}.level when 'kecamatan' then ${alias}.id when 'kelurahan' then ${alias}.parent_id end`);

export interface AreaInfo {
  id: number;
  code: string;
  name: string;
  level: AreaLevel;
  parentId: number | null;
  population: number;
}

/** Every kecamatan and kelurahan, looked up by id (a city has a few hundred at most). */
export class AreaIndex {
  readonly byId = new Map<number, AreaInfo>();
  readonly kecamatan: AreaInfo[];
  readonly kelurahan: AreaInfo[];

  constructor(rows: AreaInfo[]) {
    for (const row of rows) this.byId.set(row.id, row);
    const byName = (a: AreaInfo, b: AreaInfo) => a.name.localeCompare(b.name, "id");
    this.kecamatan = rows.filter((a) => a.level === "kecamatan").sort(byName);
    this.kelurahan = rows
      .filter((a) => a.level === "kelurahan")
      .sort((a, b) => (this.kecamatanOf(a.id)?.name ?? "").localeCompare(this.kecamatanOf(b.id)?.name ?? "", "id") || byName(a, b));
  }

  static async load(db: AppDb): Promise<AreaIndex> {
    const { areas } = tables(db);
    return new AreaIndex(
      await db
        .select({ id: areas.id, code: areas.code, name: areas.name, level: areas.level, parentId: areas.parentId, population: areas.population })
        .from(areas)
        .where(inArray(areas.level, ["kecamatan", "kelurahan"])),
    );
  }

  /** The kecamatan an area lies in (itself for a kecamatan); null for no area or the city. */
  kecamatanOf(areaId: number | null | undefined): AreaInfo | null {
    if (areaId === null || areaId === undefined) return null;
    const area = this.byId.get(areaId);
    if (!area) return null;
    if (area.level === "kecamatan") return area;
    return area.parentId !== null ? (this.byId.get(area.parentId) ?? null) : null;
  }

  kelurahanOf(areaId: number | null | undefined): AreaInfo | null {
    if (areaId === null || areaId === undefined) return null;
    const area = this.byId.get(areaId);
    return area?.level === "kelurahan" ? area : null;
  }

  /** The area ids a kecamatan filter selects. */
  idsWithin(kecamatanId: number): number[] {
    return [kecamatanId, ...this.kelurahan.filter((k) => k.parentId === kecamatanId).map((k) => k.id)];
  }
}

/** "YYYY-MM-DD" of an instant in the city's time zone. */
export function cityDayFormatter(timeZone: string) {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  return (instant: number | Date) => format.format(instant);
}
