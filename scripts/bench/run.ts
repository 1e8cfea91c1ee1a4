/**
 * The participation benchmark (`npm run bench`).
 *
 * 1. Seeds the large synthetic city (scripts/bench/seed-large.ts) unless it is already there,
 *    and builds the app when the build is missing or older than its sources.
 * 2. Starts the real app in this process — createApp from server/app.ts with the production
 *    build, static assets as server/index.ts serves them, readConfig with NODE_ENV=production —
 *    on a loopback port, over a database whose Drizzle logger counts statements.
 * 3. For each page: requests per second and p50/p99 latency at 20 connections for 10 s
 *    (autocannon, in a child process), then the same for a bare node:http server on another
 *    loopback port that returns the very same bytes and headers, as the ceiling.
 * 4. Counts the SQL statements of one load of each page on the large city and on a small one
 *    (the demo seed in a temporary file) and says OK when the count does not grow with size.
 * 5. Prints a table and rewrites its own section of docs/BENCHMARKS.md.
 *
 * Options: --duration=10 --warmup=2 --connections=20 --quiet-wait=120 (the longest wait for
 * a quiet machine before measuring) --fresh (seed again) --show-sql, and
 * --scale=0.01 with BENCH_DB=/tmp/… to try the script quickly on a smaller city.
 * Everything is bounded: fixed durations, loopback only, a watchdog, and the script exits itself.
 */
import "./production-env";
import { spawn, spawnSync } from "node:child_process";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import os from "node:os";
import { existsSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabasePath, BIG_PROJECT_SLUG, largeCityPresent, ROOT, scaledSize } from "./seed-large";
import { writeBenchmarkSection } from "./benchmarks-doc";
import type { LoadOptions, LoadResult } from "./load-generator";
import type { Db } from "../../db/client";

const started = Date.now();
const WATCHDOG_MINUTES = 30;
setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MINUTES} minutes, giving up`);
  process.exit(2);
}, WATCHDOG_MINUTES * 60_000).unref();

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}
const SECONDS = Math.min(option("duration", 10), 60);
const WARMUP_SECONDS = Math.min(option("warmup", 2), 30);
const CONNECTIONS = Math.min(Math.max(1, Math.round(option("connections", 20))), 200);
const FRESH = process.argv.includes("--fresh");
const SHOW_SQL = process.argv.includes("--show-sql");
const SCALE = option("scale", 1);
const QUIET_WAIT_SECONDS = Math.min(option("quiet-wait", 120), 600);
const DOC = join(ROOT, "docs/BENCHMARKS.md");

// ------------------------------------------------------------------------------ seed and build

const benchPath = benchDatabasePath();
console.log(`Large city: ${relative(ROOT, benchPath) || benchPath}`);
const seed = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/bench/seed-large.ts"), `--scale=${SCALE}`, ...(FRESH ? ["--fresh"] : [])], {
  cwd: ROOT,
  stdio: "inherit",
  timeout: 20 * 60_000,
});
if (seed.status !== 0) throw new Error(`seeding the large city failed (${seed.error?.message ?? `exit ${seed.status}`})`);
const seedInfo = largeCityPresent(benchPath, scaledSize(SCALE));
if (!seedInfo) throw new Error(`${benchPath} does not hold the large city after seeding`);
const seededNow = Date.parse(seedInfo.seededAt) >= started - 1_000;

const { buildIfNeeded } = await import("../build-if-needed");
try {
  buildIfNeeded();
} catch (error) {
  if (!existsSync(join(ROOT, "build/server/index.js"))) throw error;
  console.warn(`bench: the build failed (${(error as Error).message.split("\n")[0]}); measuring the existing build/`);
}

const { createApp } = await import("../../server/app");
const { readConfig } = await import("../../server/config");
const { openDatabase } = await import("../../db/client");
const { closeAppDatabase, openAppDatabase } = await import("../../db/engine");
const { sqliteWriterOf } = await import("../../db/sqlite-writer");
const { COMMENTS_PAGE_SIZE } = await import("../../app/discussion/discussion.server");
const build = (await import(pathToFileURL(join(ROOT, "build/server/index.js")).href)) as ServerBuild;
const clientDir = join(ROOT, "build/client");
const assets = [
  express.Router().use("/assets", express.static(join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false })),
  express.static(clientDir, { maxAge: "1h", index: false }),
];

// ------------------------------------------------------------------------------ servers

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

interface RunningApp {
  origin: string;
  counter: { statements: number; prepared: number; sql: string[]; recording: boolean };
  problems: string[];
  close: () => Promise<void>;
}

/** The real app on a loopback port, over `databaseFile`, counting the statements it runs. */
async function startApp(databaseFile: string): Promise<RunningApp> {
  const counter = { statements: 0, prepared: 0, sql: [] as string[], recording: false };
  // As the server opens it (db/engine: a writer behind a read connection), migrated; the logger is on every connection.
  const db = await openAppDatabase(databaseFile, {
    migrate: true,
    logger: {
      logQuery(query) {
        counter.statements++;
        if (counter.recording) counter.sql.push(query);
      },
    },
  });
  // Cross-check: statements prepared on the read and the writer connection, which would show SQL
  // that bypasses Drizzle. (Snapshot connections, opened for reports and data downloads, are not
  // among the pages measured.)
  const read = db as unknown as Db;
  for (const connection of [read.$client, sqliteWriterOf(read).$client]) {
    const prepare = connection.prepare.bind(connection);
    connection.prepare = ((source: string) => {
      counter.prepared++;
      return prepare(source);
    }) as typeof connection.prepare;
  }
  const server = createServer();
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SITE_URL: origin,
    DATABASE_URL: databaseFile,
    HOST: "127.0.0.1",
    PORT: String(port),
  };
  delete env.REMBUG_DEMO;
  const config = readConfig(env);
  const problems: string[] = [];
  const app = createApp({
    config,
    db,
    build,
    assets,
    // Request lines would flood the terminal; keep only server errors.
    log: (line) => {
      if (line.startsWith("error") || / 5\d\d /.test(line)) problems.push(line);
    },
  });
  server.on("request", app);
  return {
    origin,
    counter,
    problems,
    close: async () => {
      await closeServer(server);
      await closeAppDatabase(db);
    },
  };
}

interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** One GET without Accept-Encoding (so the body is not compressed), as the load generator sends. */
function fetchOnce(url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest(url, { method: "GET", headers: {}, agent: false, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

/** A bare node:http server answering each known path with the bytes and headers the app sent. */
async function startBareServer(responses: Map<string, Fetched>) {
  const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "date"]);
  const prepared = new Map<string, { status: number; headers: Record<string, string | string[]>; body: Buffer }>();
  for (const [path, r] of responses) {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
    headers["content-length"] = String(r.body.length);
    prepared.set(path, { status: r.status, headers, body: r.body });
  }
  const server = createServer((req, res) => {
    const hit = prepared.get(req.url ?? "");
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(hit.status, hit.headers);
    res.end(hit.body);
  });
  server.keepAliveTimeout = 10_000;
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** Runs the load generator in a child process; never longer than the run plus a margin. */
function runLoad(url: string): Promise<LoadResult> {
  const options: LoadOptions = { url, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/bench/load-generator.ts"), JSON.stringify(options)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const limit = setTimeout(() => child.kill("SIGKILL"), (SECONDS + WARMUP_SECONDS + 60) * 1000);
    child.on("close", (code) => {
      clearTimeout(limit);
      if (code !== 0) return reject(new Error(`load generator exited with ${code} for ${url}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()!) as LoadResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Statements for one load of `path`, after one warm-up load (so caches and lazy setup do not count). */
async function countStatements(app: RunningApp, path: string) {
  const warm = await fetchOnce(app.origin + path);
  app.counter.statements = 0;
  app.counter.prepared = 0;
  app.counter.sql = [];
  app.counter.recording = true;
  const measured = await fetchOnce(app.origin + path);
  app.counter.recording = false;
  return {
    status: measured.status,
    warmStatus: warm.status,
    statements: app.counter.statements,
    prepared: app.counter.prepared,
    sql: app.counter.sql,
    response: measured,
  };
}

// ------------------------------------------------------------------------------ the pages

const large = await startApp(benchPath);
const bigThread = seedInfo.bigThreadId;
const lastPage = Math.ceil(seedInfo.size.bigThreadComments / COMMENTS_PAGE_SIZE);

// The small city: the demo seed in a temporary file, its busiest thread standing in for the big one.
const smallPath = join(os.tmpdir(), `rembug-bench-small-${process.pid}.db`);
const removeSmall = () => {
  for (const f of [smallPath, `${smallPath}-wal`, `${smallPath}-shm`]) rmSync(f, { force: true });
};
removeSmall();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    removeSmall();
    process.exit(130);
  });
}
{
  const { seedDemo } = await import("../../db/seed");
  const db = await openAppDatabase(smallPath, { migrate: true });
  await seedDemo(db);
  await closeAppDatabase(db);
}
const smallFacts = (() => {
  const db = openDatabase(smallPath, { readonly: true });
  try {
    const row = db.$client
      .prepare(
        `select p.slug as slug, t.id as id,
                (select count(*) from comments c where c.thread_id = t.id and c.visibility in ('published', 'deleted')) as listed
         from threads t join projects p on p.id = t.project_id
         where t.visibility = 'published' and t.proposal_id is null and p.phase <> 'draft'
         order by t.comment_count desc, t.id limit 1`,
      )
      .get() as { slug: string; id: number; listed: number };
    const projectComments = (db.$client.prepare("select comment_count as n from projects where slug = ?").get(row.slug) as { n: number }).n;
    return { ...row, projectComments };
  } finally {
    db.$client.close();
  }
})();
const small = await startApp(smallPath);
const smallLast = Math.max(1, Math.ceil(smallFacts.listed / COMMENTS_PAGE_SIZE));

interface Page {
  label: string;
  large: string;
  small: string;
}
const pages: Page[] = [
  { label: "project page", large: `/projects/${BIG_PROJECT_SLUG}`, small: `/projects/${smallFacts.slug}` },
  { label: "thread, page 1", large: `/projects/${BIG_PROJECT_SLUG}/threads/${bigThread}`, small: `/projects/${smallFacts.slug}/threads/${smallFacts.id}` },
  {
    label: `thread, last page`,
    large: `/projects/${BIG_PROJECT_SLUG}/threads/${bigThread}?page=${lastPage}`,
    small: `/projects/${smallFacts.slug}/threads/${smallFacts.id}?page=${smallLast}`,
  },
  { label: "/projects", large: "/projects", small: "/projects" },
  { label: "/api/v1/projects", large: "/api/v1/projects", small: "/api/v1/projects" },
  // The worst case of search: one word found in a large share of a million comments.
  { label: "search, common word", large: "/search?q=jalan", small: "/search?q=jalan" },
];

interface PageResult {
  page: Page;
  status: number;
  bytes: number;
  contentType: string;
  app?: LoadResult;
  bare?: LoadResult;
  sqlLarge?: number;
  sqlSmall?: number;
  preparedLarge?: number;
  smallStatus?: number;
  verdict?: "OK" | "GROWS";
  /** Statements that ran on the large city and not (or fewer times, at most once) on the small one. */
  onceMore: string[];
  sqlText: string[];
}

/** The statement without its data: whitespace collapsed, IN lists of placeholders folded to one. */
const normalize = (sql: string) =>
  sql
    .replace(/\s+/g, " ")
    .replace(/\(\?(, \?)*\)/g, "(?)")
    .trim();

function tally(statements: string[]) {
  const counts = new Map<string, number>();
  for (const s of statements) counts.set(normalize(s), (counts.get(normalize(s)) ?? 0) + 1);
  return counts;
}

/**
 * GROWS when some statement runs more often on the large city than on the small one (more than
 * once): the signature of a query per row. A statement that runs once on the large city and not
 * on the small one follows the data or the page, not the size (the revision count runs only when
 * an edited comment is on the page; Drizzle leaves out OFFSET on a first page); it is listed, not failed.
 */
function compareStatements(largeSql: string[], smallSql: string[]) {
  const large = tally(largeSql);
  const small = tally(smallSql);
  let grows = false;
  const onceMore: string[] = [];
  for (const [sql, n] of large) {
    const m = small.get(sql) ?? 0;
    if (n <= m) continue;
    if (n > 1) grows = true;
    else onceMore.push(sql);
  }
  return { verdict: grows ? ("GROWS" as const) : ("OK" as const), onceMore };
}

const results: PageResult[] = [];
const responses = new Map<string, Fetched>();
for (const page of pages) {
  const counted = await countStatements(large, page.large);
  const smallCounted = await countStatements(small, page.small);
  const r: PageResult = {
    page,
    status: counted.status,
    bytes: counted.response.body.length,
    contentType: String(counted.response.headers["content-type"] ?? "").split(";")[0]!,
    smallStatus: smallCounted.status,
    onceMore: [],
    sqlText: counted.sql,
  };
  if (counted.status === 200) {
    r.sqlLarge = counted.statements;
    r.preparedLarge = counted.prepared;
    responses.set(page.large, counted.response);
  }
  if (smallCounted.status === 200) r.sqlSmall = smallCounted.statements;
  if (r.sqlLarge !== undefined && r.sqlSmall !== undefined) Object.assign(r, compareStatements(counted.sql, smallCounted.sql));
  results.push(r);
  console.log(
    `${page.label.padEnd(18)} ${page.large}: HTTP ${counted.status}, ${counted.response.body.length} bytes, ` +
      `${counted.status === 200 ? `${counted.statements} SQL statements (small city: ${smallCounted.status === 200 ? smallCounted.statements : `HTTP ${smallCounted.status}`})` : "not measured"}`,
  );
  if (SHOW_SQL) for (const s of counted.sql) console.log(`    ${s.replace(/\s+/g, " ").slice(0, 160)}`);
}
await small.close();
removeSmall();

/**
 * Other work on the machine (builds, browsers, tests) skews every figure: wait, a bounded time,
 * for the one-minute load average to fall below half the CPUs, and record what it was.
 */
async function waitForQuietMachine(maxSeconds: number) {
  const cpus = os.availableParallelism();
  const deadline = Date.now() + maxSeconds * 1000;
  while (os.loadavg()[0]! > cpus / 2 && Date.now() < deadline) {
    process.stdout.write(`\rwaiting for a quiet machine: load average ${os.loadavg()[0]!.toFixed(2)} on ${cpus} CPUs …\x1b[K`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
  const load = os.loadavg()[0]!;
  process.stdout.write(
    `\rload average before measuring: ${load.toFixed(2)} on ${cpus} CPUs${load > cpus / 2 ? " (busy: figures are pessimistic)" : ""}\x1b[K\n`,
  );
  return load;
}
const loadBefore = await waitForQuietMachine(QUIET_WAIT_SECONDS);

/**
 * The app logs through console while it is under load (a render cut short when autocannon closes
 * its sockets at the end of a run, or a request that timed out); those lines are counted and the
 * first kept, instead of flooding the table.
 */
const appConsole = { lines: 0, first: [] as string[] };
const realConsole = { log: console.log, error: console.error, warn: console.warn };
function captureConsole(on: boolean) {
  if (!on) return Object.assign(console, realConsole);
  const capture = (...args: unknown[]) => {
    appConsole.lines++;
    if (appConsole.first.length < 3) appConsole.first.push(args.map(String).join(" ").slice(0, 160));
  };
  Object.assign(console, { log: capture, error: capture, warn: capture });
}

const bare = await startBareServer(responses);
for (const r of results) {
  if (r.status !== 200) continue;
  process.stdout.write(`load: ${r.page.label} (app) … `);
  captureConsole(true);
  try {
    r.app = await runLoad(large.origin + r.page.large);
  } finally {
    captureConsole(false);
  }
  process.stdout.write(`${Math.round(r.app.requestsPerSecond)} req/s; (bare) … `);
  r.bare = await runLoad(bare.origin + r.page.large);
  console.log(`${Math.round(r.bare.requestsPerSecond)} req/s`);
}
if (appConsole.lines) console.log(`The app logged ${appConsole.lines} line(s) under load, first: ${appConsole.first.join(" | ")}`);
await bare.close();
await large.close();
const loadAfter = os.loadavg()[0]!;

// ------------------------------------------------------------------------------ report

const ms = (n: number | undefined) => (n === undefined ? "–" : n < 1 ? "<1" : String(Math.round(n)));
const rps = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const int = (n: number) => n.toLocaleString("en-US");

function table(head: string[], rows: string[][]): { text: string; markdown: string } {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const text = [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
  const md = [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );
  return { text, markdown: md };
}

const loadTable = table(
  ["page", "HTTP", "bytes", "app req/s", "app p50 ms", "app p99 ms", "bare req/s", "bare p50 ms", "bare p99 ms", "app / bare"],
  results.map((r) => [
    `${r.page.label} \`${r.page.large}\``,
    String(r.status),
    int(r.bytes),
    rps(r.app?.requestsPerSecond),
    ms(r.app?.p50),
    ms(r.app?.p99),
    rps(r.bare?.requestsPerSecond),
    ms(r.bare?.p50),
    ms(r.bare?.p99),
    r.app && r.bare ? `${((100 * r.app.requestsPerSecond) / r.bare.requestsPerSecond).toFixed(1)} %` : "–",
  ]),
);
const sqlTable = table(
  ["page", "SQL, large city", "SQL, small city", "verdict"],
  results.map((r) => [
    `${r.page.label}`,
    r.sqlLarge === undefined ? `– (HTTP ${r.status})` : String(r.sqlLarge),
    r.sqlSmall === undefined ? `– (HTTP ${r.smallStatus})` : String(r.sqlSmall),
    r.verdict ? `${r.verdict}${r.onceMore.length ? ` (+${r.onceMore.length} once, see below)` : ""}` : "not measured",
  ]),
);

const loadProblems = results.filter((r) => r.app && (r.app.non2xx || r.app.errors || r.app.timeouts));
const bypassing = results.filter((r) => r.preparedLarge !== undefined && r.sqlLarge !== undefined && r.preparedLarge > r.sqlLarge);
const missing = results.filter((r) => r.status !== 200);
const counts = seedInfo.counts;
const dbBytes = statSync(benchPath).size;
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const sqliteVersion = (() => {
  const db = openDatabase(benchPath, { readonly: true });
  try {
    return (db.$client.prepare("select sqlite_version() as v").get() as { v: string }).v;
  } finally {
    db.$client.close();
  }
})();
const date = new Date().toISOString();
const stored = (() => {
  const db = openDatabase(benchPath, { readonly: true });
  try {
    const project = db.$client.prepare("select comment_count as n from projects where slug = ?").get(BIG_PROJECT_SLUG) as { n: number };
    const thread = db.$client.prepare("select comment_count as n from threads where id = ?").get(bigThread) as { n: number };
    return { project: project.n, thread: thread.n };
  } finally {
    db.$client.close();
  }
})();

console.log(`\nParticipation benchmark — ${CONNECTIONS} connections, ${SECONDS} s per run (after ${WARMUP_SECONDS} s warm-up)\n`);
console.log(loadTable.text.replace(/`/g, ""));
console.log(`\nSQL statements per page load (Drizzle logger), large city vs small city\n`);
console.log(sqlTable.text);
for (const r of results) {
  if (!r.verdict) continue;
  console.log(`${r.verdict}: ${r.page.label} — ${r.sqlLarge} statements on the large city, ${r.sqlSmall} on the small one`);
  for (const sql of r.onceMore) console.log(`    once on the large city only (the data or the page number, not the size): ${sql.slice(0, 140)}`);
}
for (const r of missing) console.log(`NOT MEASURED: ${r.page.label} ${r.page.large} answered HTTP ${r.status}`);
for (const r of loadProblems) console.log(`LOAD ERRORS: ${r.page.label}: ${r.app!.non2xx} non-2xx, ${r.app!.errors} errors, ${r.app!.timeouts} timeouts`);
for (const r of bypassing)
  console.log(`NOTE: ${r.page.label} prepared ${r.preparedLarge} statements but Drizzle logged ${r.sqlLarge}: some SQL bypasses Drizzle`);
if (large.problems.length) console.log(`Server errors during the run (${large.problems.length}), first: ${large.problems[0]}`);

const rowList = Object.entries(counts)
  .map(([t, n]) => `${t} ${int(n)}`)
  .join(", ");
const markdown = `
## Participation benchmark

Written by \`npm run bench\` (\`scripts/bench/run.ts\`) on ${date}; the text between the markers is rewritten on every run.

**Machine**: ${os.availableParallelism()} CPUs (\`nproc\`; ${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, SQLite ${sqliteVersion} (better-sqlite3).

**Database**: the large synthetic city (\`scripts/bench/seed-large.ts\`), ${(dbBytes / 2 ** 30).toFixed(2)} GiB, seeded ${seededNow ? "by this run" : `on ${seedInfo.seededAt}`} in **${seedInfo.seconds} s** (${seedInfo.steps.map((s) => `${s.step} ${s.seconds} s`).join(", ")}).
Rows: ${rowList}. Project \`${BIG_PROJECT_SLUG}\` holds ${int(seedInfo.size.bigProjectComments)} comments (${int(stored.project)} published, the rest deleted, hidden or held); its thread ${bigThread} lists ${int(seedInfo.size.bigThreadComments)} (${int(stored.thread)} published, the rest deleted by their authors), ${lastPage} pages of ${COMMENTS_PAGE_SIZE}, replies nested to depth 2.

**Method**: the real app (\`createApp\`, production build, \`NODE_ENV=production\`) in one process on 127.0.0.1; autocannon in a child process, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up, anonymous GETs without \`Accept-Encoding\` (so uncompressed). "bare" is a \`node:http\` server in the same process answering the same path with the same bytes and headers (\`Content-Length\` instead of chunking), the ceiling of this machine and load generator; "app / bare" is the share of it the app reaches. Latencies are whole milliseconds (autocannon's histogram). The load generator and the server share the ${os.availableParallelism()} CPUs; the one-minute load average was ${loadBefore.toFixed(2)} before the runs and ${loadAfter.toFixed(2)} after them${loadBefore > os.availableParallelism() / 2 ? " (other work was running: the figures are pessimistic)" : ""}.

${loadTable.markdown}

**SQL statements per page load**, counted by Drizzle's logger for one anonymous load (after one warm-up load), on the large city and on a small one (the demo seed; its busiest thread ${smallFacts.id} in \`${smallFacts.slug}\` has ${smallFacts.listed} listed comments, the project ${int(smallFacts.projectComments)}). "GROWS" would mean a statement runs more often on the large city than on the small one, the mark of a query per row; "OK" means none does. A statement that runs once on the large city only follows the data or the page (the revision count runs only when an edited comment is on the page; a first page has no OFFSET), not the size, and is named below the table.

${sqlTable.markdown}
${results
  .filter((r) => r.onceMore.length)
  .map((r) => `\n- ${r.page.label}, once on the large city only: ${r.onceMore.map((q) => `\`${q.length > 120 ? `${q.slice(0, 120)}…` : q}\``).join(", ")}`)
  .join("")}
${missing.length ? `\nNot measured: ${missing.map((r) => `${r.page.label} (\`${r.page.large}\` answered HTTP ${r.status})`).join("; ")}.\n` : ""}${loadProblems.length ? `\nLoad errors: ${loadProblems.map((r) => `${r.page.label}: ${r.app!.non2xx} non-2xx, ${r.app!.errors} errors`).join("; ")}.\n` : ""}${appConsole.lines ? `\nThe app logged ${appConsole.lines} line(s) while under load (e.g. \`${appConsole.first[0]}\`): renders cut short when autocannon closes its connections at the end of a run, or requests that timed out.\n` : ""}${bypassing.length ? `\nSQL outside Drizzle: ${bypassing.map((r) => `${r.page.label} prepared ${r.preparedLarge}, logged ${r.sqlLarge}`).join("; ")}.\n` : ""}
Run it again with \`npm run bench\` (\`-- --duration=10 --connections=20 --fresh --show-sql\`); the city is seeded once into \`data/bench.db\` (or \`BENCH_DB\`) and reused.
`;
writeBenchmarkSection(DOC, "participation-benchmark", markdown);
console.log(`\nWrote the participation section of ${relative(ROOT, DOC)} (${((Date.now() - started) / 1000).toFixed(0)} s in all).`);

// Timeouts on a busy machine are reported above; wrong answers and growing SQL fail the run.
const failed = results.some((r) => r.verdict === "GROWS") || results.some((r) => r.app?.non2xx);
process.exit(failed ? 1 : 0);
