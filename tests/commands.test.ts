import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { freshDatabase, sqliteClient } from "./support/db";
import { TMP_DIR } from "./support/paths";
import { AreaImportError, importAreasCsv } from "~/areas/import.server";
import { backupDatabase } from "~db/backup";
import { closeAppDatabase, rows } from "~db/engine";
import { areas, users } from "~db/schema";
import { authenticate } from "~/accounts/users.server";

const ROOT = resolve(__dirname, "..");
const CSV = `code,name,level,parent_code,population
32.99,Kota Uji,city,,120000
32.99.01,Kecamatan Satu,kecamatan,32.99,70000
32.99.01.1001,Kelurahan Satu A,kelurahan,32.99.01,40000
32.99.01.1002,Kelurahan Satu B,kelurahan,32.99.01,30000
`;

describe("areas:import", () => {
  it("imports the city, kecamatan and kelurahan with their codes, parents and populations", async () => {
    const { db } = await freshDatabase();
    expect(await importAreasCsv(db, CSV)).toEqual({ inserted: 4, updated: 0 });
    const [kel] = await db.select().from(areas).where(eq(areas.code, "32.99.01.1002")).limit(1);
    const [kec] = await db.select().from(areas).where(eq(areas.code, "32.99.01")).limit(1);
    expect(kel).toMatchObject({ name: "Kelurahan Satu B", level: "kelurahan", population: 30000, parentId: kec!.id });
  });

  it("can run again: known codes are updated, new ones added, nothing duplicated", async () => {
    const { db } = await freshDatabase();
    await importAreasCsv(db, CSV);
    const again =
      CSV.replace("Kelurahan Satu A,kelurahan,32.99.01,40000", "Kelurahan Satu A Baru,kelurahan,32.99.01,41000") +
      "32.99.01.1003,Kelurahan Satu C,kelurahan,32.99.01,5000\n";
    expect(await importAreasCsv(db, again)).toEqual({ inserted: 1, updated: 4 });
    expect(await db.select().from(areas)).toHaveLength(5);
    expect((await db.select().from(areas).where(eq(areas.code, "32.99.01.1001")).limit(1))[0]).toMatchObject({
      name: "Kelurahan Satu A Baru",
      population: 41000,
    });
  });

  it("accepts a file saved by Excel with a byte-order mark", async () => {
    const { db } = await freshDatabase();
    expect((await importAreasCsv(db, `\uFEFF${CSV}`)).inserted).toBe(4);
  });

  it("refuses the whole file, naming each line, when any row is wrong, and changes nothing", async () => {
    const { db } = await freshDatabase();
    const bad = `${CSV}32.99.02.1001,Tanpa Induk,kelurahan,32.99.02,100\n32.99.03,Salah,desa,32.99,abc\n`;
    let error: unknown;
    try {
      await importAreasCsv(db, bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AreaImportError);
    const problems = (error as AreaImportError).problems.join("\n");
    expect(problems).toMatch(/line 7: level must be one of/);
    expect(problems).toMatch(/line 7: population must be a whole number/);
    expect(await db.select().from(areas)).toHaveLength(0);
  });

  it("refuses a kelurahan whose parent is not a kecamatan, and a file with missing columns", async () => {
    const { db } = await freshDatabase();
    await expect(importAreasCsv(db, "code,name,level,parent_code,population\n32.99,Kota,city,,1\n32.99.01.1001,K,kelurahan,32.99,5\n")).rejects.toThrow(
      /must be a kecamatan/,
    );
    await expect(importAreasCsv(db, "code,name\n32.99,Kota\n")).rejects.toThrow(/missing column/);
    expect(await db.select().from(areas)).toHaveLength(0);
  });
});

describe("db:backup", () => {
  it("copies the database while another connection keeps writing, and the copy is consistent", async () => {
    const { db, open } = await freshDatabase();
    await importAreasCsv(db, CSV);
    // Another connection that writes: the writer behind a second handle on the file (no domain transaction runs on it).
    const other = open();
    const writer = sqliteClient(other);
    let writes = 0;
    const timer = setInterval(() => {
      writer.prepare("insert into rate_limits (key, window_start, count) values (?, ?, 1)").run(`k${writes++}`, Date.now());
    }, 1);
    const destination = resolve(TMP_DIR, `backup-${randomUUID()}.db`);
    try {
      await backupDatabase(db, destination);
    } finally {
      clearInterval(timer);
    }
    const copy = new Database(destination, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.prepare("select count(*) as n from areas").get()).toEqual({ n: 4 });
    expect(copy.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual(
      (await rows(db, sql`select count(*) as n from __drizzle_migrations`))[0],
    );
    copy.close();
    await closeAppDatabase(other);
  });

  it("never overwrites an existing file", async () => {
    const { db } = await freshDatabase();
    const destination = resolve(TMP_DIR, `backup-${randomUUID()}.db`);
    writeFileSync(destination, "keep me");
    await expect(backupDatabase(db, destination)).rejects.toThrow(/exists/);
  });
});

describe("user:create", () => {
  const run = (args: string[], input: string, databaseUrl: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/user-create.ts", ...args], {
      cwd: ROOT,
      input,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });

  it("creates a verified admin from a piped password, which can then sign in", async () => {
    const { path, db } = await freshDatabase();
    const result = run(["--email", "Admin@Kota.go.id", "--role", "admin", "--name", "Admin Kota"], "rapat balai kota setiap kamis\n", path);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Created admin account/);
    expect(result.stdout + result.stderr).not.toContain("rapat balai kota setiap kamis");
    const [user] = await db.select().from(users).where(eq(users.email, "admin@kota.go.id")).limit(1);
    expect(user).toMatchObject({ role: "admin", displayName: "Admin Kota" });
    expect(user!.emailVerifiedAt).not.toBeNull();
    expect((await authenticate(db, "admin@kota.go.id", "rapat balai kota setiap kamis"))?.id).toBe(user!.id);
  });

  it("refuses a short password, an unknown role and a duplicate e-mail with a message and a failing exit code", async () => {
    const { path } = await freshDatabase();
    const short = run(["--email", "a@kota.go.id", "--role", "admin"], "pendek\n", path);
    expect(short.status).not.toBe(0);
    expect(short.stderr).toMatch(/password must be 10/);
    const role = run(["--email", "a@kota.go.id", "--role", "walikota"], "rapat balai kota setiap kamis\n", path);
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/Roles: resident, moderator, planner, admin/);
    expect(run(["--email", "b@kota.go.id", "--role", "planner"], "sandi rahasia perencana\n", path).status).toBe(0);
    const duplicate = run(["--email", "B@kota.go.id", "--role", "planner"], "sandi rahasia perencana\n", path);
    expect(duplicate.status).not.toBe(0);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(existsSync(path)).toBe(true);
  });
});
