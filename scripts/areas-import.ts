import { readFileSync } from "node:fs";
import { migrateDatabase, openDatabase } from "../db/client";
import { AreaImportError, importAreasCsv } from "../app/areas/import.server";

const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run areas:import -- areas.csv\nColumns: code,name,level,parent_code,population (level: city, kecamatan, kelurahan)");
  process.exit(2);
}
const db = openDatabase(process.env.DATABASE_URL || "./data/rembug.db");
migrateDatabase(db);
try {
  const { inserted, updated } = importAreasCsv(db, readFileSync(file, "utf8"));
  console.log(`Areas imported: ${inserted} new, ${updated} updated.`);
} catch (error) {
  console.error(error instanceof AreaImportError ? error.message : `Could not import: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.$client.close();
}
