import { afterAll, expect } from "vitest";
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { storedCountMismatches } from "../../db/recount";
import { openedDatabases } from "./db";

/**
 * After every test file: each database the file made must hold stored counts equal to a recount
 * of its rows (db/recount.ts). A domain write, or a test factory, that changes rows without their
 * counts fails the file that did it.
 */
afterAll(() => {
  const wrong: string[] = [];
  for (const path of openedDatabases()) {
    if (!existsSync(path)) continue;
    const sqlite = new Database(path, { readonly: true, fileMustExist: true });
    try {
      sqlite.pragma("busy_timeout = 5000");
      for (const m of storedCountMismatches(sqlite, 3)) wrong.push(`${m.table}.${m.column} #${m.id}: stored ${m.stored}, rows say ${m.expected}`);
    } finally {
      sqlite.close();
    }
  }
  expect(wrong, "stored counts that disagree with a recount").toEqual([]);
});
