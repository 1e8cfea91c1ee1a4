/**
 * Every count the database stores for lists (DESIGN.md: "Counts shown on lists are stored"),
 * defined once from the rows themselves. The demo seed sets them with `recountStoredCountsIn`
 * (either engine, inside its write transaction), the large benchmark city and the tests with
 * `recountStoredCounts` on an SQLite connection; the security suites compare them with
 * `storedCountMismatches` after every batch of hostile requests, so a write that changed rows
 * without their counts is found (db/recount-pg.ts: the same comparison on PostgreSQL).
 *
 * Each count is a grouped subquery (one scan, joined on the row's id), not a correlated subquery
 * per row, so a million comments recount in seconds. The definitions are SQLite's dialect over
 * SQLite's values; on PostgreSQL they run over views that show the tables that way (below).
 */
import type Database from "better-sqlite3";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgBoolean, PgTable, PgTimestamp } from "drizzle-orm/pg-core";
import { engineOf, execute, rows, tables, withWriteTx, type AppDb } from "./engine";
import type { Db } from "./client";
import { CHOICES } from "./schema/values";

type Table = "comments" | "threads" | "proposals" | "projects" | "users";

interface StoredCount {
  table: Table;
  column: string;
  /** Grouped subqueries, each `select key, v … group by key`, joined to the row as `alias`. */
  from: Record<string, string>;
  /** The value from the row (named by its table) and the joined aliases (null where a group is absent). */
  value: string;
  /**
   * exact: stored = value. latest: the time of the latest activity; the domain only ever moves it
   * forward (a withdrawn support or a deleted comment leaves it where it was), so the stored value
   * may be later than what the remaining rows show, never earlier.
   */
  compare: "exact" | "latest";
}

const published = "visibility = 'published'";

export const STORED_COUNTS: readonly StoredCount[] = [
  {
    table: "comments",
    column: "reply_count",
    from: { r: `select parent_id as key, count(*) as v from comments where parent_id is not null and ${published} group by parent_id` },
    value: "coalesce(r.v, 0)",
    compare: "exact",
  },
  {
    table: "threads",
    column: "comment_count",
    from: { c: `select thread_id as key, count(*) as v from comments where ${published} group by thread_id` },
    value: "coalesce(c.v, 0)",
    compare: "exact",
  },
  {
    table: "threads",
    column: "last_activity_at",
    from: { c: `select thread_id as key, max(created_at) as v from comments where ${published} group by thread_id` },
    value: "max(threads.created_at, coalesce(c.v, threads.created_at))",
    compare: "latest",
  },
  {
    table: "proposals",
    column: "support_count",
    from: { s: "select proposal_id as key, count(*) as v from supports group by proposal_id" },
    value: "coalesce(s.v, 0)",
    compare: "exact",
  },
  ...CHOICES.map((choice): StoredCount => ({
    table: "projects",
    column: `votes_${choice}`,
    from: { v: `select project_id as key, count(*) as v from votes where choice = '${choice}' group by project_id` },
    value: "coalesce(v.v, 0)",
    compare: "exact",
  })),
  {
    table: "projects",
    column: "thread_count",
    // A proposal's discussion is counted as the proposal, not as a thread.
    from: { t: `select project_id as key, count(*) as v from threads where ${published} and proposal_id is null group by project_id` },
    value: "coalesce(t.v, 0)",
    compare: "exact",
  },
  {
    table: "projects",
    column: "comment_count",
    from: { c: `select project_id as key, count(*) as v from comments where ${published} group by project_id` },
    value: "coalesce(c.v, 0)",
    compare: "exact",
  },
  {
    table: "projects",
    column: "proposal_count",
    from: { p: `select project_id as key, count(*) as v from proposals where ${published} group by project_id` },
    value: "coalesce(p.v, 0)",
    compare: "exact",
  },
  {
    table: "projects",
    column: "follower_count",
    from: { f: "select project_id as key, count(*) as v from follows where active = 1 group by project_id" },
    value: "coalesce(f.v, 0)",
    compare: "exact",
  },
  {
    table: "projects",
    column: "last_activity_at",
    // What touchProject records: a thread or proposal opened (held or not), a comment published, a support, a ballot cast or changed.
    from: {
      t: "select project_id as key, max(created_at) as v from threads group by project_id",
      c: `select project_id as key, max(created_at) as v from comments where ${published} group by project_id`,
      p: "select project_id as key, max(created_at) as v from proposals group by project_id",
      s: "select project_id as key, max(created_at) as v from supports group by project_id",
      b: "select project_id as key, max(coalesce(updated_at, created_at)) as v from votes group by project_id",
    },
    value: "nullif(max(coalesce(t.v, 0), coalesce(c.v, 0), coalesce(p.v, 0), coalesce(s.v, 0), coalesce(b.v, 0)), 0)",
    compare: "latest",
  },
  {
    table: "users",
    column: "contribution_count",
    // What screening's "first N contributions" counts: published threads (not a proposal's discussion), comments and proposals.
    from: {
      x: `select author_id as key, sum(n) as v from (
            select author_id, count(*) as n from threads where ${published} and proposal_id is null group by author_id
            union all select author_id, count(*) from comments where ${published} group by author_id
            union all select author_id, count(*) from proposals where ${published} group by author_id)
          group by author_id`,
    },
    value: "coalesce(x.v, 0)",
    compare: "exact",
  },
];

/** Limits a recount to some projects' rows (and some users): the demo seed recounts only what it wrote. */
export interface RecountScope {
  projectIds?: readonly number[];
  userIds?: readonly number[];
}

const PROJECT_COLUMN: Record<Table, string | null> = { comments: "project_id", threads: "project_id", proposals: "project_id", projects: "id", users: null };

function scopeOf(count: StoredCount, scope: RecountScope): { where: string; params: string[] } {
  const column = PROJECT_COLUMN[count.table];
  const ids = column ? scope.projectIds : scope.userIds;
  if (!ids) return { where: "", params: [] };
  return { where: `where ${count.table}.${column ?? "id"} in (select value from json_each(?))`, params: [JSON.stringify(ids)] };
}

/** `select id, v` for every row in scope: the value the count should hold. */
function expectedRows(count: StoredCount, where: string): string {
  const joins = Object.entries(count.from)
    .map(([alias, query]) => `left join (${query}) as ${alias} on ${alias}.key = ${count.table}.id`)
    .join(" ");
  return `select ${count.table}.id as id, ${count.value} as v from ${count.table} ${joins} ${where}`;
}

/**
 * Sets every stored count (in scope) from the rows, in one transaction, on an SQLite connection
 * that may write (a test's `sqliteClient(db)`, the benchmark's own connection; inside an open
 * transaction it runs in a savepoint of it). Returns the rows changed.
 */
export function recountStoredCounts(sqlite: Database.Database, scope: RecountScope = {}): number {
  let changed = 0;
  sqlite.transaction(() => {
    for (const count of STORED_COUNTS) {
      const { where, params } = scopeOf(count, scope);
      const update = `update ${count.table} set ${count.column} = e.v from (${expectedRows(count, where)}) as e
                      where ${count.table}.id = e.id and ${count.table}.${count.column} is not e.v`;
      changed += sqlite.prepare(update).run(...params).changes;
    }
  })();
  return changed;
}

export interface CountMismatch {
  table: Table;
  column: string;
  id: number;
  stored: number | null;
  expected: number | null;
}

/**
 * `recountStoredCounts` on either engine, through the seam: in one write transaction (joining the
 * caller's when handed its `tx`). Returns the rows changed.
 */
export function recountStoredCountsIn(db: AppDb, scope: RecountScope = {}): Promise<number> {
  return withWriteTx(db, async (tx) => {
    if (engineOf(tx) === "pg") return recountPostgres(tx, scope);
    // The writer connection, inside this transaction (BEGIN IMMEDIATE): the recount runs in a savepoint of it.
    return recountStoredCounts((tx as unknown as Db).$client, scope);
  });
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every table of the handle's PostgreSQL schema as a temporary view named like it, showing it as
 * SQLite stores it (a moment as epoch milliseconds, a boolean as 0 or 1): a session's temporary
 * schema is searched first, so STORED_COUNTS' SQL reads the views. (db/recount-pg.ts builds the
 * same views for its comparison.)
 */
function sqliteShapedViews(pgTables: PgTable[], schemaName: string): { create: string[]; drop: string } {
  const create = pgTables.map((table) => {
    const { name, columns } = getTableConfig(table);
    const list = columns.map((c) => {
      const col = quote(c.name);
      if (is(c, PgTimestamp)) return `(extract(epoch from ${col}) * 1000)::bigint as ${col}`;
      if (is(c, PgBoolean)) return `${col}::int as ${col}`;
      return col;
    });
    return `create or replace temporary view ${quote(name)} as select ${list.join(", ")} from ${quote(schemaName)}.${quote(name)}`;
  });
  const drop = `drop view if exists ${pgTables.map((t) => `pg_temp.${quote(getTableConfig(t).name)}`).join(", ")}`;
  return { create, drop };
}

/** The PostgreSQL recount: each count's expected rows over the SQLite-shaped views, written to the real table. */
async function recountPostgres(tx: AppDb, scope: RecountScope): Promise<number> {
  const { toPostgresSql } = await import("./recount-pg");
  const pgTables = (Object.values(tables(tx)) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  const [{ schema } = { schema: "public" }] = await rows<{ schema: string }>(tx, sql`select current_schema() as schema`);
  const views = sqliteShapedViews(pgTables, schema);
  for (const statement of views.create) await execute(tx, sql.raw(statement));
  let changed = 0;
  for (const count of STORED_COUNTS) {
    const table = pgTables.find((t) => getTableConfig(t).name === count.table)!;
    const column = getTableConfig(table).columns.find((c) => c.name === count.column)!;
    // A moment comes back from the views as milliseconds: back to a timestamp, exactly.
    const value = is(column, PgTimestamp) ? "(timestamptz 'epoch' + e.v * interval '1 millisecond')" : "e.v";
    const joins = Object.entries(count.from)
      .map(([alias, query]) => `left join (${toPostgresSql(query)}) as ${alias} on ${alias}.key = ${count.table}.id`)
      .join(" ");
    const expected = `select ${count.table}.id as id, ${toPostgresSql(count.value)} as v from ${count.table} ${joins} ${scopeOfPostgres(count, scope)}`;
    const target = `${quote(schema)}.${quote(count.table)}`;
    const update = `update ${target} as target set ${quote(count.column)} = ${value} from (${expected}) as e
                    where target.id = e.id and target.${quote(count.column)} is distinct from ${value} returning target.id`;
    changed += (await rows(tx, sql.raw(update))).length;
  }
  await execute(tx, sql.raw(views.drop));
  return changed;
}

/** scopeOf for PostgreSQL: the ids written into the statement (whole numbers only), no json_each. */
function scopeOfPostgres(count: StoredCount, scope: RecountScope): string {
  const column = PROJECT_COLUMN[count.table];
  const ids = column ? scope.projectIds : scope.userIds;
  if (!ids) return "";
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new Error("recount: a scope holds whole-number ids only");
  return ids.length ? `where ${count.table}.${column ?? "id"} in (${ids.join(", ")})` : "where false";
}

/** Stored counts that disagree with the rows (at most `limit` per count), on an SQLite connection. */
export function storedCountMismatches(sqlite: Database.Database, limit = 20): CountMismatch[] {
  const out: CountMismatch[] = [];
  for (const count of STORED_COUNTS) {
    const stored = `${count.table}.${count.column}`;
    const wrong = count.compare === "exact" ? `${stored} is not e.v` : `(e.v is not null and (${stored} is null or ${stored} < e.v))`;
    const rows = sqlite
      .prepare(
        `select e.id as id, ${stored} as stored, e.v as expected from (${expectedRows(count, "")}) as e join ${count.table} on ${count.table}.id = e.id where ${wrong} limit ${limit}`,
      )
      .all() as { id: number; stored: number | null; expected: number | null }[];
    for (const row of rows) out.push({ table: count.table, column: count.column, ...row });
  }
  return out;
}
