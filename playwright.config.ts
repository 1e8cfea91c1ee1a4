import { defineConfig, devices } from "@playwright/test";
import { existsSync } from "node:fs";

const port = Number(process.env.E2E_PORT || 3210);
const baseURL = `http://127.0.0.1:${port}`;

/** CHROMIUM_PATH, else Debian's Chromium, else Playwright's own browser. */
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

// Flags that keep Chromium quiet and working as root inside a container.
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "tests/e2e",
  // Only the PostgreSQL smoke run has two servers to tell apart (playwright.pg.config.ts).
  testIgnore: ["**/two-servers.spec.ts"],
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // A 2-core machine: one worker per project at most.
  workers: 2,
  // Generous: axe and a cold render can take seconds on a loaded 2-core machine; assertions still poll with their own deadlines.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  // "list" ends with the summary line ("N passed (12.3s)").
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    // Direct `request` calls carry our Origin, so a 403 means a rule refused, not the CSRF check.
    extraHTTPHeaders: { Origin: baseURL },
    trace: "retain-on-failure",
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "js", use: { ...devices["Desktop Chrome"], javaScriptEnabled: true } },
    { name: "nojs", use: { ...devices["Desktop Chrome"], javaScriptEnabled: false } },
  ],
  webServer: {
    // node directly, not npx: npx's wrapper can leave the server running after the tests.
    command: "node --import tsx tests/e2e/server.ts",
    url: `${baseURL}/healthz`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 120_000,
    // The server closes its HTTP listener and the database on SIGTERM.
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    stdout: "ignore",
    stderr: "pipe",
  },
});
