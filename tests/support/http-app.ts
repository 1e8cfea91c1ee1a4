import express from "express";
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { closeAppDatabase, type AppDb } from "../../db/engine";
import { readConfig, type ServerConfig } from "../../server/config";
import { createApp } from "../../server/app";
import { freshDatabase } from "./db";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  /** Sent as they are: no Host, Origin or Content-Type is added unless given (Host defaults to the server's). */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpApp {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  db: AppDb;
  config: ServerConfig;
  logs: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

/**
 * The real server (createApp) on a fresh database and a free port, in this process, with the
 * given environment on top of a production one (NODE_ENV=production, demo mode unless SITE_URL
 * is given) and the given build: a stub (tests/support/stub-build.ts) or the app's own.
 */
export async function startHttpApp({ env = {}, build }: { env?: Record<string, string>; build: ServerBuild }): Promise<HttpApp> {
  const { db, path } = await freshDatabase();
  const config = readConfig({
    NODE_ENV: "production",
    ...(env.SITE_URL ? {} : { REMBUG_DEMO: "1" }),
    DATABASE_URL: path,
    MAIL_DIR: mkdtempSync(join(tmpdir(), "rembug-http-mail-")),
    HOST: "127.0.0.1",
    ...env,
  });
  const logs: string[] = [];
  const assets: express.RequestHandler[] = [];
  const client = join(ROOT, process.env.REMBUG_BUILD_DIR ?? "build", "client");
  if (existsSync(client)) assets.push(express.static(client, { index: false }));
  const app = createApp({ config, db, build, assets, log: (line) => logs.push(line) });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    db,
    config,
    logs,
    request: (method, path, options = {}) => rawRequest(port, method, path, options),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await closeAppDatabase(db);
    },
  };
}

/** One HTTP/1.1 request with exactly these headers (Host defaults to 127.0.0.1:PORT unless given). */
export function rawRequest(port: number, method: string, path: string, { headers = {}, body }: RequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const outgoing: Record<string, string> = { ...headers };
    if (body !== undefined && !Object.keys(outgoing).some((k) => k.toLowerCase() === "content-length")) {
      outgoing["Content-Length"] = String(Buffer.byteLength(body));
    }
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: outgoing, setHost: !Object.keys(outgoing).some((k) => k.toLowerCase() === "host") },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolvePromise({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * The app's production build: the one in REMBUG_BUILD_DIR (default build/), built first when it
 * is missing or older than the sources (like `npm run test:e2e`).
 */
export async function appBuild(): Promise<ServerBuild> {
  const { buildIfNeeded } = await import("../../scripts/build-if-needed");
  buildIfNeeded();
  const file = join(ROOT, process.env.REMBUG_BUILD_DIR ?? "build", "server/index.js");
  return (await import(pathToFileURL(file).href)) as ServerBuild;
}

/** The session cookie's `name=value` from a response's Set-Cookie headers. */
export function cookieFrom(res: RawResponse, name: RegExp = /(^|__Host-)rembug_session$/): string | null {
  const all = res.headers["set-cookie"] ?? [];
  for (const line of all) {
    const pair = line.split(";")[0]!;
    const key = pair.slice(0, pair.indexOf("="));
    if (name.test(key)) return pair;
  }
  return null;
}
