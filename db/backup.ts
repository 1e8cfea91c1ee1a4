import { existsSync } from "node:fs";
import { engineOf, type AppDb } from "./engine";
import type { Db } from "./client";

/** What `db:backup` says on PostgreSQL, where copying a file is not the way. */
export const PG_BACKUP_ADVICE =
  'db:backup copies an SQLite file; back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f rembug.dump "$DATABASE_URL") or the server\'s point-in-time recovery (WAL archiving)';

/**
 * An online, consistent copy of an SQLite database through SQLite's backup API, on the handle's
 * connection: the site keeps running, and the copy is a snapshot of one moment even while writes
 * go on. SQLite only: on PostgreSQL it refuses with PG_BACKUP_ADVICE.
 */
export async function backupDatabase(db: AppDb, destination: string, { overwrite = false } = {}) {
  if (engineOf(db) === "pg") throw new Error(PG_BACKUP_ADVICE);
  if (existsSync(destination) && !overwrite) throw new Error(`${destination} exists; choose another file name`);
  const result = await (db as unknown as Db).$client.backup(destination);
  return { pages: result.totalPages };
}
