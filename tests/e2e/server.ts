/**
 * The server Playwright starts: the production build on a fresh, seeded database file per run.
 * Run as `node --import tsx tests/e2e/server.ts` (Playwright's webServer does that).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { setSetting } from "../../app/settings.server";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const serverBuild = resolve(root, process.env.REMBUG_BUILD_DIR ?? "build", "server/index.js");
if (!existsSync(serverBuild)) {
  console.error(
    `No production build at ${serverBuild}.\n` +
      "The browser tests run against the built app: run `npm run build` first " +
      "(`npm test` and `npm run test:e2e` build before Playwright).",
  );
  process.exit(1);
}

const tmp = resolve(root, "tests/.tmp");
mkdirSync(tmp, { recursive: true });
for (const name of readdirSync(tmp)) {
  if (/^e2e-.*\.db(-wal|-shm|-journal)?$/.test(name)) rmSync(resolve(tmp, name), { force: true });
}
const databaseFile = resolve(tmp, `e2e-${Date.now()}.db`);

const db = openDatabase(databaseFile);
migrateDatabase(db);
await seedDemo(db);
// A whole run registers many accounts from 127.0.0.1; the per-address limit is not what is tested.
setSetting(db, "rateSignUpPerAddress", { limit: 1000, windowSeconds: 3600 });
db.$client.close();

const port = process.env.E2E_PORT || "3210";
Object.assign(process.env, {
  NODE_ENV: "production",
  REMBUG_DEMO: "1",
  PORT: port,
  HOST: "127.0.0.1",
  DATABASE_URL: databaseFile,
});
delete process.env.SITE_URL;

await import("../../server/index");
