import { openDatabase } from "../db/client";
import { backupDatabase } from "../db/backup";

const destination = process.argv[2];
if (!destination) {
  console.error("Usage: npm run db:backup -- backups/rembug-2026-11-28.db");
  process.exit(2);
}
const db = openDatabase(process.env.DATABASE_URL || "./data/rembug.db");
try {
  const { pages } = await backupDatabase(db, destination);
  console.log(`Backup written to ${destination} (${pages} pages).`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.$client.close();
}
