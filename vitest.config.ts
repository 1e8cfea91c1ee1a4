import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/**
 * The domain files that run a second time on PostgreSQL (REMBUG_TEST_ENGINE=pg: freshDatabase()
 * hands them a fresh database on the run's cluster instead of an SQLite file). They test the
 * domain through its functions only, so the same assertions hold on both engines.
 */
export const PG_DOMAIN_FILES: string[] = [];

const shared = {
  // Run against the build, after it (vitest.security.config.ts).
  exclude: ["tests/security/**", "**/node_modules/**"],
  globalSetup: ["tests/support/global-setup.ts", "tests/pg/global-setup.ts"],
  // After each file: stored counts equal a recount of the rows.
  setupFiles: ["tests/support/stored-counts-check.ts"],
  pool: "forks" as const,
  testTimeout: 20000,
};

export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "~db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  test: {
    ...shared,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["tests/**/*.test.ts"] } },
      ...(PG_DOMAIN_FILES.length ? [{ extends: true as const, test: { name: "pg", include: PG_DOMAIN_FILES, env: { REMBUG_TEST_ENGINE: "pg" } } }] : []),
    ],
  },
});
