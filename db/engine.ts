/**
 * The seam between the domain and the two engines (decision 012). Domain code holds an `AppDb`,
 * whatever the engine, and uses only:
 *
 * - `tables(db)` for the tables: db/schema's on SQLite, db/schema-pg's on PostgreSQL, typed as
 *   db/schema's (the twins have identical row types: tests/pg/schema-parity.test.ts);
 * - `await` on Drizzle's builders for every query (`const [row] = await q.limit(1)` for `.get()`,
 *   `await q` for `.all()` and `.run()`, `.returning()` to learn what a write touched);
 * - `withWriteTx(db, async (tx) => …)` for every write, with `forUpdate(query)` to lock the rows a
 *   read-then-write depends on, and `{ serializable: true }` where no row lock covers the read;
 * - `rows(db, sql)` for raw SQL, and `isUniqueViolation(error)`.
 *
 * `AppDb` is typed as an async SQLite database over db/schema: that is the one Drizzle type the
 * code is checked against, and on PostgreSQL it is a cast. What the type offers but one engine
 * lacks (`.get()`, `.all()`, `.run()`, `.values()`, `db.transaction`, `db.run/all/get`) is not
 * for domain code.
 */
import { is, type SQL } from "drizzle-orm";
import { PgDatabase, PgTransaction } from "drizzle-orm/pg-core";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema/index";
import { closePgDatabase, migratePgDatabase, openPgDatabase, pgErrorCode, withPgWriteTx, type OpenPgOptions, type PgDb } from "./pg-client";
import { closeSqliteApp, openSqliteApp, withSqliteSnapshot, withSqliteWriteTx } from "./sqlite-writer";
import type { Db } from "./client";

export type Schema = typeof schema;
/** What domain code holds: an async SQLite database over db/schema's tables, by type; either engine at run time. */
export type AppDb = BaseSQLiteDatabase<"async", unknown, Schema>;
export type Engine = "sqlite" | "pg";

/** `postgres://` or `postgresql://` is PostgreSQL; anything else (a path, `file:`) is an SQLite file. */
export function engineOfUrl(url: string): Engine {
  return /^postgres(ql)?:\/\//i.test(url) ? "pg" : "sqlite";
}

export function engineOf(db: AppDb): Engine {
  return is(db, PgDatabase) ? "pg" : "sqlite";
}

/** The tables of the engine `db` runs on (the schema it was opened with, transactions included). */
export function tables(db: AppDb): Schema {
  return db._.fullSchema;
}

const asPg = (db: AppDb) => db as unknown as PgDb;
const asSqlite = (db: AppDb) => db as unknown as Db;
export const fromPg = (db: PgDb) => db as unknown as AppDb;
export const fromSqlite = (db: Db) => db as unknown as AppDb;

export interface WriteTxOptions {
  /**
   * PostgreSQL: SERIALIZABLE, re-run on a serialization failure, for a read-then-write that no
   * unique constraint or row lock covers (a count). SQLite's single writer is serializable already.
   */
  serializable?: boolean;
}

/**
 * Runs `fn` in one write transaction and returns what it returns; when it throws, nothing it
 * wrote stays. `fn` may be run more than once (serializable retries): keep side effects outside
 * the database (mail goes through the outbox) after it. Called with a transaction, it joins it.
 */
export function withWriteTx<T>(db: AppDb, fn: (tx: AppDb) => Promise<T>, options: WriteTxOptions = {}): Promise<T> {
  if (engineOf(db) === "pg") return withPgWriteTx(asPg(db), (tx) => fn(fromPg(tx)), options);
  return withSqliteWriteTx(asSqlite(db), (tx) => fn(fromSqlite(tx)));
}

type LockStrength = "update" | "no key update";

/**
 * Locks the rows a select reads until the transaction ends (`FOR UPDATE`, or `FOR NO KEY UPDATE`
 * for a parent row others only reference) on PostgreSQL; on SQLite the writer holds the whole
 * database already, and the query is returned as it is.
 */
export function forUpdate<Q extends object>(query: Q, strength: LockStrength = "update"): Q {
  const lockable = query as Q & { for?: (strength: LockStrength) => Q };
  return typeof lockable.for === "function" ? lockable.for(strength) : query;
}

/**
 * Runs `fn` where every query sees one committed state of the database (PostgreSQL: a REPEATABLE
 * READ, READ ONLY transaction; SQLite: a read transaction on a connection of its own): for reads
 * that must agree with each other — a report's figures, an export, a person's data. Inside a
 * write transaction it simply runs on it.
 */
export function withReadSnapshot<T>(db: AppDb, fn: (snapshot: AppDb) => Promise<T>): Promise<T> {
  if (engineOf(db) === "pg") {
    const pgDb = asPg(db);
    if (is(pgDb, PgTransaction)) return fn(db);
    return pgDb.transaction((tx) => fn(fromPg(tx as unknown as PgDb)), { isolationLevel: "repeatable read", accessMode: "read only" });
  }
  return withSqliteSnapshot(asSqlite(db), (snapshot) => fn(fromSqlite(snapshot)));
}

/** Runs a raw SQL statement that returns no rows you need (an update with computed columns), on either engine. */
export async function execute(db: AppDb, query: SQL): Promise<void> {
  if (engineOf(db) === "pg") await asPg(db).execute(query);
  else asSqlite(db).run(query);
}

/** The rows of a raw SQL query, on either engine. */
export async function rows<T extends Record<string, unknown>>(db: AppDb, query: SQL): Promise<T[]> {
  if (engineOf(db) === "pg") return (await asPg(db).execute(query)).rows as T[];
  return asSqlite(db).all<T>(query);
}

/** A unique index or primary key refused the write (SQLite's SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (pgErrorCode(error) === "23505") return true;
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  }
  return false;
}

/** Opens DATABASE_URL's engine; `migrate` applies pending migrations first (once, under a lock, on PostgreSQL). */
export async function openAppDatabase(url: string, { migrate = false, ...options }: OpenPgOptions & { migrate?: boolean } = {}): Promise<AppDb> {
  if (engineOfUrl(url) === "pg") {
    if (migrate) await migratePgDatabase(url);
    return fromPg(openPgDatabase(url, options));
  }
  return fromSqlite(openSqliteApp(url, { logger: options.logger, migrate }));
}

export async function closeAppDatabase(db: AppDb): Promise<void> {
  if (engineOf(db) === "pg") await closePgDatabase(asPg(db));
  else closeSqliteApp(asSqlite(db));
}
