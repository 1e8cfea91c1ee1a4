import { readFileSync } from "node:fs";
import { closeAppDatabase } from "../db/engine";
import { AreaImportError, importAreasCsv } from "../app/areas/import.server";
import { commandDatabaseUrl, openCommandDatabase } from "./command-db";

const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run areas:import -- areas.csv\nColumns: code,name,level,parent_code,population (level: city, kecamatan, kelurahan)");
  process.exit(2);
}
const db = await openCommandDatabase(commandDatabaseUrl());
try {
  const { inserted, updated } = await importAreasCsv(db, readFileSync(file, "utf8"));
  console.log(`Areas imported: ${inserted} new, ${updated} updated.`);
} catch (error) {
  console.error(error instanceof AreaImportError ? error.message : `Could not import: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeAppDatabase(db);
}
