/**
 * The reports benchmark: node --import tsx scripts/bench/reports.ts [--keep] [--write]
 *
 * Against the large synthetic city of the participation benchmark (scripts/bench/seed-large.ts,
 * data/bench.db or BENCH_DB; run `npm run bench` first to seed it), on a copy so the city itself
 * is never changed:
 *
 * 1. downloads the biggest project's comments.csv (~200,000 rows) and the city-wide comments.csv
 *    (~1,000,000 rows) with curl in a child process, timing rows per second and sampling this
 *    (the server's) process's RSS;
 * 2. measures a page's latency while the city-wide export runs, against the same page at rest;
 * 3. computes the themes of the biggest project — they are precomputed for the report;
 * 4. renders that project's report page (median and slowest of 5, after a warm-up);
 * 5. downloads the big project's report.xlsx.
 *
 * The app is the real one (createApp, the production build in REMBUG_BUILD_DIR or build/) in this
 * process on a loopback port. Prints a table; with --write, rewrites its own section of
 * docs/BENCHMARKS.md (between reports-benchmark markers).
 */
import "./production-env";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, rmSync, statSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import os from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabasePath, BIG_PROJECT_SLUG, ROOT } from "./seed-large";
import { writeBenchmarkSection } from "./benchmarks-doc";

const WATCHDOG_MINUTES = 20;
setTimeout(() => {
  console.error(`bench:reports still running after ${WATCHDOG_MINUTES} minutes, giving up`);
  process.exit(2);
}, WATCHDOG_MINUTES * 60_000).unref();

const KEEP = process.argv.includes("--keep");
const WRITE = process.argv.includes("--write");
const BUILD_DIR = join(ROOT, process.env.REMBUG_BUILD_DIR ?? "build");

const source = benchDatabasePath();
if (!existsSync(source)) {
  console.error(`No large city at ${relative(ROOT, source) || source}. Seed it first: npm run bench (or node --import tsx scripts/bench/seed-large.ts).`);
  process.exit(1);
}
if (!existsSync(join(BUILD_DIR, "server/index.js"))) {
  console.error(`No production build in ${relative(ROOT, BUILD_DIR)}: run \`REMBUG_BUILD_DIR=${relative(ROOT, BUILD_DIR)} npx remix vite:build\` first.`);
  process.exit(1);
}

// ------------------------------------------------------------------------------ a working copy

const work = join(os.tmpdir(), `rembug-bench-reports-${process.pid}.db`);
const t0 = performance.now();
const wal = `${source}-wal`;
if (!existsSync(wal) || statSync(wal).size === 0) {
  copyFileSync(source, work);
} else {
  // Pending WAL frames: an online backup gives a consistent copy.
  const src = new Database(source, { readonly: true });
  await src.backup(work);
  src.close();
}
const copySeconds = (performance.now() - t0) / 1000;
const cleanup = () => {
  if (KEEP) return;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${work}${suffix}`, { force: true });
};
process.on("exit", cleanup);

const { createApp } = await import("../../server/app");
const { readConfig } = await import("../../server/config");
const { sql } = await import("drizzle-orm");
const { closeAppDatabase, openAppDatabase, rows, tables, withWriteTx } = await import("../../db/engine");
const { createSession, sessionCookieName } = await import("../../app/accounts/session.server");
const { refreshThemes, loadThemes, themeStatus } = await import("../../app/reports/themes.server");

// The copy, opened as the server opens its database (a writer behind a read connection), migrated.
const db = await openAppDatabase(work, { migrate: true });
const [big] = await rows<{ id: number; slug: string }>(db, sql`select id, slug from projects where slug = ${BIG_PROJECT_SLUG}`);
if (!big) throw new Error(`${source} has no project ${BIG_PROJECT_SLUG}`);
const [small] = (await rows<{ slug: string }>(
  db,
  sql`select slug from projects where phase <> 'draft' and comment_count between 50 and 2000 order by id limit 1`,
)) as [{ slug: string }];

const VISIBLE =
  sql.raw(`from comments c join threads t on t.id = c.thread_id left join proposals tp on tp.id = t.proposal_id join projects p on p.id = c.project_id
  where c.visibility = 'published' and t.visibility = 'published' and (t.proposal_id is null or tp.visibility = 'published') and p.phase <> 'draft'`);
const bigRows = (await rows<{ n: number }>(db, sql`select count(*) as n ${VISIBLE} and c.project_id = ${big.id}`))[0]!.n;
const cityRows = (await rows<{ n: number }>(db, sql`select count(*) as n ${VISIBLE}`))[0]!.n;

const planner = await withWriteTx(db, async (tx) => {
  const { users } = tables(tx);
  const [row] = await tx
    .insert(users)
    .values({ email: `perencana-bench-${Date.now()}@bench.rembug.test`, displayName: "Perencana Bench", role: "planner", emailVerifiedAt: new Date() })
    .returning();
  return row!;
});
const { token } = await createSession(db, planner.id);

// ------------------------------------------------------------------------------ the app

const build = (await import(pathToFileURL(join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
const clientDir = join(BUILD_DIR, "client");
const server: Server = createServer();
const port: number = await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
const origin = `http://127.0.0.1:${port}`;
const config = readConfig({ ...process.env, NODE_ENV: "production", SITE_URL: origin, DATABASE_URL: work, HOST: "127.0.0.1", PORT: String(port) });
const problems: string[] = [];
server.on(
  "request",
  createApp({
    config,
    db,
    build,
    assets: [express.static(clientDir, { index: false })],
    log: (line) => {
      if (line.startsWith("error") || / 5\d\d /.test(line)) problems.push(line);
    },
  }),
);
const cookie = `${sessionCookieName(config)}=${token}`;

function get(path: string): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(`${origin}${path}`, { headers: { cookie }, agent: false, timeout: 120_000 }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A download by curl in a child process (its own CPU time), with this process's RSS sampled meanwhile. */
async function download(path: string, during?: () => Promise<void>) {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const child = spawn("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", `Cookie: ${cookie}`, `${origin}${path}`]);
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const finished = new Promise<void>((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}`)))));
  const extra = during ? during() : Promise.resolve();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await extra;
  const [status, bytes] = out.trim().split(" ").map(Number);
  return { status: status!, bytes: bytes!, seconds, baselineMb: baseline / 2 ** 20, peakMb: peak / 2 ** 20, growthMb: (peak - baseline) / 2 ** 20 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x).toLocaleString("en")}`;
const fmt = (x: number) => Math.round(x).toLocaleString("en");

console.log(
  `Copy of ${relative(ROOT, source) || source} in ${copySeconds.toFixed(1)} s; ${BIG_PROJECT_SLUG}: ${fmt(bigRows)} published comments; city: ${fmt(cityRows)}.`,
);

const reportPath = `/staff/projects/${big.slug}/report`;

// 1. Exports, first, while the process is small.
const bigCsv = await download(`${reportPath}/comments.csv`);
console.log(
  `comments.csv (${BIG_PROJECT_SLUG}): ${bigCsv.status}, ${fmt(bigCsv.bytes)} bytes in ${bigCsv.seconds.toFixed(1)} s, ${fmt(bigRows / bigCsv.seconds)} rows/s, RSS ${fmt(bigCsv.baselineMb)} → ${fmt(bigCsv.peakMb)} MiB`,
);

// 2. A page at rest, then during the city-wide export.
const pagePath = `/projects/${small.slug}`;
await get(pagePath);
const rest: number[] = [];
for (let i = 0; i < 20; i++) rest.push((await get(pagePath)).ms);
const during: number[] = [];
let exporting = true;
const cityCsv = await download("/staff/reports/comments.csv", async () => {
  await new Promise((r) => setTimeout(r, 300));
  while (exporting && during.length < 200) {
    during.push((await get(pagePath)).ms);
    await new Promise((r) => setTimeout(r, 100));
  }
}).finally(() => (exporting = false));
console.log(
  `city comments.csv: ${cityCsv.status}, ${fmt(cityCsv.bytes)} bytes in ${cityCsv.seconds.toFixed(1)} s, ${fmt(cityRows / cityCsv.seconds)} rows/s, RSS ${fmt(cityCsv.baselineMb)} → ${fmt(cityCsv.peakMb)} MiB`,
);
console.log(
  `page ${pagePath}: at rest median ${ms(median(rest))} ms (max ${ms(Math.max(...rest))}); during the export median ${ms(median(during))} ms (max ${ms(Math.max(...during))}, ${during.length} loads)`,
);

// 3. Themes, computed ahead of the report.
const t = performance.now();
const outcome = await refreshThemes(db, big.id, { inlineLimit: Number.POSITIVE_INFINITY });
const themeSeconds = (performance.now() - t) / 1000;
const themes = await loadThemes(db, big.id);
const status = await themeStatus(db, big.id);
console.log(`themes: ${outcome} in ${themeSeconds.toFixed(1)} s over ${fmt(status.corpus)} contributions: ${themes.map((x) => x.label).join(", ")}`);

// 4. The report page.
const warm = await get(reportPath);
if (warm.status !== 200) throw new Error(`report answered ${warm.status}`);
const renders: number[] = [];
for (let i = 0; i < 5; i++) renders.push((await get(reportPath)).ms);
console.log(`report page: median ${ms(median(renders))} ms, slowest ${ms(Math.max(...renders))} ms (${fmt(warm.bytes)} bytes)`);

// 5. The workbook.
const xlsx = await download(`${reportPath}/report.xlsx`);
console.log(
  `report.xlsx (${BIG_PROJECT_SLUG}): ${xlsx.status}, ${fmt(xlsx.bytes)} bytes in ${xlsx.seconds.toFixed(1)} s, ${fmt(bigRows / xlsx.seconds)} comment rows/s, RSS ${fmt(xlsx.baselineMb)} → ${fmt(xlsx.peakMb)} MiB`,
);

if (problems.length) console.log(`server problems:\n  ${problems.slice(0, 10).join("\n  ")}`);

const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const markdown = `## Reports benchmark

Written by \`node --import tsx scripts/bench/reports.ts --write\` on ${new Date().toISOString()}; the text between the markers is rewritten on every run.

**Machine**: ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; the one-minute load average was ${os.loadavg()[0]!.toFixed(2)} at the end (other work may have been running).

**Data**: a copy of the large synthetic city (\`scripts/bench/seed-large.ts\`): \`${BIG_PROJECT_SLUG}\` with ${fmt(bigRows)} published comments, ${fmt(cityRows)} published comments in the city. **Method**: the real app (production build) in this process on 127.0.0.1; downloads by \`curl\` in a child process; RSS of the server's process sampled every 20 ms (growth = peak − RSS just before the download); the page's latency measured sequentially, 20 loads at rest, then one load every 100 ms while the city-wide export runs.

| measure | result | target |
| --- | ---: | --- |
| themes of \`${BIG_PROJECT_SLUG}\` (computed ahead, in the background) | ${themeSeconds.toFixed(1)} s over ${fmt(status.corpus)} contributions | — |
| report page of \`${BIG_PROJECT_SLUG}\`, themes precomputed | median ${ms(median(renders))} ms, slowest ${ms(Math.max(...renders))} ms | < 2 s: ${verdict(Math.max(...renders) < 2000)} |
| \`comments.csv\` of \`${BIG_PROJECT_SLUG}\` | ${fmt(bigRows)} rows, ${(bigCsv.bytes / 2 ** 20).toFixed(0)} MiB in ${bigCsv.seconds.toFixed(1)} s = **${fmt(bigRows / bigCsv.seconds)} rows/s**; RSS growth ${fmt(bigCsv.growthMb)} MiB (peak ${fmt(bigCsv.peakMb)} MiB) | ≥ 50,000 rows/s: ${verdict(bigRows / bigCsv.seconds >= 50_000)}; < 100 MB: ${verdict(bigCsv.growthMb < 100)} |
| city-wide \`comments.csv\` | ${fmt(cityRows)} rows, ${(cityCsv.bytes / 2 ** 20).toFixed(0)} MiB in ${cityCsv.seconds.toFixed(1)} s = **${fmt(cityRows / cityCsv.seconds)} rows/s**; RSS growth ${fmt(cityCsv.growthMb)} MiB (peak ${fmt(cityCsv.peakMb)} MiB) | ≥ 50,000 rows/s: ${verdict(cityRows / cityCsv.seconds >= 50_000)}; < 100 MB: ${verdict(cityCsv.growthMb < 100)} |
| page \`${pagePath}\` at rest | median ${ms(median(rest))} ms, max ${ms(Math.max(...rest))} ms | — |
| the same page during the city-wide export | median ${ms(median(during))} ms, max ${ms(Math.max(...during))} ms (${during.length} loads) | stays responsive |
| \`report.xlsx\` of \`${BIG_PROJECT_SLUG}\` (every sheet + the comments) | ${(xlsx.bytes / 2 ** 20).toFixed(0)} MiB in ${xlsx.seconds.toFixed(1)} s = ${fmt(bigRows / xlsx.seconds)} comment rows/s; RSS growth ${fmt(xlsx.growthMb)} MiB | — |

Themes found: ${themes.map((x) => x.label).join(", ") || "none"}.
`;

console.log(`\n${markdown}`);
if (WRITE) {
  writeBenchmarkSection(join(ROOT, "docs/BENCHMARKS.md"), "reports-benchmark", markdown);
  console.log("docs/BENCHMARKS.md: reports section rewritten.");
}

await new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
});
await closeAppDatabase(db);
process.exit(0);
