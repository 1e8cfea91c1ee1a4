/**
 * Bytes over the wire for a first visit and a repeat visit (same browser context, cache kept) of
 * the home page and a project page of the demo city, in Debian's Chromium through playwright-core.
 *
 * Builds the app into `build-bytes`, starts the production server on 127.0.0.1:3790 with the demo
 * city in a fresh database under the system's temporary folder, measures with the DevTools
 * protocol (Network.loadingFinished's encodedDataLength: compressed body plus headers), prints a
 * table and rewrites the `bytes-benchmark` section of docs/BENCHMARKS.md.
 *
 *   npm run bench:bytes
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { writeBenchmarkSection } from "./benchmarks-doc";

const ROOT = resolve(import.meta.dirname, "../..");
const BUILD_DIR = "build-bytes";
const PORT = 3790;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const BUDGET_FIRST = 150 * 1024;
const BUDGET_REPEAT = 30 * 1024;
const PAGES = [
  { name: "home page", path: "/" },
  { name: "project page", path: "/projects/normalisasi-saluran-drainase-jalan-cibeureum" },
];

function build() {
  console.log(`Building into ${BUILD_DIR}…`);
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, REMBUG_BUILD_DIR: BUILD_DIR } });
  if (result.status !== 0) throw new Error("the build failed");
}

async function startServer(dataDir: string): Promise<ChildProcess> {
  const child = spawn("node", ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      REMBUG_BUILD_DIR: BUILD_DIR,
      NODE_ENV: "production",
      REMBUG_DEMO: "1",
      DATABASE_URL: join(dataDir, "rembug.db"),
      PORT: String(PORT),
      HOST: "127.0.0.1",
      SMTP_URL: "",
    },
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    try {
      const response = await fetch(`${ORIGIN}/healthz`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer in 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Visit {
  bytes: number;
  requests: number;
  fromCache: number;
  /** Bytes per URL, largest first: what to trim when a budget is over. */
  parts: Array<{ url: string; bytes: number }>;
}

/** Loads `path` in a new tab of `context` and adds up the bytes of every request the tab made. */
async function visit(context: BrowserContext, path: string): Promise<Visit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let bytes = 0;
  let requests = 0;
  let fromCache = 0;
  const cached = new Set<string>();
  const urls = new Map<string, string>();
  const parts: Visit["parts"] = [];
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.requestServedFromCache", (e) => cached.add(e.requestId));
  cdp.on("Network.responseReceived", (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
  });
  cdp.on("Network.loadingFinished", (e) => {
    requests++;
    if (cached.has(e.requestId)) fromCache++;
    bytes += e.encodedDataLength;
    parts.push({ url: (urls.get(e.requestId) ?? "?").replace(ORIGIN, ""), bytes: e.encodedDataLength });
  });
  await page.goto(ORIGIN + path, { waitUntil: "networkidle" });
  // Let late module preloads and their loadingFinished events arrive.
  await page.waitForTimeout(500);
  await cdp.detach();
  await page.close();
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes, requests, fromCache, parts };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const verdict = (n: number, budget: number) => (n <= budget ? "OK" : "OVER");

async function main() {
  const skipBuild = process.argv.includes("--no-build");
  if (!skipBuild) build();
  const dataDir = mkdtempSync(join(tmpdir(), "rembug-bytes-"));
  const server = await startServer(dataDir);
  const rows: string[] = [];
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"] });
    try {
      // Every current browser accepts brotli; an older one that accepts only gzip is measured too.
      const encodings: { label: string; headers: Record<string, string> }[] = [
        { label: "", headers: {} },
        { label: " (gzip only)", headers: { "Accept-Encoding": "gzip, deflate" } },
      ];
      for (const { label, headers } of encodings) {
        for (const { name, path } of PAGES) {
          // A new context per page: the first visit starts with an empty cache.
          const context = await browser.newContext({ extraHTTPHeaders: headers });
          const first = await visit(context, path);
          const repeat = await visit(context, path);
          await context.close();
          if (process.argv.includes("--detail")) {
            console.log(`\n${path}${label}, first visit:`);
            for (const part of first.parts) console.log(`  ${String(part.bytes).padStart(7)}  ${part.url}`);
          }
          rows.push(
            `| ${name}${label} \`${path}\` | ${first.requests} | ${first.bytes.toLocaleString("en")} (${kb(first.bytes)}) | ${verdict(first.bytes, BUDGET_FIRST)} | ${repeat.requests} (${repeat.fromCache} from cache) | ${repeat.bytes.toLocaleString("en")} (${kb(repeat.bytes)}) | ${verdict(repeat.bytes, BUDGET_REPEAT)} |`,
          );
        }
      }
    } finally {
      await browser.close();
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const table = [
    "| page | first: requests | first: bytes | ≤ 150 KB | repeat: requests | repeat: bytes | ≤ 30 KB |",
    "| --- | ---: | ---: | :---: | ---: | ---: | :---: |",
    ...rows,
  ].join("\n");
  console.log(table);
  const markdown = `## Bytes per visit (low bandwidth)

Written by \`npm run bench:bytes\` (\`scripts/bench/bytes.ts\`) on ${new Date().toISOString()}; the text between the markers is rewritten on every run.

**Method**: the production build (\`${BUILD_DIR}\`) served by \`server/index.ts\` with \`NODE_ENV=production\` and the demo city in a fresh database, on 127.0.0.1; Chromium (${CHROMIUM}) through playwright-core, JavaScript on. Bytes are the sum of the DevTools protocol's \`Network.loadingFinished\` \`encodedDataLength\` over every request of the tab: compressed bodies plus response headers, as they crossed the wire. "First" is a visit with an empty cache; "repeat" opens the same page again in the same browser context, cache kept (hashed assets are cached for a year, so only the document and what is not cached travel). Budgets from issue 6: ≤ 150 KB compressed for a first visit, ≤ 30 KB for a repeat visit.

**What keeps it small**: hashed scripts and styles, and each language's strings, are compressed once when the server starts (brotli at quality 11, gzip at level 9; \`server/precompressed-assets.ts\`, \`app/http/encoded-body.server.ts\`) rather than on every request at a faster, larger setting; a resident's browser is sent only the strings of pages a resident can open, not the staff area's or the e-mails' (\`app/i18n/audience.ts\`). What is left is mostly React and Remix themselves (the largest script). The rows marked "gzip only" are what a browser receives that does not accept brotli — every current browser accepts it over HTTPS, which a deployment needs for its secure cookies; Firefox over plain HTTP does not.

${table}
`;
  writeBenchmarkSection(resolve(ROOT, "docs/BENCHMARKS.md"), "bytes-benchmark", markdown);
  console.log("docs/BENCHMARKS.md: bytes-benchmark section written.");
}

await main();
