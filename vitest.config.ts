import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "~db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Run against the build, after it (vitest.security.config.ts).
    exclude: ["tests/security/**", "**/node_modules/**"],
    globalSetup: ["tests/support/global-setup.ts", "tests/pg/global-setup.ts"],
    // After each file: stored counts equal a recount of the rows.
    setupFiles: ["tests/support/stored-counts-check.ts"],
    pool: "forks",
    testTimeout: 20000,
  },
});
