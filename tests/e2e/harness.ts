/**
 * What the browser tests' web servers share (tests/e2e/server.ts on SQLite, server-pg.ts on
 * PostgreSQL behind two app servers): the production build's presence, the seeded city with the
 * limits a whole run needs, the server log copied to a file, and a real SMTP server whose messages
 * the specs read.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeAppDatabase, openAppDatabase } from "../../db/engine";
import { seedDemo } from "../../db/seed";
import { setSetting } from "../../app/settings.server";
import { startTestSmtp } from "../support/smtp";
import { e2eLogFile, e2eMailDir } from "./paths";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** Exits with the command to run when there is no production build to serve. */
export function requireBuild(): void {
  const serverBuild = resolve(ROOT, process.env.REMBUG_BUILD_DIR ?? "build", "server/index.js");
  if (existsSync(serverBuild)) return;
  console.error(
    `No production build at ${serverBuild}.\n` +
      "The browser tests run against the built app: run `npm run build` first " +
      "(`npm test` and `npm run test:e2e` build before Playwright).",
  );
  process.exit(1);
}

/** Migrates and seeds the demo city at `url` (a file or postgres://), with the limits a whole run needs, and closes it. */
export async function seedForRun(url: string): Promise<void> {
  const db = await openAppDatabase(url, { migrate: true });
  await seedDemo(db);
  // A whole run registers many accounts from 127.0.0.1; the per-address limit is not what is tested.
  await setSetting(db, "rateSignUpPerAddress", { limit: 1000, windowSeconds: 3600 });
  // Likewise the demo accounts sign in dozens of times within fifteen minutes, from both projects at once.
  await setSetting(db, "rateSignInPerAccount", { limit: 1000, windowSeconds: 900 });
  await setSetting(db, "rateSignInPerAddress", { limit: 5000, windowSeconds: 900 });
  await closeAppDatabase(db);
}

/** Everything this process prints (and what it is handed with `append`) also goes to the port's log file, which a spec scans for personal data. */
export function copyOutputToLog(port: string): { append: (chunk: string | Uint8Array) => void } {
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
  return { append: (chunk) => appendFileSync(logFile, chunk) };
}

/** A real SMTP server; each message it receives is written as `<n>.json` in the port's mail folder. Returns its URL. */
export async function startMailbox(port: string): Promise<string> {
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
  return smtp.url;
}

/**
 * The environment of an app server in a browser run (production build, demo banner, the run's SMTP
 * server). `siteUrl`: the address in front of several servers, as a deployment sets it, for the
 * links in e-mails and the Origin check; a lone server is its own address.
 */
export function serverEnv(port: string, databaseUrl: string, smtpUrl: string, siteUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    REMBUG_DEMO: "1",
    PORT: port,
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    MAIL_FROM: "Rembug Uji <no-reply@rembug.test>",
  };
  if (siteUrl) env.SITE_URL = siteUrl;
  else delete env.SITE_URL;
  return env;
}
