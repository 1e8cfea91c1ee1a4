import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The smoke set on PostgreSQL (the journeys tagged @postgresql: register and confirm, vote,
 * comment, flag and moderate, answer a proposal, report and export) against two app servers behind one round-robin address (tests/e2e/server-pg.ts), with
 * JavaScript. `npx playwright test --config playwright.pg.config.ts`; `npm test` runs it after the
 * SQLite journeys.
 */
const port = Number(process.env.E2E_PG_PORT || 3220);
const baseURL = `http://127.0.0.1:${port}`;
// The specs find the run's mail and log folders by this port (tests/e2e/paths.ts); workers inherit it.
process.env.E2E_PORT = String(port);

export default defineConfig({
  ...base,
  grep: /@postgresql/,
  testIgnore: [],
  outputDir: "test-results-pg",
  use: { ...base.use, baseURL, extraHTTPHeaders: { Origin: baseURL } },
  // One project, named like the SQLite run's, so each journey uses the seeded places it uses there.
  projects: base.projects!.filter((p) => p.name === "js"),
  webServer: {
    ...(base.webServer as object),
    command: "node --import tsx tests/e2e/server-pg.ts",
    url: `${baseURL}/healthz`,
    env: { E2E_PORT: String(port) },
  },
});
