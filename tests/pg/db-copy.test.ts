/**
 * `npm run db:copy` (db/copy.ts): the demo city, with a row in every table the demo leaves empty,
 * copied from its SQLite file into a fresh PostgreSQL database and read back through Drizzle on
 * both sides; the identity sequences, the recount on PostgreSQL, the refusals (a full target, a
 * source that is no Rembug city at the latest migration, no server, a wrong password, no
 * database), and a copy taken while another connection keeps writing to the source.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTableColumns, is, sql } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import Database from "better-sqlite3";
import pg from "pg";
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import * as sqliteSchema from "~db/schema";
import * as pgSchema from "~db/schema-pg";
import { openDatabase, type Db } from "~db/client";
import { seedDemo } from "~db/seed";
import { copyDatabase, copyOrder, CopyError, type CopyReport } from "~db/copy";
import { closePgDatabase, describePgError, openPgDatabase, type PgDb } from "~db/pg-client";
import { recountStoredCounts, STORED_COUNTS } from "~db/recount";
import { storedCountMismatchesPg } from "~db/recount-pg";
import { freshDatabase, freshDatabaseFile } from "../support/db";
import { closeAppDatabase } from "~db/engine";
import { freePort, withPgClient } from "../../scripts/pg-cluster";
import { TMP_DIR } from "../support/paths";
import { describePg, freshPgUrl } from "./support";

const NOW = new Date("2026-03-15T03:00:00Z");
/** Rows per INSERT in the main copy: few, so that every table of more rows takes several, the last one short. */
const BATCH_ROWS = 7;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
const pgTableByName = new Map((Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => [getPgTableConfig(t).name, t]));
const nameOf = (t: SQLiteTable) => getTableConfig(t).name;

/** Rows for every table the demo city leaves empty, and values at the edges: JSON, REAL, bigints, booleans, NULLs, milliseconds. */
function fillEveryTable(db: Db) {
  const s = sqliteSchema;
  const one = <T>(q: string) => db.$client.prepare(q).get() as T;
  const resident = one<{ id: number }>("select id from users where role = 'resident' order by id limit 1").id;
  const admin = one<{ id: number }>("select id from users where role = 'admin' order by id limit 1").id;
  const project = one<{ id: number }>("select id from projects order by id limit 1").id;
  const proposal = one<{ id: number; title: string }>("select id, title from proposals order by id limit 1");
  const comment = one<{ id: number }>("select id from comments order by id limit 1").id;

  db.update(s.projects)
    .set({ budgetRupiah: Number.MAX_SAFE_INTEGER, lat: -6.914744123456789, lng: 107.60981000000001 })
    .where(sql`id = ${project}`)
    .run();
  db.insert(s.sessions)
    .values({ id: "sess-1", secretHash: "h".repeat(64), userId: resident, createdAt: at(1), lastVerifiedAt: at(2), expiresAt: at(86_400_001) })
    .run();
  db.insert(s.twoFactors)
    .values({ userId: admin, secretCipher: "cipher", confirmedAt: at(3), lastUsedStep: 59_000_000, createdAt: at(4) })
    .run();
  db.insert(s.recoveryCodes)
    .values([
      { userId: admin, codeHash: "c1", createdAt: at(5) },
      { userId: admin, codeHash: "c2", usedAt: at(6), createdAt: at(5) },
    ])
    .run();
  db.insert(s.signInChallenges)
    .values({ id: "chal-1", secretHash: "x", userId: admin, attempts: 2, createdAt: at(7), expiresAt: at(600_007) })
    .run();
  db.insert(s.proposalRevisions)
    .values({ proposalId: proposal.id, editorId: resident, title: proposal.title, bodySource: "Sebelumnya", bodyHtml: "<p>Sebelumnya</p>", createdAt: at(8) })
    .run();
  db.insert(s.flags)
    .values({ targetType: "comment", targetId: comment, projectId: project, userId: resident, reason: "spam", note: null, createdAt: at(9) })
    .run();
  db.insert(s.reviewItems)
    .values([
      { targetType: "comment", targetId: comment, projectId: project, authorId: resident, reasons: ["flagged", "new_author"], score: 3, createdAt: at(10) },
      {
        targetType: "comment",
        targetId: comment,
        reasons: [],
        status: "approved",
        version: 2,
        decidedBy: admin,
        decidedAt: at(11),
        decisionReason: "ok",
        appealText: "Mohon ditinjau — “kutipan”",
        appealedAt: at(12),
        createdAt: at(9),
      },
    ])
    .run();
  db.insert(s.moderationLog)
    .values([
      {
        actorId: admin,
        action: "role_change",
        targetType: "user",
        targetId: String(resident),
        details: { from: "resident", to: "moderator", nested: { n: 1.5, list: [1, "dua", null] } },
        createdAt: at(13),
      },
      { actorId: null, action: "role_change", targetType: "user", targetId: null, reason: null, details: null, createdAt: at(14) },
    ])
    .run();
  db.insert(s.notifications)
    .values({
      userId: resident,
      kind: "reply",
      projectId: project,
      link: "/proyek/x#c1",
      params: { title: "Jalan “baru”", emoji: "🚧" },
      readAt: null,
      createdAt: at(15),
    })
    .run();
  db.insert(s.rateLimits)
    .values({ key: "signin:1.2.3.4", windowStart: at(16), count: 3, failures: 2, blockedUntil: at(60_016) })
    .run();
  db.insert(s.jobRuns)
    .values({ name: "housekeeping", nextRunAt: at(3_600_016), claimedAt: at(16) })
    .run();
  db.insert(s.reportThemeRuns)
    .values({
      projectId: project,
      status: "done",
      processed: 10,
      total: 10,
      startedAt: at(17),
      computedAt: at(18),
      commentCount: 10,
      lastCommentId: comment,
      publishedCount: 12,
    })
    .run();
  db.insert(s.reportThemes)
    .values([
      {
        projectId: project,
        rank: 1,
        label: "drainase",
        terms: ["drainase", "banjir"],
        weight: 0.1 + 0.2,
        commentCount: 4,
        stanceSupport: 1,
        stanceOppose: 2,
        stanceNeutral: 0,
        stanceNone: 1,
        quotes: [{ kind: "comment", id: comment, excerpt: "Air menggenang…" }],
        corpusSize: 10,
        computedAt: at(18),
      },
      { projectId: project, rank: 2, label: "kecil", terms: [], weight: 1e-300, commentCount: 0, quotes: [], corpusSize: 10, computedAt: at(18) },
      {
        projectId: project,
        rank: 3,
        label: "negatif",
        terms: ["x"],
        weight: -12345.678901234567,
        commentCount: 0,
        quotes: [],
        corpusSize: 10,
        computedAt: at(18),
      },
    ])
    .run();
  db.insert(s.emailTokens)
    .values({ id: "tok-1", userId: resident, purpose: "verify", secretHash: "s", expiresAt: at(19), usedAt: null, createdAt: at(20) })
    .run();
  db.insert(s.notificationPreferences)
    .values({ userId: resident, mode: "digest", digestLastSentAt: at(21), digestAfterId: 7, updatedAt: at(22) })
    .run();
  db.insert(s.outbox)
    .values({
      userId: null,
      toAddress: "warga@example.org",
      kind: "notification",
      subject: "Balasan",
      text: "Teks",
      html: "<p>Teks</p>",
      headers: { "List-Unsubscribe": "<{{origin}}/u>" },
      nextAttemptAt: at(23),
      deliveredVia: "file",
      sentAt: at(24),
      createdAt: at(23),
    })
    .run();
  // An area whose parent has a larger id, more than a batch (BATCH_ROWS) later: in key order the copy meets the child first.
  const child = db.insert(s.areas).values({ code: "32.99.98.0001", name: "Anak", level: "kelurahan" }).returning({ id: s.areas.id }).get();
  for (let i = 2; i <= BATCH_ROWS + 1; i++)
    db.insert(s.areas)
      .values({ code: `32.99.98.000${i}`, name: `Tetangga ${i}`, level: "kelurahan" })
      .run();
  const parent = db.insert(s.areas).values({ code: "32.99.98", name: "Induk", level: "kecamatan", population: 0 }).returning({ id: s.areas.id }).get();
  db.update(s.areas)
    .set({ parentId: parent.id })
    .where(sql`id = ${child.id}`)
    .run();
  // A follow withdrawn (false), beside the demo's active ones, and the follower count that goes with it.
  db.$client.prepare("update follows set active = 0 where rowid = (select min(rowid) from follows)").run();
  recountStoredCounts(db.$client);
}

/** Rows of a table sorted by primary key, as Drizzle reads them. */
function sortByKey(table: SQLiteTable, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const config = getTableConfig(table);
  const keyNames = config.primaryKeys.length ? config.primaryKeys[0]!.columns.map((c) => c.name) : config.columns.filter((c) => c.primary).map((c) => c.name);
  const keys = Object.entries(getTableColumns(table))
    .filter(([, c]) => keyNames.includes(c.name))
    .map(([k]) => k);
  const key = (row: Record<string, unknown>) => JSON.stringify(keys.map((k) => row[k]));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const sqliteCounts = (sqlite: Database.Database) =>
  Object.fromEntries(sqliteTables.map((t) => [nameOf(t), (sqlite.prepare(`select count(*) as n from "${nameOf(t)}"`).get() as { n: number }).n]));

async function pgCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of sqliteTables) out[nameOf(t)] = (await client.query<{ n: number }>(`select count(*)::int as n from "${nameOf(t)}"`)).rows[0]!.n;
  return out;
}

describePg("db:copy, SQLite to PostgreSQL", (serverUrl) => {
  let source: { db: Db; path: string };
  let targetUrl: string;
  let report: CopyReport;
  let target: PgDb;
  const progress: { table: string; done: number; total: number; finished: boolean }[] = [];

  beforeAll(async () => {
    // Seeded through the app's seam; then a plain connection of its own for the rows no journey writes and the checks.
    const fresh = await freshDatabase();
    await seedDemo(fresh.db, NOW);
    await closeAppDatabase(fresh.db);
    source = { db: openDatabase(fresh.path), path: fresh.path };
    fillEveryTable(source.db);
    // Not migrated: the copy runs the migrations itself.
    targetUrl = await freshPgUrl(serverUrl, { migrated: false });
    report = await copyDatabase({ from: source.path, to: targetUrl, batchRows: BATCH_ROWS, onProgress: (p) => progress.push(p) });
    target = openPgDatabase(targetUrl, { max: 2 });
  }, 30_000);

  afterAll(async () => {
    if (target) await closePgDatabase(target);
    source?.db.$client.close();
  });

  it("copies every table of db/schema, parents first, with its progress, and leaves out SQLite's search index", async () => {
    const counts = sqliteCounts(source.db.$client);
    expect(
      Object.values(counts).every((n) => n > 0),
      JSON.stringify(counts),
    ).toBe(true);
    expect(report.counts).toEqual(counts);
    expect(await withPgClient(targetUrl, pgCounts)).toEqual(counts);
    expect(report.rows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));

    const order = report.tables.map((t) => t.table);
    expect(order).toEqual(copyOrder());
    expect([...order].sort()).toEqual(sqliteTables.map(nameOf).sort());
    for (const table of sqliteTables)
      for (const fk of getTableConfig(table).foreignKeys) {
        const parent = getTableConfig(fk.reference().foreignTable).name;
        if (parent !== nameOf(table)) expect(order.indexOf(parent), `${parent} before ${nameOf(table)}`).toBeLessThan(order.indexOf(nameOf(table)));
      }
    expect(report.skipped.map((s) => s.table)).toEqual(["search_index"]);
    for (const name of order) {
      const last = progress.filter((p) => p.table === name).at(-1)!;
      expect(last).toMatchObject({ done: counts[name], total: counts[name], finished: true });
    }
  });

  it("reads back every row as the app reads it from SQLite: Dates, booleans, JSON, REAL, bigints and NULLs", async () => {
    for (const table of sqliteTables) {
      const name = nameOf(table);
      const lite = sortByKey(table, source.db.select().from(table).all() as Record<string, unknown>[]);
      const copied = sortByKey(table, (await target.select().from(pgTableByName.get(name)!)) as Record<string, unknown>[]);
      expect(copied, name).toEqual(lite);
    }
    const [project] = await target
      .select()
      .from(pgSchema.projects)
      .where(sql`budget_rupiah = ${Number.MAX_SAFE_INTEGER}`);
    expect(project).toMatchObject({ budgetRupiah: Number.MAX_SAFE_INTEGER, lat: -6.914744123456789, lng: 107.60981000000001 });
    expect(project!.createdAt).toBeInstanceOf(Date);
    const weights = (await target.select().from(pgSchema.reportThemes)).map((t) => t.weight).sort((a, b) => a - b);
    expect(weights).toEqual([-12345.678901234567, 1e-300, 0.30000000000000004]);
    const log = await target.select().from(pgSchema.moderationLog).orderBy(pgSchema.moderationLog.id);
    expect(log.map((l) => l.details)).toEqual([{ from: "resident", to: "moderator", nested: { n: 1.5, list: [1, "dua", null] } }, null]);
    const [child] = await target
      .select()
      .from(pgSchema.areas)
      .where(sql`code = '32.99.98.0001'`);
    const [parent] = await target
      .select()
      .from(pgSchema.areas)
      .where(sql`code = '32.99.98'`);
    expect(child!.parentId).toBe(parent!.id);
    expect(parent!.id).toBeGreaterThan(child!.id);
    const follows = await target.select().from(pgSchema.follows);
    expect(new Set(follows.map((f) => f.active))).toEqual(new Set([true, false]));
  });

  it("resets the identity sequences: an insert without an id continues after the largest", async () => {
    const identities = report.sequences.map((s) => s.table).sort();
    expect(identities).toEqual(
      sqliteTables
        .filter((t) => getTableConfig(t).columns.some((c) => c.primary && c.getSQLType() === "integer" && c.name === "id"))
        .map(nameOf)
        .sort(),
    );
    for (const { table, next } of report.sequences) {
      const max = (source.db.$client.prepare(`select coalesce(max(id), 0) as m from "${table}"`).get() as { m: number }).m;
      expect(next, table).toBe(max + 1);
    }
    const [area] = await target.insert(pgSchema.areas).values({ code: "32.99.99", name: "Baru", level: "kecamatan" }).returning({ id: pgSchema.areas.id });
    expect(area!.id).toBe(report.sequences.find((s) => s.table === "areas")!.next);
    const [user] = await target.insert(pgSchema.users).values({ displayName: "Warga baru" }).returning({ id: pgSchema.users.id });
    expect(user!.id).toBe(report.sequences.find((s) => s.table === "users")!.next);
  });

  it("leaves stored counts equal to their recount on PostgreSQL, and that recount finds each count set wrong", async () => {
    const client = await target.$client.connect();
    try {
      expect(await storedCountMismatchesPg(client)).toEqual([]);
      await client.query("begin");
      for (const count of STORED_COUNTS) {
        await client.query("savepoint wrong");
        const col = `"${count.column}"`;
        const change =
          count.compare === "exact"
            ? `update ${count.table} set ${col} = ${col} + 7 where id = (select min(id) from ${count.table})`
            : `update ${count.table} set ${col} = null where id = (select min(id) from ${count.table} where ${col} is not null)`;
        expect((await client.query(change)).rowCount, change).toBe(1);
        const found = await storedCountMismatchesPg(client);
        expect(
          found.map((m) => `${m.table}.${m.column}`),
          change,
        ).toEqual([`${count.table}.${count.column}`]);
        await client.query("rollback to savepoint wrong");
      }
      await client.query("rollback");
    } finally {
      client.release();
    }
  });

  it("refuses a second copy into the now non-empty target, and changes nothing", async () => {
    const fingerprint = () =>
      withPgClient(targetUrl, async (client) => ({
        counts: await pgCounts(client),
        sequences: (await client.query("select sequencename, last_value from pg_sequences order by sequencename")).rows,
      }));
    const before = await fingerprint();
    const refused = copyDatabase({ from: source.path, to: targetUrl });
    await expect(refused).rejects.toThrow(CopyError);
    await expect(refused).rejects.toThrow(/^the target postgres:\/\/.* is not empty \(.*hold rows\): db:copy fills an empty database only$/);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a source that is missing, or not a Rembug city at the latest migration", async () => {
    const empty = await freshPgUrl(serverUrl);
    await expect(copyDatabase({ from: resolve(TMP_DIR, "no-such-city.db"), to: empty })).rejects.toThrow(/^the source .*no-such-city\.db does not exist$/);
    const blank = resolve(TMP_DIR, `blank-${randomUUID()}.db`);
    new Database(blank).close();
    await expect(copyDatabase({ from: blank, to: empty })).rejects.toThrow(/is not a Rembug database: it has no migrations table/);
    const older = { path: freshDatabaseFile() };
    const olderDb = openDatabase(older.path);
    olderDb.$client.prepare("delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)").run();
    olderDb.$client.close();
    await expect(copyDatabase({ from: older.path, to: empty })).rejects.toThrow(/is at migration \S+, not at the latest, \S+: migrate it first/);
    // None of that touched the target.
    expect(Object.values(await withPgClient(empty, pgCounts)).every((n) => n === 0)).toBe(true);
  });

  describe("a server it cannot use, in one line", () => {
    const role = `copy_pw_${randomUUID().slice(0, 8)}`;
    let hbaFile = "";
    let hba = "";

    beforeAll(async () => {
      // The run's cluster trusts every local connection; one role of this file's own must give its password.
      await withPgClient(serverUrl, async (admin) => {
        await admin.query(`create role ${role} login password 'the-right-one'`);
        hbaFile = (await admin.query<{ hba_file: string }>("show hba_file")).rows[0]!.hba_file;
        hba = readFileSync(hbaFile, "utf8");
        writeFileSync(hbaFile, `host all ${role} all scram-sha-256\n${hba}`);
        await admin.query("select pg_reload_conf()");
      });
    });

    afterAll(async () => {
      if (!hbaFile) return;
      writeFileSync(hbaFile, hba);
      await withPgClient(serverUrl, async (admin) => {
        await admin.query("select pg_reload_conf()");
        await admin.query(`drop role if exists ${role}`);
      });
    });

    const refusal = async (to: string) => {
      const error = (await copyDatabase({ from: source.path, to }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(CopyError);
      expect(error.message).not.toContain("\n");
      return error.message;
    };

    it("no server listening, a wrong password, no such database", async () => {
      const port = await freePort();
      expect(await refusal(`postgres://postgres@127.0.0.1:${port}/rembug`)).toBe(
        `PostgreSQL at 127.0.0.1:${port} refused the connection: no server listens there (is it running, on that port?)`,
      );
      const wrong = new URL(serverUrl);
      wrong.username = role;
      wrong.password = "not-the-right-one";
      // The server reads its new pg_hba.conf in the background: wait until it asks this role for its password.
      for (let tries = 0; ; tries++) {
        const probe = new pg.Client({ connectionString: wrong.toString() });
        const code = await probe.connect().then(
          () => probe.end().then(() => "connected"),
          (e: { code?: string }) => e.code,
        );
        if (code === "28P01" || tries > 50) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const message = await refusal(wrong.toString());
      expect(message).toBe(`PostgreSQL at 127.0.0.1:${wrong.port} refused the password of user "${role}": check the password in the URL`);
      expect(message).not.toContain("not-the-right-one");
      const missing = new URL(serverUrl);
      missing.pathname = "/no_such_database";
      expect(await refusal(missing.toString())).toBe(
        `PostgreSQL at 127.0.0.1:${missing.port} has no database "no_such_database": create it first (createdb no_such_database)`,
      );
      expect(describePgError(Object.assign(new Error("getaddrinfo ENOTFOUND db.example"), { code: "ENOTFOUND" }), "postgres://u:pw@db.example/x")).toBe(
        "PostgreSQL at db.example:5432: the host name was not found (check the host in the URL)",
      );
    });

    it("the command prints the sentence alone and exits 1", async () => {
      const port = await freePort();
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", "scripts/db-copy.ts", "--from", source.path, "--to", `postgres://postgres@127.0.0.1:${port}/x`],
        {
          encoding: "utf8",
          timeout: 30_000,
        },
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`db:copy: PostgreSQL at 127.0.0.1:${port} refused the connection: no server listens there (is it running, on that port?)\n`);
    }, 30_000);
  });

  it("copies one consistent snapshot while another connection keeps writing to the source", async () => {
    // The seeded city in a file of its own, and a writer on it that adds a comment with its counts, again and again.
    const city = { path: freshDatabaseFile() };
    source.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    copyFileSync(source.path, city.path);
    const writer = openDatabase(city.path);
    const base = sqliteCounts(writer.$client);
    const baseMaxComment = (writer.$client.prepare("select max(id) as m from comments").get() as { m: number }).m;
    const thread = writer.$client.prepare("select id, project_id as projectId from threads where visibility = 'published' order by id limit 1").get() as {
      id: number;
      projectId: number;
    };
    const author = (writer.$client.prepare("select id from users where role = 'resident' and deleted_at is null order by id limit 1").get() as { id: number })
      .id;
    const addComment = writer.$client.transaction((n: number) => {
      const now = Date.now();
      const { lastInsertRowid } = writer.$client
        .prepare(
          "insert into comments (thread_id, project_id, author_id, depth, sort_key, body_source, body_html, visibility, created_at) values (?, ?, ?, 0, ?, ?, ?, 'published', ?)",
        )
        .run(thread.id, thread.projectId, author, `w${String(n).padStart(10, "0")}`, `Tulisan ${n}`, `<p>Tulisan ${n}</p>`, now);
      writer.$client
        .prepare("update threads set comment_count = comment_count + 1, last_activity_at = max(coalesce(last_activity_at, 0), ?) where id = ?")
        .run(now, thread.id);
      writer.$client
        .prepare("update projects set comment_count = comment_count + 1, last_activity_at = max(coalesce(last_activity_at, 0), ?) where id = ?")
        .run(now, thread.projectId);
      writer.$client.prepare("update users set contribution_count = contribution_count + 1 where id = ?").run(author);
      return Number(lastInsertRowid);
    });

    const written: number[] = [];
    let writing = true;
    let copying = false;
    let writtenWhileCopying = 0;
    const tick = () => {
      if (!writing) return;
      written.push(addComment(written.length));
      if (copying) writtenWhileCopying++;
      setImmediate(tick);
    };
    tick();
    const url = await freshPgUrl(serverUrl);
    let snapshot: CopyReport;
    try {
      // Small batches: many round trips to PostgreSQL, and the writer's turn between each.
      snapshot = await copyDatabase({ from: city.path, to: url, batchRows: 20, onProgress: () => (copying = true) });
    } finally {
      writing = false;
    }

    const final = sqliteCounts(writer.$client);
    writer.$client.close();
    expect(writtenWhileCopying).toBeGreaterThan(20);
    expect(final.comments).toBe(base.comments! + written.length);
    await withPgClient(url, async (client) => {
      const copied = await pgCounts(client);
      expect(copied).toEqual(snapshot.counts);
      // The snapshot is the city after the first k writes, for one k: no comment without its counts, none of the later ones.
      const k = copied.comments! - base.comments!;
      expect(k).toBeLessThan(written.length);
      expect(copied).toEqual({ ...base, comments: base.comments! + k });
      const ids = (await client.query<{ id: number }>("select id from comments where id > $1 order by id", [baseMaxComment])).rows.map((r) => r.id);
      expect(ids).toEqual(written.slice(0, k));
      expect(await storedCountMismatchesPg(client)).toEqual([]);
    });
  }, 30_000);
});
