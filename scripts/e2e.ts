import { spawnSync } from "node:child_process";
import { ensureBrowser } from "./find-chromium";
import { buildIfNeeded } from "./build-if-needed";

// `npm run test:e2e`: only the browser journeys, building first when needed.
buildIfNeeded();
const browser = ensureBrowser();
const result = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, ...(browser ? { CHROMIUM_PATH: browser } : {}) },
});
process.exit(result.status ?? 1);
