/**
 * The server Playwright starts: the production build on a fresh, seeded database file per run.
 * Run as `node --import tsx tests/e2e/server.ts` (Playwright's webServer does that).
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { copyOutputToLog, requireBuild, seedForRun, serverEnv, startMailbox } from "./harness";
import { e2eDir } from "./paths";

requireBuild();
const port = process.env.E2E_PORT || "3210";

// The database sits in this port's own folder outside tests/.tmp, which every Vitest run empties:
// a Vitest run, or a browser run on another port, started meanwhile cannot pull it away.
const tmp = e2eDir(port);
mkdirSync(tmp, { recursive: true });
for (const name of readdirSync(tmp)) {
  if (/^e2e-.*\.db(-wal|-shm|-journal)?$/.test(name)) rmSync(resolve(tmp, name), { force: true });
}
const databaseFile = resolve(tmp, `e2e-${Date.now()}.db`);

// Opened as the server opens its own (server/index.ts), then closed before the server opens it again.
await seedForRun(databaseFile);
copyOutputToLog(port);
const smtpUrl = await startMailbox(port);

// The server runs in this process: its output goes to the log file too.
Object.assign(process.env, serverEnv(port, databaseFile, smtpUrl));
delete process.env.SITE_URL; // Object.assign keeps what serverEnv left out
await import("../../server/index");
