/**
 * The two schemas, compared live: a fresh SQLite database migrated by db/migrations and a fresh
 * PostgreSQL database migrated by db/migrations-pg must hold the same tables, columns,
 * nullability, defaults, primary and foreign keys, indexes (unique, partial, by column list) and
 * CHECKs (by column and value set), and the moderation log must refuse changes on both. Also:
 * the two schema trees export the same names with the same row types. That db/migrations-pg is
 * what drizzle-kit generates from db/schema-pg is checked with the SQLite tree's drift, in
 * tests/schema-drift.test.ts (scripts/schema-drift.ts, DRIFT_CHECKS).
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { migrateDatabase, openDatabase, type Db } from "~db/client";
import * as sqliteSchema from "~db/schema";
import * as pgSchema from "~db/schema-pg";
import { migratePgDatabase, MIGRATION_LOCK_KEY, PG_MIGRATIONS_FOLDER } from "~db/pg-client";
import { describePg, freshPgUrl } from "./support";

/**
 * SQLite's full-text search is an FTS5 virtual table (db/migrations/0002_search.sql) with its
 * shadow tables and triggers; PostgreSQL's search (tsvector + GIN) is a later slice of its own, so
 * they are left out of the comparison until it lands.
 */
const SQLITE_ONLY_TABLES = /^search_index(_(data|idx|content|docsize|config))?$/;

interface Column {
  notNull: boolean;
  default: string | null;
}
interface Index {
  unique: boolean;
  columns: string[];
  where: string | null;
}
interface Check {
  columns: string[];
  /** The quoted values the expression names (a value set's members). */
  values: string[];
}
interface Catalogue {
  tables: string[];
  columns: Record<string, Record<string, Column>>;
  primaryKeys: Record<string, string[]>;
  foreignKeys: Record<string, string[]>;
  indexes: Record<string, Record<string, Index>>;
  checks: Record<string, Record<string, Check>>;
}

/** The same SQL expression as either engine writes it back: lower case, no casts, no parentheses, single spaces. */
function normalizeExpression(expression: string): string {
  return expression
    .replace(/::[a-z ]+(\[\])?/gi, "")
    .replace(/[()]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** A column default: literal values as they are, every "the current moment" as `now`. */
function normalizeDefault(value: string | null): string | null {
  if (value === null) return null;
  if (/unixepoch|now\(\)/i.test(value)) return "now";
  return value
    .replace(/::[a-z ]+$/i, "")
    .replace(/^'(.*)'$/s, "$1")
    .trim();
}

const quotedValues = (expression: string) => [...expression.matchAll(/'([^']*)'/g)].map((m) => m[1]!).sort();
const identifiers = (expression: string, columns: string[]) => columns.filter((c) => new RegExp(`\\b${c}\\b`).test(expression.replace(/'[^']*'/g, ""))).sort();

function sqliteCatalogue(sqlite: Database.Database): Catalogue {
  const names = (
    sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !SQLITE_ONLY_TABLES.test(n))
    .sort();
  const cat: Catalogue = { tables: names, columns: {}, primaryKeys: {}, foreignKeys: {}, indexes: {}, checks: {} };
  for (const table of names) {
    const info = sqlite.pragma(`table_info(${table})`) as { name: string; notnull: number; dflt_value: string | null; pk: number }[];
    cat.columns[table] = Object.fromEntries(info.map((c) => [c.name, { notNull: c.notnull === 1, default: normalizeDefault(c.dflt_value) }]));
    cat.primaryKeys[table] = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const fks = sqlite.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string; on_delete: string }[];
    cat.foreignKeys[table] = fks.map((f) => `${f.from} → ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`).sort();
    cat.indexes[table] = {};
    for (const idx of sqlite.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string; partial: number }[]) {
      if (idx.origin === "pk") continue; // the primary key, compared above
      const columns = (sqlite.pragma(`index_info(${idx.name})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
      const { sql } = sqlite.prepare("select sql from sqlite_master where type = 'index' and name = ?").get(idx.name) as { sql: string };
      const where = idx.partial ? normalizeExpression(sql.slice(sql.search(/\bwhere\b/i) + 5)) : null;
      cat.indexes[table][idx.name] = { unique: idx.unique === 1, columns, where };
    }
    const { sql: create } = sqlite.prepare("select sql from sqlite_master where type = 'table' and name = ?").get(table) as { sql: string };
    cat.checks[table] = {};
    for (const m of create.matchAll(/CONSTRAINT "([^"]+)" CHECK\s*\(/g)) {
      // The expression runs to the parenthesis that closes CHECK's.
      let depth = 1;
      let i = m.index + m[0].length;
      for (; depth > 0; i++) depth += create[i] === "(" ? 1 : create[i] === ")" ? -1 : 0;
      const expression = create.slice(m.index + m[0].length, i - 1);
      cat.checks[table][m[1]!] = { columns: identifiers(expression, Object.keys(cat.columns[table])), values: quotedValues(expression) };
    }
  }
  return cat;
}

async function pgCatalogue(client: pg.Client): Promise<Catalogue> {
  const q = async <T extends object>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[];
  const names = (
    await q<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")
  )
    .map((r) => r.table_name)
    .sort();
  const cat: Catalogue = { tables: names, columns: {}, primaryKeys: {}, foreignKeys: {}, indexes: {}, checks: {} };
  const columnsOf = `(select array_agg(a.attname::text order by k.ord) from unnest(%) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = %rel and a.attnum = k.attnum)`;
  for (const table of names) {
    const cols = await q<{ column_name: string; is_nullable: string; column_default: string | null }>(
      "select column_name, is_nullable, column_default from information_schema.columns where table_schema = 'public' and table_name = $1",
      [table],
    );
    cat.columns[table] = Object.fromEntries(cols.map((c) => [c.column_name, { notNull: c.is_nullable === "NO", default: normalizeDefault(c.column_default) }]));
    const constraints = await q<{
      conname: string;
      contype: string;
      columns: string[];
      ref_table: string | null;
      ref_columns: string[] | null;
      confdeltype: string;
      def: string;
    }>(
      `select c.conname, c.contype, ${columnsOf.replace("%", "c.conkey").replace("%rel", "c.conrelid")} as columns,
              rt.relname as ref_table, ${columnsOf.replace("%", "c.confkey").replace("%rel", "c.confrelid")} as ref_columns,
              c.confdeltype, pg_get_constraintdef(c.oid) as def
         from pg_constraint c join pg_class t on t.oid = c.conrelid left join pg_class rt on rt.oid = c.confrelid
        where t.relname = $1 and t.relnamespace = 'public'::regnamespace`,
      [table],
    );
    const onDelete: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
    cat.primaryKeys[table] = constraints.find((c) => c.contype === "p")?.columns ?? [];
    cat.foreignKeys[table] = constraints
      .filter((c) => c.contype === "f")
      .map((c) => `${c.columns.join(",")} → ${c.ref_table}.${c.ref_columns!.join(",")} on delete ${onDelete[c.confdeltype]}`)
      .sort();
    cat.checks[table] = Object.fromEntries(
      constraints
        .filter((c) => c.contype === "c")
        .map((c) => [c.conname, { columns: [...c.columns].sort(), values: quotedValues(c.def.replace(/'(-?[\d.]+)'::[a-z ]+/g, "$1")) }]),
    );
    const indexes = await q<{ name: string; unique: boolean; columns: string[]; predicate: string | null }>(
      `select i.relname as name, x.indisunique as unique, ${columnsOf.replace("%", "x.indkey::int2[]").replace("%rel", "x.indrelid")} as columns,
              pg_get_expr(x.indpred, x.indrelid) as predicate
         from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
        where t.relname = $1 and t.relnamespace = 'public'::regnamespace and not x.indisprimary`,
      [table],
    );
    cat.indexes[table] = Object.fromEntries(
      indexes.map((i) => [i.name, { unique: i.unique, columns: i.columns, where: i.predicate === null ? null : normalizeExpression(i.predicate) }]),
    );
  }
  return cat;
}

/** Every table of the trees, by JS name. */
const TABLES = [
  ...(["areas", "users", "sessions", "twoFactors", "recoveryCodes", "signInChallenges", "projects", "projectUpdates", "follows"] as const),
  ...(["threads", "comments", "commentRevisions", "proposals", "proposalRevisions", "supports", "votes", "flags", "reviewItems"] as const),
  ...([
    "moderationLog",
    "notifications",
    "settings",
    "rateLimits",
    "jobRuns",
    "reportThemeRuns",
    "reportThemes",
    "outbox",
    "emailTokens",
    "notificationPreferences",
  ] as const),
];
type TableName = (typeof TABLES)[number];
type Table<S, K extends TableName> = S[K & keyof S] & { $inferSelect: unknown; $inferInsert: unknown };
/** Each type assignable to the other: a column of another type, nullability or optionality on one side makes it false. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type P = typeof pgSchema;
type L = typeof sqliteSchema;
/**
 * An INTEGER PRIMARY KEY is SQLite's rowid, which Drizzle types as optional on insert even where
 * it is a foreign key the domain always gives (a user's second factor, a project's theme run);
 * PostgreSQL's is required. Compared as required on both.
 */
type RowidKeys = { twoFactors: "userId"; notificationPreferences: "userId"; reportThemeRuns: "projectId" };
type SqliteInsert<K extends TableName> = K extends keyof RowidKeys
  ? Omit<Table<L, K>["$inferInsert"], RowidKeys[K]> & Required<Pick<Table<L, K>["$inferInsert"], RowidKeys[K] & keyof Table<L, K>["$inferInsert"]>>
  : Table<L, K>["$inferInsert"];
/** Per table: [same select row, same insert row]. */
type RowParity = { [K in TableName]: [Same<Table<P, K>["$inferSelect"], Table<L, K>["$inferSelect"]>, Same<Table<P, K>["$inferInsert"], SqliteInsert<K>>] };

describe("the schema trees", () => {
  it("export the same names, and every table the same row types (domain code is typed by one of them)", () => {
    expect(Object.keys(pgSchema).sort()).toEqual(Object.keys(sqliteSchema).sort());
    const tableNames = Object.entries(sqliteSchema)
      .filter(([, v]) => typeof v === "object" && v !== null && Symbol.for("drizzle:IsDrizzleTable") in v)
      .map(([k]) => k)
      .sort();
    expect(tableNames).toEqual([...TABLES].sort());
    // A column of another type or nullability on one side fails the typecheck here.
    expectTypeOf<RowParity>().toEqualTypeOf<{ [K in TableName]: [true, true] }>();
    expectTypeOf<pgSchema.User>().toEqualTypeOf<sqliteSchema.User>();
  });
});

describePg("the live SQLite and PostgreSQL schemas", (serverUrl) => {
  let sqlite: Db;
  let client: pg.Client;
  let lite: Catalogue;
  let post: Catalogue;

  beforeAll(async () => {
    sqlite = openDatabase(":memory:");
    migrateDatabase(sqlite);
    // Migrated here by the migrator under test, not copied from the template.
    const url = await freshPgUrl(serverUrl, { migrated: false });
    await migratePgDatabase(url);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    lite = sqliteCatalogue(sqlite.$client);
    post = await pgCatalogue(client);
  });
  afterAll(async () => {
    sqlite?.$client.close();
    await client?.end();
  });

  it("have the same tables", () => {
    expect(post.tables).toEqual(lite.tables);
    expect(lite.tables.length).toBeGreaterThan(20);
  });
  it("have the same columns, nullability and defaults", () => {
    expect(post.columns).toEqual(lite.columns);
  });
  it("have the same primary and foreign keys (with the same ON DELETE)", () => {
    expect(post.primaryKeys).toEqual(lite.primaryKeys);
    expect(post.foreignKeys).toEqual(lite.foreignKeys);
  });
  it("have the same indexes: unique, partial (the same condition) and plain, by column list", () => {
    expect(post.indexes).toEqual(lite.indexes);
    expect(Object.values(lite.indexes).flatMap((t) => Object.values(t).filter((i) => i.where))).toHaveLength(4);
  });
  it("have the same CHECKs, on the same columns, naming the same values", () => {
    expect(post.checks).toEqual(lite.checks);
    expect(lite.checks.users!.users_role_check).toEqual({ columns: ["role"], values: [...sqliteSchema.ROLES].sort() });
  });

  it("keep the moderation log append-only on both", async () => {
    sqlite.$client.prepare("insert into moderation_log (action, target_type, target_id) values ('export', 'city', null)").run();
    expect(() => sqlite.$client.prepare("update moderation_log set reason = 'x'").run()).toThrow(/append-only/);
    expect(() => sqlite.$client.prepare("delete from moderation_log").run()).toThrow(/append-only/);

    await client.query("insert into moderation_log (action, target_type, target_id) values ('export', 'city', null)");
    await expect(client.query("update moderation_log set reason = 'x'")).rejects.toThrow(/append-only/);
    await expect(client.query("delete from moderation_log")).rejects.toThrow(/append-only/);
    await expect(client.query("truncate moderation_log")).rejects.toThrow(/append-only/);
    expect((await client.query("select count(*)::int as n from moderation_log")).rows[0]).toEqual({ n: 1 });
  });
});

describePg("the PostgreSQL migrator", (serverUrl) => {
  it("run from two connections at once migrates once, without error", async () => {
    const url = await freshPgUrl(serverUrl, { migrated: false });
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    try {
      // Hold the migrators' lock so both are surely waiting on it together, then let them go.
      await watcher.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      const both = Promise.all([migratePgDatabase(url), migratePgDatabase(url)]);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const { rows } = await watcher.query<{ n: number }>(
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted and database = (select oid from pg_database where datname = current_database())",
          [MIGRATION_LOCK_KEY],
        );
        if (rows[0]!.n === 2) break;
        if (Date.now() > deadline) throw new Error(`the two migrators never both waited on the lock (${rows[0]!.n} waiting)`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await watcher.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      await both;
      const applied = await watcher.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
      const journal = JSON.parse(readFileSync(resolve(PG_MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
      const tables = await watcher.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      expect(tables.rows[0]!.n).toBeGreaterThan(20);
    } finally {
      await watcher.end();
    }
  });
});
