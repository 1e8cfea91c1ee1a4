/**
 * How the npm commands (db:migrate, db:seed, user:create, …) reach the database: DATABASE_URL's
 * engine through db/engine, SQLite (a file) or PostgreSQL (postgres://…), migrated first. A
 * PostgreSQL server that cannot be reached, refuses the password or lacks the database is one line
 * on stderr (its URL without the password) and exit status 1, never a stack trace.
 */
import { engineOfUrl, openAppDatabase, type AppDb } from "../db/engine";
import { describePgError, redactPgUrl } from "../db/pg-client";

/** DATABASE_URL, or the demo's SQLite file. */
export function commandDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || "./data/rembug.db";
}

/** The URL fit to print: a PostgreSQL URL without its password, an SQLite path as it is. */
export function shownDatabaseUrl(url: string): string {
  return engineOfUrl(url) === "pg" ? redactPgUrl(url) : url;
}

/** When `error` is a failure to reach PostgreSQL at `url`, prints its one-line description and exits with status 1. */
export function exitOnConnectionError(error: unknown, url: string): void {
  const line = engineOfUrl(url) === "pg" ? describePgError(error, url) : null;
  if (!line) return;
  console.error(line);
  process.exit(1);
}

/** Opens `url` with its pending migrations applied; a connection problem ends the command (above), any other error is thrown. */
export async function openCommandDatabase(url: string): Promise<AppDb> {
  try {
    return await openAppDatabase(url, { migrate: true });
  } catch (error) {
    exitOnConnectionError(error, url);
    throw error;
  }
}
