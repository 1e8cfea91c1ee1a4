import { mkdirSync, rmSync } from "node:fs";
import { openDatabase, migrateDatabase } from "../../db/client";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

/** Migrates one template database; each test file copies it (much faster than migrating again). */
export default function setup() {
  rmSync(TMP_DIR, { recursive: true, force: true });
  mkdirSync(TMP_DIR, { recursive: true });
  const db = openDatabase(TEMPLATE_DB);
  migrateDatabase(db);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.pragma("journal_mode = DELETE");
  db.$client.close();
}
