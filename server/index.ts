import express from "express";
import { createServer } from "node:http";
import { readConfig } from "./config";
import { createApp } from "./app";
import { precompressedAssets } from "./precompressed-assets";
import { closeAppDatabase, engineOfUrl, openAppDatabase, type AppDb } from "../db/engine";
import { describePgError } from "../db/pg-client";
import { createMailTransport } from "../app/notifications/mail-transport.server";
import { startMailSender } from "../app/notifications/mail-sender.server";
import { runHousekeepingIfDue } from "../app/privacy/housekeeping.server";
import type { ServerBuild } from "@remix-run/node";

const config = readConfig();
const db = await openDatabaseOrExit(config.databaseUrl);

if (config.demo) {
  const { seedDemo } = await import("../db/seed");
  const seeded = await seedDemo(db);
  console.log(seeded ? "Demo city seeded." : "Demo city already present.");
}

let build: ServerBuild | (() => Promise<ServerBuild>);
let assets: express.RequestHandler[];
let closeVite: (() => Promise<void>) | undefined;

if (config.production) {
  const buildDir = new URL(`../${process.env.REMBUG_BUILD_DIR ?? "build"}/`, import.meta.url);
  build = (await import(new URL("server/index.js", buildDir).href)) as ServerBuild;
  const client = new URL("client", buildDir).pathname;
  assets = [
    // Hashed file names: cache for a year; text assets go out compressed once, at the smallest setting.
    express
      .Router()
      .use("/assets", precompressedAssets(`${client}/assets`), express.static(`${client}/assets`, { immutable: true, maxAge: "1y", index: false })),
    express.static(client, { maxAge: "1h", index: false }),
  ];
} else {
  const vite = await import("vite");
  const devServer = await vite.createServer({ server: { middlewareMode: true } });
  build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  assets = [devServer.middlewares];
  closeVite = () => devServer.close();
}

const app = createApp({ config, db, build, assets });
// Mail leaves through the outbox: SMTP when SMTP_URL is set, else files under the mail folder.
const mailSender = startMailSender({
  db,
  transport: createMailTransport(config),
  origin: config.publicOrigin,
  mailDir: config.mailDir,
  // Asked every minute; one server of the deployment runs it each hour (app/jobs.server.ts).
  housekeeping: async () => (await runHousekeepingIfDue(db))?.sentMail ?? [],
  housekeepingIntervalMs: 60_000,
});
if (!config.smtpUrl) console.log(`No SMTP_URL: e-mail is written to ${config.mailDir} instead of being sent.`);
const server = createServer(app);
// A reverse proxy or load balancer keeps its connections to the app open for about a minute
// (nginx upstream keepalive, 60 s idle on most cloud balancers). Node closes an idle one after
// 5 s, so a request the proxy sends on a connection closing at that moment fails (a 502 for the
// resident). The app keeps them longer than the proxy does; headers must still come in time.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(config.port, config.host, () => {
  const shown = config.host === "0.0.0.0" ? "localhost" : config.host;
  console.log(`Rembug ${config.demo ? "demo " : ""}listening on http://${shown}:${config.port}`);
});

let closing = false;
function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  server.close(() => {
    void mailSender
      .stop()
      .then(() => closeAppDatabase(db))
      .then(() => closeVite?.())
      .then(() => process.exit(0));
  });
  // Remix keeps a timer per streamed request; do not wait for idle keep-alive sockets.
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
  }, 2000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

/**
 * DATABASE_URL's engine, migrated. A PostgreSQL server that cannot be reached, refuses the password
 * or lacks the database is one line on stderr (its URL without the password) and exit code 1, not
 * a stack trace; any other error is thrown as it is.
 */
async function openDatabaseOrExit(url: string): Promise<AppDb> {
  try {
    return await openAppDatabase(url, { migrate: true });
  } catch (error) {
    const line = engineOfUrl(url) === "pg" ? describePgError(error, url) : null;
    if (!line) throw error;
    console.error(line);
    process.exit(1);
  }
}
