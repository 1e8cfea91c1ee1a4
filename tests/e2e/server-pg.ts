/**
 * The web server of the PostgreSQL smoke run (playwright.pg.config.ts): a throwaway PostgreSQL
 * cluster with the seeded city, two app servers (server/index.ts over the production build, each
 * a process of its own on a port of its own) and one address in front of them that hands each
 * request to the next server in turn. A journey passes only if nothing depends on which server
 * answers. Run as `node --import tsx tests/e2e/server-pg.ts`; SIGTERM stops all of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createDatabase, freePort, startCluster } from "../../scripts/pg-cluster";
import { copyOutputToLog, requireBuild, ROOT, seedForRun, serverEnv, startMailbox } from "./harness";
import { startRoundRobin } from "./round-robin";

requireBuild();
const port = process.env.E2E_PORT || "3220";
const APP_SERVERS = 2;

const cluster = await startCluster();
const url = await createDatabase(cluster.url, "rembug_e2e");
// Migrated once here; each server's own migration then finds nothing to do (under the advisory lock).
await seedForRun(url);
const log = copyOutputToLog(port);
const smtpUrl = await startMailbox(port);

const children: ChildProcess[] = [];
const upstreams: { host: string; port: number }[] = [];
for (let i = 0; i < APP_SERVERS; i++) {
  const own = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    env: serverEnv(String(own), url, smtpUrl, `http://127.0.0.1:${port}`),
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Both servers' output goes to the one log file that a spec scans.
  child.stdout!.on("data", (chunk: Buffer) => log.append(chunk));
  child.stderr!.on("data", (chunk: Buffer) => {
    log.append(chunk);
    process.stderr.write(chunk);
  });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`app server ${i + 1} exited (${signal ?? code}) during the run`);
      void stop(1);
    }
  });
  children.push(child);
  upstreams.push({ host: "127.0.0.1", port: own });
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  proxy?.close();
  await cluster.stop();
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

// Each server answers its own /healthz before the shared address opens (Playwright waits for that one).
const deadline = Date.now() + 120_000;
for (const upstream of upstreams) {
  for (;;) {
    const ok = await fetch(`http://${upstream.host}:${upstream.port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      console.error(`app server on port ${upstream.port} did not answer /healthz within 120 s`);
      await stop(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
const proxy = await startRoundRobin(upstreams, Number(port));
console.log(`PostgreSQL smoke: ${APP_SERVERS} app servers behind http://127.0.0.1:${port} (round-robin)`);
