import type { RequestHandler } from "express";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { encodeBody, encodedResponse, type EncodedBody } from "../app/http/encoded-body.server";

/** Text assets worth compressing; images and fonts are compressed already. */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Serves the hashed build assets (`/assets/<name>-<hash>.<ext>`) compressed once, at the smallest
 * setting, and kept in memory, with a year-long immutable cache. Compression starts in the
 * background when the server starts; a request that comes first waits for its one file. Anything
 * else (a map file, an unknown name) falls through to the static file handler after it.
 */
export function precompressedAssets(dir: string): RequestHandler & { ready: Promise<void> } {
  const files = new Map<string, Promise<EncodedBody>>();
  for (const name of readdirSync(dir)) {
    if (!TYPES[extname(name)]) continue;
    files.set(name, encodeBody(readFileSync(join(dir, name))));
  }
  const ready = Promise.all(files.values()).then(() => undefined);

  const handler: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const name = req.path.replace(/^\//, "");
    const pending = files.get(name);
    if (!pending) return next();
    pending.then(
      (encoded) => {
        const out = encodedResponse(
          encoded,
          { acceptEncoding: req.get("accept-encoding"), ifNoneMatch: req.get("if-none-match") },
          { "Content-Type": TYPES[extname(name)]!, "Cache-Control": "public, max-age=31536000, immutable" },
        );
        res.status(out.status).set(out.headers);
        if (out.body === null || req.method === "HEAD") res.end();
        else res.end(out.body);
      },
      (error: unknown) => next(error),
    );
  };
  return Object.assign(handler, { ready });
}
