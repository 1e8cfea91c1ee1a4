import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { createReadableStreamFromReadable } from "@remix-run/node";

type TrustFn = (address: string | undefined, hop: number) => boolean;

/**
 * The host (with its port) the client addressed: `X-Forwarded-Host` when the hop that sent the
 * request is a trusted proxy (TRUST_PROXY, as Express decides for `req.hostname`), else `Host`.
 */
export function requestHost(req: ExpressRequest): string | undefined {
  const trust = req.app.get("trust proxy fn") as TrustFn;
  let host = req.get("X-Forwarded-Host");
  if (!host || !trust(req.socket.remoteAddress, 0)) host = req.get("Host");
  else if (host.includes(",")) host = host.slice(0, host.indexOf(","));
  return host?.trim() || undefined;
}

/**
 * The origin this request is addressed to: SITE_URL when it is set (always in production), else
 * the request's own protocol and host (the demo, development), read through trusted proxies only.
 */
export function requestOrigin(siteUrl: string | null, req: ExpressRequest): string {
  if (siteUrl) return siteUrl;
  return `${req.protocol}://${requestHost(req) ?? "localhost"}`;
}

/**
 * The Fetch Request handed to Remix. Its URL is `origin` + the path, and its `Host` is that
 * origin's host, whatever `Host` the proxy passed: Remix compares an action's `Origin` with the
 * request's `X-Forwarded-Host` or `Host` and answers 500 when they differ, which broke every form
 * behind a proxy that does not pass `Host`. The server has already checked `Origin` against the
 * same origin (server/app.ts), so the two checks agree. `X-Forwarded-Host` is dropped: it was
 * read, when trusted, into `origin`.
 */
export function createRemixRequest(req: ExpressRequest, res: ExpressResponse, origin: string): Request {
  const target = req.originalUrl.startsWith("/") ? req.originalUrl : pathOf(req.originalUrl);
  const url = new URL(`${origin}${target}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  headers.set("Host", url.host);
  headers.delete("X-Forwarded-Host");

  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Abort loaders and actions when the client goes away before the answer is complete.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

/** The path and query of an absolute-form request target (`GET http://host/path HTTP/1.1`). */
function pathOf(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return "/";
  }
}
