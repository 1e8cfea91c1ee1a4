import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { openSqliteApp, sqliteWriterOf } from "../../db/sqlite-writer";
import { afterAll } from "vitest";
import { closeAppDatabase, fromPg, fromSqlite, openAppDatabase, type AppDb } from "../../db/engine";
import { openPgDatabase } from "../../db/pg-client";
import { freshPgUrl, pgServer } from "../pg/support";
import type { Db } from "../../db/client";
import { setSetting } from "../../app/settings.server";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

const opened: string[] = [];

/**
 * The engine this run's domain tests use: SQLite files, or PostgreSQL when REMBUG_TEST_ENGINE=pg
 * (the `pg` project of vitest.config.ts runs the domain files again on the run's cluster).
 */
export const TEST_ENGINE: "sqlite" | "pg" = process.env.REMBUG_TEST_ENGINE === "pg" ? "pg" : "sqlite";

const openedPg: string[] = [];

const pools: AppDb[] = [];

/** The PostgreSQL databases this test file made (their URLs), recounted after the file like the SQLite files. */
export function openedPgDatabases(): readonly string[] {
  return openedPg;
}

// The PostgreSQL pools this file opened close after it (SQLite connections close with the process).
afterAll(async () => {
  for (const db of pools.splice(0)) await closeAppDatabase(db);
});

async function freshPg(appDefaults: boolean): Promise<{ db: AppDb; path: string; open: () => AppDb }> {
  if (!("url" in pgServer)) throw new Error(pgServer.missing);
  const url = await freshPgUrl(pgServer.url);
  openedPg.push(url);
  const db = await openAppDatabase(url, { max: 4 });
  pools.push(db);
  if (!appDefaults) await setSetting(db, "premoderationCount", 0);
  // A second pool on the same database stands for a second app server.
  const open = () => {
    const other = fromPg(openPgDatabase(url, { max: 4 }));
    pools.push(other);
    return other;
  };
  return { db, path: url, open };
}

/** The database files this test file made: tests/support/stored-counts-check.ts recounts each after the file. */
export function openedDatabases(): readonly string[] {
  return opened;
}

/** The path of a fresh, migrated database file (the template's copy, app defaults), opened by no one. */
export function freshDatabaseFile(): string {
  const path = resolve(TMP_DIR, `test-${randomUUID()}.db`);
  copyFileSync(TEMPLATE_DB, path);
  opened.push(path);
  return path;
}

/**
 * A fresh, migrated database file of its own (a copy of the template made by global setup).
 *
 * People made by the factories start with no contributions, as a real new account does, so a
 * test database does not hold new authors' first posts for review (premoderationCount 0) unless
 * the file is about screening and asks for the app's own settings with `{ appDefaults: true }`.
 */
export async function freshDatabase({ appDefaults = false }: { appDefaults?: boolean } = {}): Promise<{ db: AppDb; path: string; open: () => AppDb }> {
  if (TEST_ENGINE === "pg") return freshPg(appDefaults);
  const path = freshDatabaseFile();
  const open = () => fromSqlite(openSqliteApp(path));
  const db = open();
  if (!appDefaults) await setSetting(db, "premoderationCount", 0);
  return { db, path, open };
}

/**
 * The writer connection's better-sqlite3 client behind a test database, for tests of the database
 * itself (raw SQL against constraints and triggers) and for recounts. Synchronous: use it only
 * while no transaction of the domain is open.
 */
export function sqliteClient(db: AppDb): Database.Database {
  return sqliteWriterOf(db as unknown as Db).$client;
}
