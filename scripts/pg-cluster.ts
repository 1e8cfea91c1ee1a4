/**
 * A throwaway PostgreSQL server: a private cluster in a temporary directory, on a free port of
 * 127.0.0.1, with no password (trust) and no durability (fsync off) — for tests and trials only.
 *
 *   import { startCluster } from "./scripts/pg-cluster";
 *   const cluster = await startCluster();   // cluster.url: postgres://postgres@127.0.0.1:PORT/postgres
 *   const url = await createDatabase(cluster.url, "t1", { template: "rembug_template" });
 *   await cluster.stop();                   // stops the server and deletes its directory
 *
 * CLI (node --import tsx scripts/pg-cluster.ts …):
 *   start              starts one and prints DATABASE_URL=… and PG_CLUSTER_DIR=… (it keeps running)
 *   stop DIR           stops the cluster in DIR and deletes DIR
 *   run -- CMD ARGS…   starts one, runs CMD with DATABASE_URL and PGHOST/PGPORT/PGUSER set, then stops it
 *
 * initdb refuses to run as root: as root, the cluster is made and run by the `postgres` OS user
 * (Debian's postgresql package creates it) in a directory that user owns.
 */
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const PG_INSTALL_HINT = "apt-get install -y postgresql";

/** PostgreSQL's server programs are not installed (or not found). */
export class PgMissingError extends Error {
  constructor(detail: string) {
    super(`PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: ${detail}. Install them with \`${PG_INSTALL_HINT}\` (Debian/Ubuntu).`);
    this.name = "PgMissingError";
  }
}

export interface PgCluster {
  /** The superuser's URL for the `postgres` database. */
  url: string;
  port: number;
  /** The temporary directory: data/, the server log, the socket. */
  dir: string;
  stop(): Promise<void>;
}

const SERVER_PROGRAMS = ["initdb", "pg_ctl", "postgres"];
const hasServer = (dir: string) => SERVER_PROGRAMS.every((p) => existsSync(join(dir, p)));

/**
 * The folder of initdb/pg_ctl/postgres: $PG_BINDIR when set (and only it), else `pg_config
 * --bindir`, else the newest /usr/lib/postgresql/N/bin, else PATH; null when none.
 */
export function findPgBin(): string | null {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv) return hasServer(fromEnv) ? fromEnv : null;
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const bindir = pgConfig.status === 0 ? pgConfig.stdout.trim() : "";
  if (bindir && hasServer(bindir)) return bindir;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (hasServer(join(debian, v, "bin"))) return join(debian, v, "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && hasServer(dir)) return dir;
  return null;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Who runs the server: ourselves, or the `postgres` OS user when we are root. */
function serverUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0) {
    throw new PgMissingError(
      `initdb refuses to run as root and there is no \`postgres\` OS user to run it as (Debian's postgresql package creates one; or run as an ordinary user)`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin: string, program: string, args: string[], as: RunAs, cwd: string) {
  const result = spawnSync(join(bin, program), args, { cwd, encoding: "utf8", ...as, env: { ...process.env, LC_ALL: "C", LANG: "C" }, timeout: 120_000 });
  if (result.error) throw result.error;
  return result;
}

/** A port nobody listens on now (the server may still lose it to a race: startCluster retries). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface ClusterState {
  bin: string;
  port: number;
  uid?: number;
  gid?: number;
}

const stateFile = (dir: string) => join(dir, "cluster.json");

/** Starts a private cluster; throws PgMissingError (with the install command) when PostgreSQL is not installed. */
export async function startCluster({ quiet = true }: { quiet?: boolean } = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin)
    throw new PgMissingError(
      process.env.PG_BINDIR ? `not in PG_BINDIR=${process.env.PG_BINDIR}` : "looked in `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH",
    );
  const as = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "rembug-pg-"));
  try {
    if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
    const data = join(dir, "data");
    const init = run(bin, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], as, dir);
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stdout}${init.stderr}`);
    let lastError = "";
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-c unix_socket_directories=${dir}`,
        // Throwaway data: nothing needs to survive a crash.
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
      ].join(" ");
      const start = run(bin, "pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"], as, dir);
      if (start.status === 0) {
        const state: ClusterState = { bin, port, ...as };
        writeFileSync(stateFile(dir), JSON.stringify(state));
        if (!quiet) console.log(`PostgreSQL (${bin}) on 127.0.0.1:${port}, data in ${dir}`);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop: () => stopCluster(dir) };
      }
      const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8") : "";
      lastError = `${start.stdout}${start.stderr}${log}`;
      if (!/could not bind|Address already in use/i.test(lastError)) break;
    }
    throw new Error(`pg_ctl start failed:\n${lastError}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the cluster in `dir` (immediately: its data is thrown away) and deletes the directory. */
export async function stopCluster(dir: string): Promise<void> {
  try {
    if (existsSync(stateFile(dir))) {
      const { bin, uid, gid } = JSON.parse(readFileSync(stateFile(dir), "utf8")) as ClusterState;
      run(bin, "pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"], uid === undefined ? {} : { uid, gid }, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `fn` on one client connected to `url`, closed afterwards whatever happens. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` (a copy of `template` when given: CREATE DATABASE … TEMPLATE, faster
 * than migrating again; FILE_COPY, as the data is small and fsync is off) and returns its URL. A template may not have open connections;
 * a copy made while another copy of it is being made is retried until `timeoutMs`.
 */
export async function createDatabase(
  url: string,
  name: string,
  { template, timeoutMs = 30_000 }: { template?: string; timeoutMs?: number } = {},
): Promise<string> {
  const statement = `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)} STRATEGY FILE_COPY` : ""}`;
  const deadline = Date.now() + timeoutMs;
  await withPgClient(url, async (client) => {
    for (;;) {
      try {
        await client.query(statement);
        return;
      } catch (error) {
        // 55006 object_in_use: the template is being copied or read by another session right now.
        if ((error as { code?: string }).code !== "55006" || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  return databaseUrl(url, name);
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await withPgClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

async function cli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "start") {
    const cluster = await startCluster();
    console.log(`DATABASE_URL=${cluster.url}`);
    console.log(`PG_CLUSTER_DIR=${cluster.dir}`);
    return 0;
  }
  if (command === "stop" && rest[0]) {
    await stopCluster(resolve(rest[0]));
    return 0;
  }
  if (command === "run") {
    const cmd = rest[0] === "--" ? rest.slice(1) : rest;
    if (!cmd.length) throw new Error("run: which command? (pg-cluster.ts run -- CMD ARGS…)");
    const cluster = await startCluster({ quiet: false });
    try {
      const env = { ...process.env, DATABASE_URL: cluster.url, PGHOST: "127.0.0.1", PGPORT: String(cluster.port), PGUSER: "postgres", PGDATABASE: "postgres" };
      const child = spawn(cmd[0]!, cmd.slice(1), { stdio: "inherit", env });
      return await new Promise<number>((done) => {
        child.on("error", (e) => (console.error(e.message), done(127)));
        child.on("close", (code) => done(code ?? 1));
      });
    } finally {
      await cluster.stop();
    }
  }
  console.error("usage: pg-cluster.ts start | stop DIR | run -- CMD ARGS…");
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error instanceof PgMissingError ? error.message : (error.stack ?? error.message));
      process.exit(1);
    },
  );
}
