import { spawnSync } from "node:child_process";
import { ensureBrowser } from "./find-chromium";

/** `npm test`: typecheck, lint (ESLint, Prettier, the folder plan), the domain tests (Vitest), the build, the security suites against it, then the browser journeys (Playwright). */
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

const node = process.execPath;
let browser: string | undefined;
try {
  browser = ensureBrowser();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
step("typecheck", node, ["node_modules/typescript/bin/tsc", "--noEmit"]);
step("lint: ESLint, Prettier, the folder plan (dependency-cruiser)", node, ["--import", "tsx", "scripts/lint.ts"]);
step("unit and domain tests (Vitest)", node, ["node_modules/vitest/vitest.mjs", "run"]);
step("build", node, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"]);
step("security suites against the build: route × role × action matrix, CSRF, fuzz (Vitest)", node, [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--config",
  "vitest.security.config.ts",
]);
step("browser tests (Playwright)", node, ["node_modules/@playwright/test/cli.js", "test"], {
  ...process.env,
  ...(browser ? { CHROMIUM_PATH: browser } : {}),
});
console.log(`\n${took.join("\n")}\n✓ all tests passed in ${seconds(started)}`);
