import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The security suites (tests/security): route × role × action matrix, CSRF, fuzz. They run the
 * built server in a child process, so `npm test` runs them after the build, one file at a time
 * (each starts its own server and database, copied from the template the global set-up migrates).
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["tests/security/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
