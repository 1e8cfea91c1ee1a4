import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { openDatabase, type Db } from "../../db/client";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

/** A fresh, migrated database file of its own (a copy of the template made by global setup). */
export function freshDatabase(): { db: Db; path: string; open: () => Db } {
  const path = resolve(TMP_DIR, `test-${randomUUID()}.db`);
  copyFileSync(TEMPLATE_DB, path);
  const db = openDatabase(path);
  return { db, path, open: () => openDatabase(path) };
}
