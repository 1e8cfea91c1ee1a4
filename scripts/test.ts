import { spawn, spawnSync } from "node:child_process";
import { ensureBrowser } from "./find-chromium";

/** `npm test`: typecheck, lint (ESLint, Prettier, the folder plan), the domain tests (Vitest, on SQLite and PostgreSQL), the build, the security suites against it, the browser journeys (Playwright), then their smoke set on PostgreSQL with two app servers. */
const started = Date.now();
const took: string[] = [];
const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

/** Runs one stage and prints how long it took (the CI budget is per stage). */
function step(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  console.log(`\n▶ ${name}`);
  const stageStarted = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  took.push(`⏱ ${name}: ${seconds(stageStarted)}`);
  console.log(took[took.length - 1]);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Runs independent checks side by side (two cores: the typecheck and the linter each keep one
 * busy), each with its own output printed whole when it ends and its own time.
 */
async function sideBySide(stages: [name: string, args: string[]][]) {
  const results = await Promise.all(
    stages.map(
      ([name, args]) =>
        new Promise<{ name: string; status: number; output: string; took: string }>((resolve) => {
          const stageStarted = Date.now();
          const child = spawn(node, args, { stdio: ["ignore", "pipe", "pipe"] });
          let output = "";
          child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
          child.on("close", (code) => resolve({ name, status: code ?? 1, output, took: seconds(stageStarted) }));
        }),
    ),
  );
  for (const r of results) {
    console.log(`\n▶ ${r.name}\n${r.output.trimEnd()}`);
    took.push(`⏱ ${r.name}: ${r.took} (side by side)`);
    console.log(took[took.length - 1]);
  }
  const failed = results.find((r) => r.status !== 0);
  if (failed) {
    console.error(`\n✗ ${failed.name} failed`);
    process.exit(failed.status);
  }
}

const node = process.execPath;
let browser: string | undefined;
try {
  browser = ensureBrowser();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
await sideBySide([
  ["typecheck", ["node_modules/typescript/bin/tsc", "--noEmit"]],
  ["lint: ESLint, Prettier, the folder plan (dependency-cruiser)", ["--import", "tsx", "scripts/lint.ts"]],
]);
step("unit and domain tests (Vitest)", node, ["node_modules/vitest/vitest.mjs", "run"]);
step("build", node, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"]);
step("security suites against the build: route × role × action matrix, CSRF, fuzz (Vitest)", node, [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--config",
  "vitest.security.config.ts",
]);
const browserEnv = { ...process.env, ...(browser ? { CHROMIUM_PATH: browser } : {}) };
step("browser tests (Playwright)", node, ["node_modules/@playwright/test/cli.js", "test"], browserEnv);
step(
  "browser smoke on PostgreSQL, two app servers behind one address (Playwright)",
  node,
  ["node_modules/@playwright/test/cli.js", "test", "--config", "playwright.pg.config.ts"],
  browserEnv,
);
console.log(`\n${took.join("\n")}\n✓ all tests passed in ${seconds(started)}`);
