import { existsSync } from "node:fs";
import type { Db } from "./client";

/**
 * An online, consistent copy through SQLite's backup API: the site keeps running, and the copy
 * is a snapshot of one moment even while writes go on.
 */
export async function backupDatabase(db: Db, destination: string, { overwrite = false } = {}) {
  if (existsSync(destination) && !overwrite) throw new Error(`${destination} exists; choose another file name`);
  const result = await db.$client.backup(destination);
  return { pages: result.totalPages };
}
