import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { openDatabase, type Db } from "../../db/client";
import { setSetting } from "../../app/settings.server";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

const opened: string[] = [];

/** The database files this test file made: tests/support/stored-counts-check.ts recounts each after the file. */
export function openedDatabases(): readonly string[] {
  return opened;
}

/**
 * A fresh, migrated database file of its own (a copy of the template made by global setup).
 *
 * People made by the factories start with no contributions, as a real new account does, so a
 * test database does not hold new authors' first posts for review (premoderationCount 0) unless
 * the file is about screening and asks for the app's own settings with `{ appDefaults: true }`.
 */
export function freshDatabase({ appDefaults = false }: { appDefaults?: boolean } = {}): { db: Db; path: string; open: () => Db } {
  const path = resolve(TMP_DIR, `test-${randomUUID()}.db`);
  copyFileSync(TEMPLATE_DB, path);
  opened.push(path);
  const db = openDatabase(path);
  if (!appDefaults) setSetting(db, "premoderationCount", 0);
  return { db, path, open: () => openDatabase(path) };
}
