/**
 * PostgreSQL through drizzle-orm's node-postgres driver: the pool, the migrator (under an advisory
 * lock, so app servers started together migrate once) and the write transaction of the seam
 * (db/engine.ts). The schema is db/schema-pg, the twin of db/schema; decision 012 says why.
 */
import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { PgTransaction } from "drizzle-orm/pg-core";
import { is } from "drizzle-orm";
import type { Logger } from "drizzle-orm/logger";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as pgSchema from "./schema-pg/index";

export type PgDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };

export const PG_MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "migrations-pg");

/** The key of the migrations' advisory lock ("REMB"); advisory locks are per database. */
export const MIGRATION_LOCK_KEY = 0x52454d42;

/**
 * Counts and sums come back as JS numbers, as on SQLite: PostgreSQL types count(*) and sum() of
 * integers as int8 and numeric, which node-postgres hands over as strings. Process-wide (drizzle
 * sets its own parsers per query and falls back to pg's global ones); a value past 2^53 is refused
 * rather than silently rounded.
 */
function numberParser(type: string) {
  return (text: string) => {
    const n = Number(text);
    if (type === "int8" && !Number.isSafeInteger(n)) throw new RangeError(`${type} ${text} does not fit a JS number`);
    return n;
  };
}
pg.types.setTypeParser(pg.types.builtins.INT8, numberParser("int8"));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, numberParser("numeric"));

export interface OpenPgOptions {
  /** Connections in the pool (node-postgres's default is 10). */
  max?: number;
  logger?: Logger;
}

export function openPgDatabase(url: string, { max, logger }: OpenPgOptions = {}): PgDb {
  const pool = new pg.Pool({ connectionString: url, ...(max ? { max } : {}) });
  // An idle client's error (the server restarted, a connection was killed) must not crash the process.
  pool.on("error", () => {});
  return drizzle(pool, logger ? { schema: pgSchema, logger } : { schema: pgSchema }) as PgDb;
}

/**
 * Applies pending migrations once, however many processes call it at the same moment. Drizzle's
 * PostgreSQL migrator reads the last applied migration and then applies the rest, with no lock:
 * two servers starting together would both apply them. This takes a session advisory lock on a
 * connection of its own first, so the second waits for the first to commit and then finds nothing
 * to do.
 */
export async function migratePgDatabase(url: string, migrationsFolder = PG_MIGRATIONS_FOLDER): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** SQLSTATEs after which a transaction may simply be run again. */
const RETRYABLE = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected

/** The SQLSTATE of a PostgreSQL error, also when Drizzle wrapped it (DrizzleQueryError's cause). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export interface PgWriteTxOptions {
  /** SERIALIZABLE, re-run on a serialization failure or a deadlock: for a read-then-write no row lock covers. */
  serializable?: boolean;
  /** How many times in all (serializable only). */
  attempts?: number;
}

/**
 * One write transaction on a connection of the pool. Inside a transaction it joins it (the
 * callback runs in the outer transaction; a retry can only re-run the outermost one).
 */
export async function withPgWriteTx<T>(db: PgDb, fn: (tx: PgDb) => Promise<T>, { serializable = false, attempts = 10 }: PgWriteTxOptions = {}): Promise<T> {
  if (is(db, PgTransaction)) return fn(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => fn(tx as unknown as PgDb), serializable ? { isolationLevel: "serializable" } : undefined);
    } catch (error) {
      const code = pgErrorCode(error);
      if (!serializable || !code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      // Back off a little, with jitter, so the transactions that collided do not collide again.
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

export async function closePgDatabase(db: PgDb): Promise<void> {
  await db.$client.end();
}

/** A PostgreSQL URL fit to show: the password replaced by `***`. */
export function redactPgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(a URL that does not parse)";
  }
}

/** The code of a connection error: a SQLSTATE, or Node's (ECONNREFUSED …), also inside an AggregateError (one per address tried). */
function connectionErrorCode(error: unknown): string | undefined {
  const sqlstate = pgErrorCode(error);
  if (sqlstate) return sqlstate;
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code) return code;
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length) return connectionErrorCode(inner[0]);
  }
  return undefined;
}

/**
 * One sentence for the ways connecting to PostgreSQL fails (no server, an unknown host, a wrong
 * password, a missing database or role), naming the server of `url` without its password; null
 * for any other error. For commands and start-up, which print it instead of a stack trace.
 */
export function describePgError(error: unknown, url?: string): string | null {
  let server = "the PostgreSQL server";
  let user = "";
  let database = "";
  if (url) {
    try {
      const u = new URL(url);
      server = `PostgreSQL at ${u.hostname || "localhost"}:${u.port || "5432"}`;
      user = decodeURIComponent(u.username);
      database = decodeURIComponent(u.pathname.replace(/^\//, ""));
    } catch {
      // Keep the generic names.
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  switch (connectionErrorCode(error)) {
    case "ECONNREFUSED":
      return `${server} refused the connection: no server listens there (is it running, on that port?)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${server}: the host name was not found (check the host in the URL)`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${server} did not answer (${connectionErrorCode(error)}): check the host, the port and any firewall`;
    case "ECONNRESET":
      return `${server} closed the connection at once (is it a PostgreSQL server, and does it accept this client?)`;
    case "28P01":
      return `${server} refused the password${user ? ` of user "${user}"` : ""}: check the password in the URL`;
    case "28000":
      return `${server} refused the connection: ${message}`;
    case "3D000":
      return `${server} has no database${database ? ` "${database}"` : " of that name"}: create it first (createdb${database ? ` ${database}` : " NAME"})`;
    case "57P03":
      return `${server} is starting up or shutting down: try again in a moment`;
    case "53300":
      return `${server} has no connection slot left (too many connections)`;
  }
  if (/client password must be a string/i.test(message)) return `${server} asks for a password${user ? ` for user "${user}"` : ""} and the URL has none`;
  return null;
}
