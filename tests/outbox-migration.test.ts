import { afterAll, describe, expect, it } from "vitest";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from "~db/client";
import { TMP_DIR } from "./support/paths";

/**
 * Migration 0007 rebuilds the outbox to let it hold account notices (its kind is a CHECKed
 * closed list). A database with mail in it keeps every message, and AUTOINCREMENT keeps its
 * promise: ids of messages already pruned are not handed out again (mail files are named by id).
 */
const dir = resolve(TMP_DIR, `outbox-migration-${randomUUID()}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function foldersUpTo(tag: string) {
  const folder = resolve(dir, "before");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = resolve(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at + 1) }, null, 2));
  return folder;
}

describe("migration 0007 (account notices in the outbox)", () => {
  it("keeps every message and never reuses the id of a pruned one", () => {
    const db = openDatabase(resolve(dir, "mail.db"));
    try {
      migrateDatabase(db, foldersUpTo("0006_users_suspended_until_index"));
      const sqlite = db.$client;
      const insert = sqlite.prepare("insert into outbox (to_address, kind, subject, text, html, next_attempt_at) values (?, ?, ?, ?, ?, ?)");
      insert.run("a@contoh.id", "verify_email", "Satu", "teks satu", "<p>satu</p>", 1000);
      insert.run("b@contoh.id", "password_reset", "Dua", "teks dua", "<p>dua</p>", 2000);
      insert.run("c@contoh.id", "digest", "Tiga", "teks tiga", "<p>tiga</p>", 3000);
      sqlite.prepare("delete from outbox where id = 3").run();
      expect(() => insert.run("d@contoh.id", "account_notice", "Empat", "x", "x", 4000)).toThrow(/CHECK/);
      const before = sqlite.prepare("select * from outbox order by id").all();

      migrateDatabase(db);

      expect(sqlite.prepare("select * from outbox order by id").all()).toEqual(before);
      const next = insert.run("d@contoh.id", "account_notice", "Empat", "teks empat", "<p>empat</p>", 4000);
      expect(Number(next.lastInsertRowid)).toBe(4);
      expect(() => insert.run("e@contoh.id", "spam", "Lima", "x", "x", 5000)).toThrow(/CHECK/);
      expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    } finally {
      db.$client.close();
    }
  });
});
