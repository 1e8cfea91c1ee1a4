/**
 * The real server (server/index.ts over the production build) in a child process of its own, on
 * a fresh seeded database in a temporary folder, for the security suites. The test process opens
 * the same database file as the server does (openAppDatabase) to set up content and to check what
 * a request changed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import { closeAppDatabase, openAppDatabase, type AppDb } from "../../../db/engine";
import { seedDemo } from "../../../db/seed";
import { setSetting } from "../../../app/settings.server";

export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const BUILD_DIR = process.env.REMBUG_BUILD_DIR ?? "build";

export interface SecurityServer {
  /** Where requests go: http://127.0.0.1:PORT */
  origin: string;
  /** The Origin a page of the site sends: SITE_URL when one is set, else `origin`. */
  siteOrigin: string;
  /** The session cookie's name (`__Host-` prefixed when SITE_URL is HTTPS). */
  cookieName: string;
  port: number;
  /** The test's own handle on the server's database (reads on a query_only connection; writes through withWriteTx). */
  db: AppDb;
  /**
   * The better-sqlite3 client of that read connection, for pragmas that watch the file: its
   * data_version changes whenever another connection (the server, or the test's own writer) commits.
   */
  reader: Database.Database;
  /** The database file, for a check on a connection of its own (SQLite's integrity_check of an FTS5 table trusts a structure its connection read before). */
  databaseFile: string;
  /** The server's output so far (one line per request, errors), for failure messages. */
  log: () => string[];
  /** Lines of the server's log that report an unexpected error (a 500). */
  errors: () => string[];
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Relaxed limits: each cell uses fresh accounts, but every request comes from 127.0.0.1. */
export async function relaxLimits(db: AppDb) {
  const generous = { limit: 100_000, windowSeconds: 3600 };
  for (const key of [
    "rateSignUpPerAddress",
    "rateSignInPerAccount",
    "rateSignInPerAddress",
    "ratePasswordResetPerAddress",
    "ratePasswordResetPerAccount",
  ] as const) {
    await setSetting(db, key, generous);
  }
  // Nothing is held for review unless a test asks for it, so stored counts can be recounted.
  await setSetting(db, "premoderationCount", 0);
}

/**
 * Starts the built server. `siteUrl: true` runs it as a deployment does (NODE_ENV=production,
 * SITE_URL = the server's own address, no demo); a string sets SITE_URL to it, as behind a TLS
 * proxy (requests still go to 127.0.0.1); `false` runs it as the demo does (the expected origin
 * comes from the Host header).
 */
export async function startSecurityServer({ siteUrl = true }: { siteUrl?: boolean | string } = {}): Promise<SecurityServer> {
  const serverBuild = resolve(ROOT, BUILD_DIR, "server/index.js");
  if (!existsSync(serverBuild)) {
    throw new Error(`No production build at ${serverBuild}: the security tests run against the build (npm test builds first; or run \`npm run build\`).`);
  }
  const dir = mkdtempSync(join(tmpdir(), "rembug-security-"));
  const databaseFile = join(dir, "security.db");
  const db = await openAppDatabase(databaseFile, { migrate: true });
  await seedDemo(db);
  await relaxLimits(db);

  // A deployment must name the key that encrypts second-factor secrets (`npm start` refuses to
  // start without it; the app throws when it first needs it). The test process enrols admins in
  // the same database (tests/security/support/world.ts), so it holds the same key.
  process.env.TWO_FACTOR_KEY = process.env.TWO_FACTOR_KEY?.trim() || randomBytes(32).toString("hex");

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseFile,
    MAIL_DIR: join(dir, "mail"),
    REMBUG_BUILD_DIR: BUILD_DIR,
    TWO_FACTOR_KEY: process.env.TWO_FACTOR_KEY,
  };
  delete env.SMTP_URL;
  delete env.TRUST_PROXY;
  if (siteUrl) {
    env.SITE_URL = typeof siteUrl === "string" ? siteUrl : origin;
    delete env.REMBUG_DEMO;
  } else {
    delete env.SITE_URL;
    env.REMBUG_DEMO = "1";
  }
  // node directly (not npx), so SIGTERM reaches the server itself.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(line);
    if (lines.length > 20_000) lines.splice(0, lines.length - 20_000);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  let exited = false;
  child.on("exit", () => (exited = true));
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`the server exited before it was ready:\n${lines.slice(-30).join("\n")}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /healthz within 90 s:\n${lines.slice(-30).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const siteOrigin = typeof siteUrl === "string" ? siteUrl : origin;
  return {
    origin,
    siteOrigin,
    cookieName: siteOrigin.startsWith("https://") ? "__Host-rembug_session" : "rembug_session",
    port,
    db,
    reader: (db as unknown as Db).$client,
    databaseFile,
    log: () => [...lines],
    errors: () => lines.filter((l) => /^error id=|^[A-Z]+ \S+ 5\d\d /.test(l)),
    async stop() {
      process.off("exit", killOnExit);
      if (!exited) {
        const gone = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await gone;
        clearTimeout(timer);
      }
      await closeAppDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
