import { openDatabase, databasePath, type Db } from "~db/client";

/**
 * A read-only connection of its own for a long read (an export, the themes): better-sqlite3 is
 * synchronous, so the shared connection is never held while a slow client downloads (WAL gives
 * the reader a consistent snapshot while the site keeps writing). Close it when done.
 */
export function openReader(databaseUrl: string): Db {
  if (databasePath(databaseUrl) === ":memory:") throw new Error("a read-only reader needs a database file, not :memory:");
  return openDatabase(databaseUrl, { readonly: true });
}

/** Lets other requests run between two batches of a long computation. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
