import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Logger } from "drizzle-orm/logger";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema/index";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");

/** Strips an optional `file:` or `sqlite:` scheme so DATABASE_URL may be a plain path or a URL. */
export function databasePath(url: string): string {
  return url.replace(/^(file|sqlite):(\/\/)?/, "");
}

export function applyPragmas(sqlite: Database.Database, { readonly = false } = {}) {
  if (!readonly) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // Erased personal data is overwritten on disk instead of lingering in free pages.
  sqlite.pragma("secure_delete = ON");
}

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** Drizzle's query logger, called once per statement Drizzle runs (the benchmark counts them). */
  logger?: Logger;
}

export function openDatabase(url: string, { readonly = false, logger }: OpenDatabaseOptions = {}): Db {
  const path = databasePath(url);
  if (path !== ":memory:" && !readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path, { readonly, fileMustExist: readonly });
  applyPragmas(sqlite, { readonly });
  return drizzle(sqlite, logger ? { schema, logger } : { schema }) as Db;
}

/**
 * Applies pending migrations with foreign keys off: drizzle's migrator runs them in one transaction,
 * where `PRAGMA foreign_keys` is a no-op, so a table rebuild (DROP + RENAME) would otherwise cascade
 * or fail on the rows that reference the table. The keys are checked once the migrations are in.
 */
export function migrateDatabase(db: Db, migrationsFolder = MIGRATIONS_FOLDER) {
  const enforced = db.$client.pragma("foreign_keys", { simple: true }) === 1;
  db.$client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    const broken = db.$client.pragma("foreign_key_check") as unknown[];
    if (broken.length) throw new Error(`migrations left ${broken.length} broken foreign key(s): ${JSON.stringify(broken.slice(0, 5))}`);
  } finally {
    if (enforced) db.$client.pragma("foreign_keys = ON");
  }
}

/**
 * Runs `fn` inside BEGIN IMMEDIATE so a read-then-write cannot interleave with another writer.
 * better-sqlite3 is synchronous, so `fn` must not await.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
