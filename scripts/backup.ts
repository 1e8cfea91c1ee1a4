import { openDatabase } from "../db/client";
import { engineOfUrl, fromSqlite } from "../db/engine";
import { backupDatabase, PG_BACKUP_ADVICE } from "../db/backup";
import { commandDatabaseUrl } from "./command-db";

const destination = process.argv[2];
if (!destination) {
  console.error("Usage: npm run db:backup -- backups/rembug-2026-11-28.db");
  process.exit(2);
}
const url = commandDatabaseUrl();
if (engineOfUrl(url) === "pg") {
  console.error(PG_BACKUP_ADVICE);
  process.exit(1);
}
// A connection of its own on the SQLite file; the backup API reads it while the site keeps writing.
const db = openDatabase(url);
try {
  const { pages } = await backupDatabase(fromSqlite(db), destination);
  console.log(`Backup written to ${destination} (${pages} pages).`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.$client.close();
}
