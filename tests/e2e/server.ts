/**
 * The server Playwright starts: the production build on a fresh, seeded database file per run.
 * Run as `node --import tsx tests/e2e/server.ts` (Playwright's webServer does that).
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeAppDatabase, openAppDatabase } from "../../db/engine";
import { seedDemo } from "../../db/seed";
import { setSetting } from "../../app/settings.server";
import { startTestSmtp } from "../support/smtp";
import { e2eDir, e2eLogFile, e2eMailDir } from "./paths";

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
const db = await openAppDatabase(databaseFile, { migrate: true });
await seedDemo(db);
// A whole run registers many accounts from 127.0.0.1; the per-address limit is not what is tested.
await setSetting(db, "rateSignUpPerAddress", { limit: 1000, windowSeconds: 3600 });
// Likewise the demo accounts sign in dozens of times within fifteen minutes, from both projects at once.
await setSetting(db, "rateSignInPerAccount", { limit: 1000, windowSeconds: 900 });
await setSetting(db, "rateSignInPerAddress", { limit: 5000, windowSeconds: 900 });
await closeAppDatabase(db);

// Everything the server prints also goes to a file, which a spec scans for personal data.
const logFile = e2eLogFile(port);
mkdirSync(dirname(logFile), { recursive: true });
writeFileSync(logFile, "");
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    appendFileSync(logFile, chunk);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

// A real SMTP server beside the app; each message it receives is written as JSON for the specs.
const mailDir = e2eMailDir(port);
rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });
let received = 0;
const smtp = await startTestSmtp({
  onMessage(mail) {
    const n = String(++received).padStart(5, "0");
    mkdirSync(mailDir, { recursive: true });
    writeFileSync(resolve(mailDir, `${n}.tmp`), JSON.stringify(mail, null, 2));
    // Renamed into place, so a spec never reads half a file.
    renameSync(resolve(mailDir, `${n}.tmp`), resolve(mailDir, `${n}.json`));
  },
});
process.on("exit", () => void smtp.close());

Object.assign(process.env, {
  NODE_ENV: "production",
  REMBUG_DEMO: "1",
  PORT: port,
  HOST: "127.0.0.1",
  DATABASE_URL: databaseFile,
  SMTP_URL: smtp.url,
  MAIL_FROM: "Rembug Uji <no-reply@rembug.test>",
});
delete process.env.SITE_URL;

await import("../../server/index");
