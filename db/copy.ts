/**
 * Moving a city from SQLite to PostgreSQL (`npm run db:copy`, issue 12): every table of db/schema
 * into its twin in db/schema-pg, from one consistent snapshot of the source, verified before
 * anything is committed.
 *
 * - The snapshot: one read transaction on a read-only connection for the whole copy. In WAL mode
 *   (the app's) the server keeps writing meanwhile; the copy sees none of it.
 * - The order: parents before the tables that reference them, from the foreign keys of
 *   db/schema-pg. A table that references itself (areas.parent_id, comments.parent_id) is read
 *   in primary-key order, so a parent comes first; a row whose parent comes later is inserted
 *   without it and given it once the table is in.
 * - Bounded memory: rows stream from better-sqlite3's `iterate()` into multi-row INSERTs of
 *   `batchRows` rows (fewer for wide tables: PostgreSQL binds at most 65,535 parameters), one
 *   prepared statement per table and batch size; the next batch is read and converted while
 *   PostgreSQL inserts the last one, so two batches at most are held.
 * - Before anything is written: the source must be at this code's latest migration, the target
 *   empty (then migrated, under the migrations' lock), and the source's stored counts equal to its
 *   rows (db/recount.ts), since a copy would carry a wrong one over.
 * - One PostgreSQL transaction for everything after the migrations: the copy, the identity
 *   sequences (`setval` past the largest id), and the checks — rows per table equal the
 *   snapshot's, stored counts equal a recount (db/recount-pg.ts). A failure or an interruption
 *   anywhere commits nothing, so the target stays empty and the copy can simply run again; and
 *   the app tables are locked (EXCLUSIVE: others may read, not write) so that nothing else writes
 *   into the target halfway.
 * - Values: read as SQLite stores them (integers as BigInt, so none is rounded), turned into the
 *   domain's JS values by db/schema's columns and written by db/schema-pg's: the exact Dates,
 *   booleans, REALs, bigints and NULLs the app reads on either engine; JSON goes as its text. A
 *   moment stored with a fraction of a millisecond (the benchmark city has some) arrives as the
 *   Date the app reads from it: to the millisecond, as timestamptz(3) holds it.
 *
 * Not copied: SQLite's FTS5 search index (search on PostgreSQL is a slice of its own) and the
 * migrations' own bookkeeping (the target has its own).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { is } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgJsonb, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteTable, SQLiteTextJson, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as sqliteSchema from "./schema/index";
import * as pgSchema from "./schema-pg/index";
import { databasePath, MIGRATIONS_FOLDER } from "./client";
import { describePgError, migratePgDatabase, pgErrorCode, redactPgUrl } from "./pg-client";
import { STORED_COUNTS, storedCountMismatches, type CountMismatch } from "./recount";
import { storedCountMismatchesPg } from "./recount-pg";

/** A copy refused or failed for a reason one sentence says: the commands print it alone, without a stack trace. */
export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyError";
  }
}

export interface CopyProgress {
  table: string;
  /** Rows copied so far, of `total` (the snapshot's). */
  done: number;
  total: number;
  /** Since the table's copy began. */
  seconds: number;
  finished: boolean;
}

export interface CopyOptions {
  /** The SQLite file (a path, or `file:`…). */
  from: string;
  /** The PostgreSQL database, `postgres://…`: empty, migrated or not. */
  to: string;
  /** Rows per INSERT at most; default 1,000. */
  batchRows?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export interface CopyReport {
  /** In the order copied. */
  tables: { table: string; rows: number; seconds: number }[];
  rows: number;
  /** The whole copy: the checks of both sides, the migrations, the rows, the sequences and the verification. */
  seconds: number;
  /** The rows alone (the tables' copies). */
  rowSeconds: number;
  /** Rows per table in the snapshot: what the target holds after the copy. */
  counts: Record<string, number>;
  /** Tables of the source file left out, and why. */
  skipped: { table: string; reason: string }[];
  /** Where each identity sequence continues. */
  sequences: { table: string; column: string; next: number }[];
  /** How many stored counts were compared with a recount (db/recount.ts's definitions). */
  countsChecked: number;
}

const DEFAULT_BATCH_ROWS = 1000;
const MAX_PARAMETERS = 65_535;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface CopyColumn {
  name: string;
  /** From the value better-sqlite3 returns (safe integers) to the one node-postgres binds. */
  convert: (raw: unknown) => unknown;
}

interface TablePlan {
  name: string;
  columns: CopyColumn[];
  primaryKey: string[];
  /** Columns that reference this table's own single-column integer key. */
  selfReferences: { index: number; column: string; notNull: boolean; sqlType: string }[];
  identity: { column: string; always: boolean } | null;
}

/**
 * The value the app would read from SQLite, written as the app would write it to PostgreSQL:
 * db/schema's column maps the stored value to JS (a Date, a boolean), db/schema-pg's maps it on.
 */
function converter(table: string, lite: SQLiteColumn, target: PgColumn): (raw: unknown) => unknown {
  const where = `${table}.${lite.name}`;
  if (is(lite, SQLiteTextJson)) {
    if (!is(target, PgJsonb)) throw new CopyError(`${where} is JSON on SQLite but ${target.getSQLType()} on PostgreSQL: db/schema and db/schema-pg differ`);
    // The text as stored: jsonb parses it (a JSON null stays a JSON null, not a SQL NULL).
    return (raw) => raw;
  }
  return (raw) => {
    if (raw === null) return null;
    let value = raw;
    if (typeof value === "bigint") {
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
        throw new CopyError(`${where} holds ${value}, past what the app reads exactly (2^53)`);
      value = Number(value);
    }
    if (Buffer.isBuffer(value)) throw new CopyError(`${where} holds a blob, which db/schema has no column for`);
    return target.mapToDriverValue(lite.mapFromDriverValue(value));
  };
}

function schemaTables() {
  const lite = new Map<string, SQLiteTable>();
  for (const v of Object.values(sqliteSchema)) if (is(v, SQLiteTable)) lite.set(getSqliteTableConfig(v).name, v);
  const target = new Map<string, PgTable>();
  for (const v of Object.values(pgSchema)) if (is(v, PgTable)) target.set(getPgTableConfig(v).name, v);
  const onlyOne = [...lite.keys()].filter((n) => !target.has(n)).concat([...target.keys()].filter((n) => !lite.has(n)));
  if (onlyOne.length) throw new CopyError(`db/schema and db/schema-pg differ: ${onlyOne.join(", ")} is in one tree only`);
  return { lite, target };
}

function planTable(name: string, liteTable: SQLiteTable, pgTable: PgTable): TablePlan {
  const liteColumns = getSqliteTableConfig(liteTable).columns;
  const config = getPgTableConfig(pgTable);
  const pgColumns = new Map(config.columns.map((c) => [c.name, c]));
  const missing = liteColumns.filter((c) => !pgColumns.has(c.name)).map((c) => c.name);
  const extra = config.columns.filter((c) => !liteColumns.some((l) => l.name === c.name)).map((c) => c.name);
  if (missing.length || extra.length) throw new CopyError(`db/schema and db/schema-pg differ in ${name}: ${[...missing, ...extra].join(", ")}`);
  const columns = liteColumns.map((c) => ({ name: c.name, convert: converter(name, c, pgColumns.get(c.name)!) }));
  const primaryKey = config.primaryKeys.length ? config.primaryKeys[0]!.columns.map((c) => c.name) : config.columns.filter((c) => c.primary).map((c) => c.name);
  if (!primaryKey.length) throw new CopyError(`${name} has no primary key to read it in order by`);
  const selfReferences: TablePlan["selfReferences"] = [];
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    if (getPgTableConfig(ref.foreignTable).name !== name) continue;
    const column = ref.columns[0]!;
    const key = ref.foreignColumns[0]!;
    if (ref.columns.length !== 1 || primaryKey.length !== 1 || key.name !== primaryKey[0] || key.getSQLType() !== "integer")
      throw new CopyError(`${name} references itself other than by its integer key: not supported`);
    selfReferences.push({
      index: columns.findIndex((c) => c.name === column.name),
      column: column.name,
      notNull: column.notNull,
      sqlType: column.getSQLType(),
    });
  }
  const identityColumn = config.columns.find((c) => c.generatedIdentity);
  const identity = identityColumn ? { column: identityColumn.name, always: identityColumn.generatedIdentity!.type === "always" } : null;
  return { name, columns, primaryKey, selfReferences, identity };
}

/** The tables in an order where every table comes after those it references (self-references aside). */
export function copyOrder(): string[] {
  const { target } = schemaTables();
  const parents = new Map<string, Set<string>>();
  for (const [name, table] of target) {
    const refs = new Set(getPgTableConfig(table).foreignKeys.map((fk) => getPgTableConfig(fk.reference().foreignTable).name));
    refs.delete(name);
    parents.set(name, refs);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (placed.size < parents.size) {
    const ready = [...parents].filter(([name, refs]) => !placed.has(name) && [...refs].every((r) => placed.has(r))).map(([name]) => name);
    if (!ready.length) {
      const left = [...parents.keys()].filter((n) => !placed.has(n));
      throw new CopyError(`the foreign keys of ${left.join(", ")} form a cycle: no order copies them`);
    }
    for (const name of ready.sort()) {
      order.push(name);
      placed.add(name);
    }
  }
  return order;
}

interface Journal {
  entries: { when: number; tag: string }[];
}

/** Refuses a file that is not a Rembug database at this code's latest migration. */
function checkSourceMigrations(sqlite: Database.Database, label: string) {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as Journal;
  const latest = journal.entries.at(-1)!;
  const hasTable = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!hasTable) throw new CopyError(`the source ${label} is not a Rembug database: it has no migrations table (__drizzle_migrations)`);
  const last = sqlite.prepare("select max(created_at) as at, count(*) as n from __drizzle_migrations").safeIntegers(false).get() as {
    at: number | null;
    n: number;
  };
  if (last.at === null) throw new CopyError(`the source ${label} has no migration applied: it is not a Rembug city yet`);
  if (last.at === latest.when) return;
  const applied = journal.entries.find((e) => e.when === last.at);
  if (applied && last.at < latest.when)
    throw new CopyError(
      `the source ${label} is at migration ${applied.tag}, not at the latest, ${latest.tag}: migrate it first (DATABASE_URL=${label} npm run db:migrate)`,
    );
  throw new CopyError(
    `the source ${label} has a migration this version of Rembug does not know (the latest it knows is ${latest.tag}): copy it with the version that made it`,
  );
}

/** Tables in the SQLite file that are not copied: FTS5 tables with their shadow tables, and anything not in db/schema. */
function skippedTables(sqlite: Database.Database, known: Set<string>): { table: string; reason: string }[] {
  const tables = sqlite.prepare("select name, sql from sqlite_master where type = 'table' order by name").safeIntegers(false).all() as {
    name: string;
    sql: string | null;
  }[];
  const virtual = tables.filter((t) => /^\s*create\s+virtual\s+table/i.test(t.sql ?? "")).map((t) => t.name);
  const skipped: { table: string; reason: string }[] = [];
  for (const v of virtual) {
    const shadows = tables.filter((t) => t.name.startsWith(`${v}_`)).length;
    skipped.push({
      table: v,
      reason: `SQLite's full-text index${shadows ? ` and its ${shadows} shadow tables` : ""}: search on PostgreSQL is built separately, not copied`,
    });
  }
  for (const { name } of tables) {
    if (known.has(name) || name.startsWith("sqlite_") || name === "__drizzle_migrations" || virtual.some((v) => name === v || name.startsWith(`${v}_`)))
      continue;
    skipped.push({ table: name, reason: "not a table of db/schema" });
  }
  return skipped;
}

function describeMismatches(mismatches: CountMismatch[]): string {
  const shown = mismatches.slice(0, 3).map((m) => `${m.table}.${m.column} #${m.id}: stored ${m.stored}, rows say ${m.expected}`);
  return `${shown.join("; ")}${mismatches.length > 3 ? ` and ${mismatches.length - 3} more` : ""}`;
}

/** Opens the source read-only and starts the snapshot; refuses a missing or foreign file. */
function openSource(from: string): { sqlite: Database.Database; label: string } {
  const path = databasePath(from);
  if (path === ":memory:" || !path) throw new CopyError("the source must be an SQLite file");
  if (!existsSync(path)) throw new CopyError(`the source ${path} does not exist`);
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    // A deferred read transaction: the snapshot is taken by its first read, and held to the end.
    sqlite.exec("begin");
    sqlite.prepare("select count(*) from sqlite_master").get();
  } catch (error) {
    sqlite.close();
    if ((error as { code?: string }).code === "SQLITE_NOTADB") throw new CopyError(`the source ${path} is not an SQLite database`);
    throw error;
  }
  return { sqlite, label: path };
}

async function connectTarget(to: string): Promise<pg.Client> {
  if (!/^postgres(ql)?:\/\//i.test(to)) throw new CopyError(`the target must be a postgres:// URL, not ${to}`);
  const client = new pg.Client({ connectionString: to });
  // An error on an idle connection (the server went away) shows in the next query instead.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new CopyError(describePgError(error, to) ?? `cannot connect to ${redactPgUrl(to)}: ${(error as Error).message}`);
  }
  return client;
}

/** The app tables of the target that hold a row (only those that exist: before the migrations there may be none). */
async function tablesWithRows(client: pg.Client, names: string[]): Promise<string[]> {
  const { rows: existing } = await client.query<{ name: string }>(
    "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname = any($1)",
    [names],
  );
  if (!existing.length) return [];
  const probe = existing.map((t) => `select ${client.escapeLiteral(t.name)} as name where exists (select 1 from ${quote(t.name)})`).join(" union all ");
  const { rows } = await client.query<{ name: string }>(probe);
  return rows.map((r) => r.name).sort();
}

function refuseNotEmpty(to: string, full: string[]) {
  if (!full.length) return;
  const named = full.length > 4 ? `${full.slice(0, 4).join(", ")} and ${full.length - 4} more tables` : full.join(", ");
  throw new CopyError(`the target ${redactPgUrl(to)} is not empty (${named} hold rows): db:copy fills an empty database only`);
}

/** The text of a multi-row INSERT of `rows` rows into `plan`'s table. */
function insertText(plan: TablePlan, rows: number): string {
  const width = plan.columns.length;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${plan.columns.map((_, c) => `$${r * width + c + 1}`).join(", ")})`);
  const overriding = plan.identity?.always ? " overriding system value" : "";
  return `insert into ${quote(plan.name)} (${plan.columns.map((c) => quote(c.name)).join(", ")})${overriding} values ${tuples.join(", ")}`;
}

async function copyTable(
  sqlite: Database.Database,
  client: pg.Client,
  plan: TablePlan,
  total: number,
  batchRows: number,
  statementId: number,
  onProgress?: (progress: CopyProgress) => void,
): Promise<number> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const perInsert = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / plan.columns.length)));
  const texts = new Map<number, string>();
  const keyIndex = plan.columns.findIndex((c) => c.name === plan.primaryKey[0]);
  /** Rows whose parent (same table) comes later: [key, parent] per self-referencing column. */
  const later = plan.selfReferences.map(() => [] as [unknown, unknown][]);
  let batch: unknown[] = [];
  let inBatch = 0;
  /** Rows handed to PostgreSQL, and rows it has inserted. */
  let sent = 0;
  let done = 0;
  onProgress?.({ table: plan.name, done, total, seconds: seconds(), finished: false });

  /** The INSERT PostgreSQL is running: the next batch is read and converted meanwhile, then waits for it. */
  let running: Promise<void> | null = null;
  const flush = async () => {
    if (!inBatch) return;
    let text = texts.get(inBatch);
    if (!text) texts.set(inBatch, (text = insertText(plan, inBatch)));
    const rows = inBatch;
    const from = sent + 1;
    sent += rows;
    const insert = client.query({ name: `db_copy_${statementId}_${rows}`, text, values: batch }).then(
      () => {
        done += rows;
        onProgress?.({ table: plan.name, done, total, seconds: seconds(), finished: false });
      },
      (error: Error & { detail?: string }) => {
        throw new CopyError(`copying ${plan.name} failed in rows ${from} to ${from + rows - 1}: ${error.message}${error.detail ? ` (${error.detail})` : ""}`);
      },
    );
    // Awaited below or on the next flush; until then its failure is not "unhandled".
    insert.catch(() => {});
    batch = [];
    inBatch = 0;
    if (running) await running;
    running = insert;
  };

  const select = sqlite
    .prepare(`select ${plan.columns.map((c) => quote(c.name)).join(", ")} from ${quote(plan.name)} order by ${plan.primaryKey.map(quote).join(", ")}`)
    .raw(true)
    .safeIntegers(true);
  for (const raw of select.iterate() as IterableIterator<unknown[]>) {
    const row = plan.columns.map((c, i) => c.convert(raw[i]));
    plan.selfReferences.forEach((ref, r) => {
      const parent = row[ref.index];
      // Read in key order, a parent with a larger key is not in yet: insert the row without it, give it after.
      if (parent !== null && (parent as number) > (row[keyIndex] as number)) {
        if (ref.notNull) throw new CopyError(`${plan.name} #${String(row[keyIndex])} references a later row through the required ${ref.column}: not supported`);
        later[r]!.push([row[keyIndex], parent]);
        row[ref.index] = null;
      }
    });
    for (const value of row) batch.push(value);
    if (++inBatch === perInsert) await flush();
  }
  await flush();
  // Assigned inside flush(), which TypeScript's narrowing does not follow.
  await (running as Promise<void> | null);

  for (const [r, ref] of plan.selfReferences.entries()) {
    const pairs = later[r]!;
    const key = plan.primaryKey[0]!;
    for (let i = 0; i < pairs.length; i += perInsert) {
      const chunk = pairs.slice(i, i + perInsert);
      const tuples = chunk.map((_, j) => `($${2 * j + 1}::${ref.sqlType}, $${2 * j + 2}::${ref.sqlType})`).join(", ");
      await client.query(
        `update ${quote(plan.name)} set ${quote(ref.column)} = later.parent from (values ${tuples}) as later(key, parent) where ${quote(plan.name)}.${quote(key)} = later.key`,
        chunk.flat(),
      );
    }
  }
  onProgress?.({ table: plan.name, done, total, seconds: seconds(), finished: true });
  return done;
}

/** Copies the SQLite city at `from` into the empty PostgreSQL database at `to` (see the top of this file). */
export async function copyDatabase({ from, to, batchRows = DEFAULT_BATCH_ROWS, onProgress }: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const { lite, target } = schemaTables();
  const order = copyOrder();
  const plans = order.map((name) => planTable(name, lite.get(name)!, target.get(name)!));

  const { sqlite, label } = openSource(from);
  let client: pg.Client | null = null;
  try {
    checkSourceMigrations(sqlite, label);
    const skipped = skippedTables(sqlite, new Set(order));
    const present = new Set(
      (sqlite.prepare("select name from sqlite_master where type = 'table'").safeIntegers(false).all() as { name: string }[]).map((t) => t.name),
    );
    const absent = order.filter((n) => !present.has(n));
    if (absent.length) throw new CopyError(`the source ${label} lacks ${absent.join(", ")}: it is not a Rembug database at the latest migration`);
    const counts: Record<string, number> = {};
    for (const name of order)
      counts[name] = (
        sqlite
          .prepare(`select count(*) as n from ${quote(name)}`)
          .safeIntegers(false)
          .get() as { n: number }
      ).n;

    client = await connectTarget(to);
    // Before migrating: a database that holds a city already is refused untouched.
    refuseNotEmpty(to, await tablesWithRows(client, order));
    const sourceMismatches = storedCountMismatches(sqlite, 5);
    if (sourceMismatches.length)
      throw new CopyError(
        `the source's stored counts disagree with its rows (${describeMismatches(sourceMismatches)}): a copy would carry them over; recount the source first (recountStoredCounts, db/recount.ts)`,
      );
    try {
      await migratePgDatabase(to);
    } catch (error) {
      throw new CopyError(describePgError(error, to) ?? `migrating the target failed: ${(error as Error).message}`);
    }

    await client.query("begin");
    try {
      await client.query("set local lock_timeout = '30s'");
      try {
        await client.query(`lock table ${order.map(quote).join(", ")} in exclusive mode`);
      } catch (error) {
        if (pgErrorCode(error) === "55P03") throw new CopyError(`the target ${redactPgUrl(to)} is in use: its tables stayed locked for 30 s`);
        throw error;
      }
      refuseNotEmpty(to, await tablesWithRows(client, order));

      const tables: CopyReport["tables"] = [];
      for (const [i, plan] of plans.entries()) {
        const tableStarted = performance.now();
        const rows = await copyTable(sqlite, client, plan, counts[plan.name]!, batchRows, i, onProgress);
        tables.push({ table: plan.name, rows, seconds: (performance.now() - tableStarted) / 1000 });
      }

      const sequences: CopyReport["sequences"] = [];
      for (const plan of plans) {
        if (!plan.identity) continue;
        const column = quote(plan.identity.column);
        const { rows } = await client.query<{ next: number }>(
          `select setval(pg_get_serial_sequence($1, $2), coalesce(max(${column}), 0) + 1, false) as next from ${quote(plan.name)}`,
          [quote(plan.name), plan.identity.column],
        );
        sequences.push({ table: plan.name, column: plan.identity.column, next: rows[0]!.next });
      }

      for (const name of order) {
        const { rows } = await client.query<{ n: number }>(`select count(*) as n from ${quote(name)}`);
        if (rows[0]!.n !== counts[name])
          throw new CopyError(`${name} holds ${rows[0]!.n} rows on the target, the snapshot ${counts[name]}: nothing was committed`);
      }
      const mismatches = await storedCountMismatchesPg(client, 5);
      if (mismatches.length)
        throw new CopyError(`stored counts on the target disagree with a recount (${describeMismatches(mismatches)}): nothing was committed`);

      await client.query("commit");
      const rows = tables.reduce((sum, t) => sum + t.rows, 0);
      const seconds = (performance.now() - started) / 1000;
      const rowSeconds = tables.reduce((sum, t) => sum + t.seconds, 0);
      return { tables, rows, seconds, rowSeconds, counts, skipped, sequences, countsChecked: STORED_COUNTS.length };
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    }
  } catch (error) {
    if (error instanceof CopyError) throw error;
    if (pgErrorCode(error) === "42501")
      throw new CopyError(`the target's user may not read or write the app tables (${(error as Error).message}): connect as the owner of the database`);
    const described = describePgError(error, to);
    throw described ? new CopyError(described) : error;
  } finally {
    if (sqlite.inTransaction) sqlite.exec("rollback");
    sqlite.close();
    await client?.end().catch(() => {});
  }
}
