import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase, type Db } from "~db/client";
import * as schema from "~db/schema";
import { TEMPLATE_DB, TMP_DIR } from "./support/paths";
import { expectConstraint } from "./support/more-factories";

/**
 * The upgrade test: a database that holds data at the FIRST migration is upgraded with every
 * committed migration, and nothing may be lost or changed. New migrations need no change here.
 */

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}
const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: JournalEntry[];
};
const first = journal.entries[0]!;

/** A migrations folder holding only the first migration, as a database made back then would have seen. */
function firstMigrationFolder(dir: string) {
  mkdirSync(resolve(dir, "meta"), { recursive: true });
  writeFileSync(resolve(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries: [first] }, null, 2));
  copyFileSync(resolve(MIGRATIONS_FOLDER, `${first.tag}.sql`), resolve(dir, `${first.tag}.sql`));
  const snapshot = `${String(first.idx).padStart(4, "0")}_snapshot.json`;
  if (existsSync(resolve(MIGRATIONS_FOLDER, "meta", snapshot))) {
    copyFileSync(resolve(MIGRATIONS_FOLDER, "meta", snapshot), resolve(dir, "meta", snapshot));
  }
}

const T = Date.UTC(2026, 0, 15, 3, 0, 0); // a fixed moment, so every stored value is known

/** Representative rows, written with the columns the first migration has, in raw SQL. */
function insertRepresentativeData(sqlite: Database.Database) {
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    sqlite.prepare(`insert into ${table} (${cols.join(", ")}) values (${cols.map(() => "?").join(", ")})`).run(...Object.values(row));
  };
  insert("areas", { id: 1, code: "32.73", name: "Kota Bandung", level: "city", parent_id: null, population: 2500000 });
  insert("areas", { id: 2, code: "32.73.01", name: "Sukasari", level: "kecamatan", parent_id: 1, population: 80000 });
  insert("areas", { id: 3, code: "32.73.01.1001", name: "Sarijadi", level: "kelurahan", parent_id: 2, population: 25000 });

  const user = (id: number, over: Record<string, unknown>) =>
    insert("users", {
      id,
      email: `user${id}@contoh.id`,
      display_name: `Warga ${id}`,
      password_hash: `$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA${id}`,
      role: "resident",
      area_id: 3,
      locale: "id",
      email_verified_at: T,
      suspended_until: null,
      suspension_reason: null,
      contribution_count: 0,
      deleted_at: null,
      created_at: T,
      ...over,
    });
  user(1, { role: "admin", display_name: "Admin Kota", area_id: null, locale: "en" });
  user(2, { display_name: "Siti Aminah", contribution_count: 3 });
  user(3, { display_name: "Budi Santoso", suspended_until: T + 7 * 86400000, suspension_reason: "spam" });
  user(4, { email: null, password_hash: null, display_name: "Akun terhapus", deleted_at: T + 1000, area_id: null });
  user(5, { role: "planner", display_name: "Perencana Dinas", email_verified_at: null });

  insert("sessions", { id: "sessionidabc", secret_hash: "ab".repeat(32), user_id: 2, created_at: T, last_verified_at: T, expires_at: T + 30 * 86400000 });
  insert("settings", { key: "premoderationCount", value: "4", updated_by: 1, updated_at: T });
  insert("rate_limits", { key: "signin:acct:user2@contoh.id", window_start: T, count: 2, failures: 4, blocked_until: T + 2000 });

  insert("projects", {
    id: 1,
    slug: "pelebaran-jalan-sarijadi",
    title: "Pelebaran Jalan Sarijadi",
    summary: "Jalan diperlebar dua meter.",
    body_source: "Rencana **pelebaran**.",
    body_html: "<p>Rencana <strong>pelebaran</strong>.</p>",
    category: "roads",
    area_id: 3,
    lat: -6.8765,
    lng: 107.5801,
    budget_rupiah: 1_250_000_000,
    phase: "consultation",
    consultation_opens_at: T - 86400000,
    consultation_closes_at: T + 14 * 86400000,
    created_by: 5,
    votes_support: 1,
    votes_oppose: 1,
    thread_count: 1,
    comment_count: 2,
    proposal_count: 1,
    follower_count: 1,
    last_activity_at: T,
    published_at: T - 86400000,
    created_at: T - 2 * 86400000,
  });
  insert("projects", {
    id: 2,
    slug: "taman-cihampelas",
    title: "Taman Cihampelas",
    summary: "Taman baru.",
    body_source: "Taman.",
    body_html: "<p>Taman.</p>",
    category: "parks",
    area_id: 3,
    phase: "decided",
    outcome: "approved",
    outcome_reason: "Anggaran tersedia.",
    created_at: T,
  });
  insert("project_updates", {
    id: 1,
    project_id: 1,
    author_id: 5,
    kind: "phase_change",
    from_phase: "draft",
    to_phase: "consultation",
    body_source: "Dibuka.",
    body_html: "<p>Dibuka.</p>",
    created_at: T,
  });
  insert("follows", { user_id: 2, project_id: 1, active: 1, created_at: T });

  insert("threads", {
    id: 1,
    project_id: 1,
    author_id: 2,
    title: "Trotoar",
    body_source: "Bagaimana trotoarnya?",
    body_html: "<p>Bagaimana trotoarnya?</p>",
    comment_count: 2,
    last_activity_at: T,
    created_at: T,
  });
  insert("comments", {
    id: 1,
    thread_id: 1,
    project_id: 1,
    author_id: 3,
    parent_id: null,
    depth: 0,
    sort_key: "0000000001",
    stance: "support",
    body_source: "Setuju 👍",
    body_html: "<p>Setuju 👍</p>",
    reply_count: 1,
    created_at: T,
  });
  insert("comments", {
    id: 2,
    thread_id: 1,
    project_id: 1,
    author_id: 2,
    parent_id: 1,
    depth: 1,
    sort_key: "00000000010000000002",
    stance: null,
    body_source: "Terima kasih.",
    body_html: "<p>Terima kasih.</p>",
    visibility: "hidden",
    edited_at: T + 5000,
    created_at: T + 1000,
  });
  insert("comment_revisions", { id: 1, comment_id: 2, editor_id: 2, body_source: "Makasih", body_html: "<p>Makasih</p>", created_at: T + 1000 });

  insert("proposals", {
    id: 1,
    project_id: 1,
    author_id: 2,
    title: "Tambah lampu",
    body_source: "Lampu.",
    body_html: "<p>Lampu.</p>",
    status: "under_evaluation",
    support_count: 1,
    created_at: T,
  });
  // The proposal's discussion thread (not counted in the project's threads), and a proposal without one.
  insert("threads", {
    id: 2,
    project_id: 1,
    author_id: 2,
    title: "Tambah lampu",
    body_source: "Lampu.",
    body_html: "<p>Lampu.</p>",
    proposal_id: 1,
    last_activity_at: T,
    created_at: T,
  });
  insert("proposals", {
    id: 2,
    project_id: 1,
    author_id: 5,
    title: "Bangku taman",
    body_source: "Bangku.",
    body_html: "<p>Bangku.</p>",
    visibility: "pending",
    created_at: T + 2000,
  });
  insert("proposal_revisions", { id: 1, proposal_id: 1, editor_id: 2, title: "Lampu", body_source: "L.", body_html: "<p>L.</p>", created_at: T });
  insert("supports", { proposal_id: 1, user_id: 3, project_id: 1, created_at: T });

  insert("votes", { id: 1, project_id: 1, user_id: 2, choice: "support", area_id: 3, created_at: T });
  insert("votes", { id: 2, project_id: 1, user_id: null, choice: "oppose", area_id: 3, created_at: T, updated_at: T + 60000 });

  insert("flags", { id: 1, target_type: "comment", target_id: 1, project_id: 1, user_id: 2, reason: "off_topic", note: "Bukan topiknya", created_at: T });
  insert("review_items", { id: 1, target_type: "comment", target_id: 1, project_id: 1, author_id: 3, reasons: '["flagged"]', score: 1, created_at: T });
  insert("moderation_log", {
    id: 1,
    actor_id: 1,
    action: "role_change",
    target_type: "user",
    target_id: "5",
    reason: null,
    details: '{"from":"resident","to":"planner"}',
    created_at: T,
  });
  insert("notifications", {
    id: 1,
    user_id: 2,
    kind: "reply",
    project_id: 1,
    link: "/projects/pelebaran-jalan-sarijadi#c2",
    params: '{"title":"Trotoar"}',
    created_at: T,
  });
}

type Snapshot = Map<string, { columns: string[]; orderBy: string; rows: unknown[] }>;

function contentTables(sqlite: Database.Database): string[] {
  return (
    sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name")
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** Every row of every table, ordered by primary key (rowids can change when SQLite rebuilds a table). */
function snapshot(sqlite: Database.Database): Snapshot {
  const out: Snapshot = new Map();
  for (const table of contentTables(sqlite)) {
    const info = sqlite.prepare(`pragma table_info("${table}")`).all() as { name: string; pk: number }[];
    const columns = info.map((c) => c.name);
    const pk = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => `"${c.name}"`);
    const orderBy = (pk.length ? pk : columns.map((c) => `"${c}"`)).join(", ");
    const rows = sqlite.prepare(`select ${columns.map((c) => `"${c}"`).join(", ")} from "${table}" order by ${orderBy}`).all();
    out.set(table, { columns, orderBy, rows });
  }
  return out;
}

/** AUTOINCREMENT's counters, which a table rebuild must carry over. */
function sequences(sqlite: Database.Database) {
  return sqlite.prepare("select name, seq from sqlite_sequence order by name").all();
}

function schemaSql(sqlite: Database.Database) {
  return sqlite.prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();
}

describe("upgrading a database that holds data", () => {
  const dir = resolve(TMP_DIR, `migrations-${randomUUID()}`);
  let db: Db;
  let before: Snapshot;
  let sequencesBefore: unknown[];

  beforeAll(() => {
    firstMigrationFolder(resolve(dir, "first"));
    db = openDatabase(resolve(dir, "upgrade.db"));
    migrate(db, { migrationsFolder: resolve(dir, "first") });
    insertRepresentativeData(db.$client);
    // Ids handed out beyond the rows that remain (a removed row's id is never reused).
    db.$client.prepare("update sqlite_sequence set seq = seq + 40 where name in ('threads', 'moderation_log')").run();
    before = snapshot(db.$client);
    sequencesBefore = sequences(db.$client);
    migrateDatabase(db);
  });

  afterAll(() => {
    db?.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts from the first migration only, with data in every table that has content", () => {
    const empty = [...before].filter(([, t]) => t.rows.length === 0).map(([name]) => name);
    expect(empty).toEqual([]);
    expect(before.size).toBeGreaterThan(10);
  });

  it("records every committed migration as applied", () => {
    const applied = db.$client.prepare("select created_at from __drizzle_migrations order by created_at").all() as { created_at: number }[];
    expect(applied.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when));
  });

  it("keeps every row of the first migration's tables, unchanged", () => {
    for (const [table, { columns, orderBy, rows }] of before) {
      const stillThere = contentTables(db.$client).includes(table);
      expect(stillThere, `table ${table} was dropped`).toBe(true);
      const after = db.$client.prepare(`select ${columns.map((c) => `"${c}"`).join(", ")} from "${table}" order by ${orderBy}`).all();
      expect(after, `rows of ${table}`).toEqual(rows);
    }
  });

  it("leaves no broken foreign keys and an intact file", () => {
    expect(db.$client.pragma("foreign_key_check")).toEqual([]);
    expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("ends with exactly the schema of a freshly migrated database", () => {
    const fresh = new Database(TEMPLATE_DB, { readonly: true });
    try {
      expect(schemaSql(db.$client)).toEqual(schemaSql(fresh));
    } finally {
      fresh.close();
    }
  });

  it("keeps the id counters of the tables it rebuilt", () => {
    expect(sequences(db.$client)).toEqual(sequencesBefore);
  });

  it("keeps the triggers of the rebuilt tables: search indexing of threads, the append-only log", async () => {
    const triggers = (table: string) =>
      (db.$client.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = ? order by name").all(table) as { name: string }[]).map(
        (r) => r.name,
      );
    expect(triggers("threads")).toEqual(["search_threads_ai", "search_threads_au"]);
    expect(triggers("moderation_log")).toEqual(["moderation_log_no_delete", "moderation_log_no_update"]);
    const sqlite = db.$client;
    await expectConstraint(() => sqlite.prepare("update moderation_log set reason = 'x' where id = 1").run(), "TRIGGER", /append-only/);
    const indexed = (rowid: number) => sqlite.prepare("select title from search_index where rowid = ?").get(rowid);
    // The general thread found before the upgrade is still found; the proposal's thread never is.
    expect(indexed(1 * 4 + 1)).toEqual({ title: "Trotoar" });
    expect(indexed(2 * 4 + 1)).toBeUndefined();
    sqlite.prepare("update threads set title = 'Trotoar sempit' where id = 1").run();
    expect(indexed(1 * 4 + 1)).toEqual({ title: "Trotoar sempit" });
    sqlite.prepare("update threads set title = 'Trotoar' where id = 1").run();
  });

  it("refuses, after the upgrade, a second discussion thread for a proposal and a thread of a missing proposal", async () => {
    const thread = (proposalId: number | null) =>
      db.$client
        .prepare(
          "insert into threads (project_id, author_id, title, body_source, body_html, visibility, proposal_id) values (1, 2, 'x', 'x', '<p>x</p>', 'hidden', ?)",
        )
        .run(proposalId);
    const tx = db.$client.transaction((fn: () => void) => {
      fn();
      throw new Error("rolled back");
    });
    await expectConstraint(() => thread(1), "UNIQUE", /threads\.proposal_id/);
    await expectConstraint(() => thread(999), "FOREIGNKEY");
    // The upgraded database still takes a proposal's first thread (rolled back: the data above stays as it was).
    expect(() => tx(() => void thread(2))).toThrow("rolled back");
  });

  it("can read the upgraded rows through the current Drizzle schema", () => {
    expect(db.select().from(schema.users).all()).toHaveLength(5);
    expect(
      db
        .select()
        .from(schema.comments)
        .all()
        .map((c) => c.bodySource),
    ).toEqual(["Setuju 👍", "Terima kasih."]);
    expect(db.select().from(schema.votes).all()).toHaveLength(2);
    expect(db.select({ id: schema.threads.id, proposalId: schema.threads.proposalId }).from(schema.threads).all()).toEqual([
      { id: 1, proposalId: null },
      { id: 2, proposalId: 1 },
    ]);
    expect(db.select().from(schema.sessions).all()).toHaveLength(1);
  });

  it("does nothing when run again", () => {
    const again = snapshot(db.$client);
    migrateDatabase(db);
    expect(snapshot(db.$client)).toEqual(again);
    expect(db.$client.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: journal.entries.length });
  });
});

describe("a later migration that rebuilds a referenced table", () => {
  const dir = resolve(TMP_DIR, `migrations-${randomUUID()}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What drizzle-kit generates when SQLite must rebuild `users` (here: to add a column). */
  function rebuildUsersMigration(sqlite: Database.Database) {
    const create = (sqlite.prepare("select sql from sqlite_master where type = 'table' and name = 'users'").get() as { sql: string }).sql;
    const columns = (sqlite.prepare(`pragma table_info("users")`).all() as { name: string }[]).map((c) => `\`${c.name}\``).join(", ");
    const indexes = (
      sqlite.prepare("select sql from sqlite_master where type = 'index' and tbl_name = 'users' and sql is not null").all() as { sql: string }[]
    ).map((r) => r.sql);
    const newTable = create.replace(/^CREATE TABLE [`"]?users[`"]? \(/, "CREATE TABLE `__new_users` (\n\t`nickname` text,");
    return [
      "PRAGMA foreign_keys=OFF;",
      newTable + ";",
      `INSERT INTO \`__new_users\`(${columns}) SELECT ${columns} FROM \`users\`;`,
      "DROP TABLE `users`;",
      "ALTER TABLE `__new_users` RENAME TO `users`;",
      "PRAGMA foreign_keys=ON;",
      ...indexes.map((sql) => sql + ";"),
    ].join("--> statement-breakpoint\n");
  }

  it("keeps the rows that reference it (sessions, content) and its foreign keys", () => {
    const folder = resolve(dir, "with-rebuild");
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const db = openDatabase(resolve(dir, "rebuild.db"));
    try {
      migrateDatabase(db);
      insertRepresentativeData(db.$client);
      const before = snapshot(db.$client);

      const last = journal.entries[journal.entries.length - 1]!;
      const tag = `${String(last.idx + 1).padStart(4, "0")}_rebuild_users`;
      writeFileSync(resolve(folder, `${tag}.sql`), rebuildUsersMigration(db.$client));
      const extended = { ...journal, entries: [...journal.entries, { ...last, idx: last.idx + 1, when: last.when + 1000, tag }] };
      writeFileSync(resolve(folder, "meta/_journal.json"), JSON.stringify(extended, null, 2));

      migrateDatabase(db, folder);

      expect(db.$client.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: journal.entries.length + 1 });
      expect((db.$client.pragma(`table_info("users")`) as { name: string }[]).map((c) => c.name)).toContain("nickname");
      for (const [table, { columns, orderBy, rows }] of before) {
        const after = db.$client.prepare(`select ${columns.map((c) => `"${c}"`).join(", ")} from "${table}" order by ${orderBy}`).all();
        expect(after, `rows of ${table}`).toEqual(rows);
      }
      expect(db.$client.pragma("foreign_key_check")).toEqual([]);
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      // The references still point at the rebuilt table.
      expect(() =>
        db.$client.prepare("insert into sessions (id, secret_hash, user_id, last_verified_at, expires_at) values ('x', 'y', 999, 0, 0)").run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.$client.close();
    }
  });
});
