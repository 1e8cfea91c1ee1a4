import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from "express";
import compression from "compression";
import { createRequestHandler as createRemixRequestHandler } from "@remix-run/node";
// The response is sent by our own sendResponse, which waits for the socket to drain.
import { sendResponse } from "./send-response";
import { createRemixRequest, requestOrigin } from "./remix-request";
import { adaptBuild } from "./remix-build";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type AppDb } from "../db/engine";
import type { ServerConfig } from "./config";
import type { RembugContext } from "../app/context";
import { sessionCookie, sessionCookieName, validateSessionToken } from "../app/accounts/session.server";
import { readCookie } from "../app/http/cookies.server";
import { LOCALE_COOKIE, resolveLocale } from "../app/i18n/locale";
import { translator } from "../app/i18n/i18n.server";
import { unsubscribeByToken } from "../app/notifications/unsubscribe.server";
import { DomainError } from "../app/domain-error";
import { plainErrorPage, plainPage } from "./plain-pages";

type Locals = { requestId: string; cspNonce: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Paths authenticated by a signed token in their URL, which mail clients post without an Origin (RFC 8058). */
const ORIGIN_EXEMPT = [/^\/unsubscribe\/[^/]+$/];
/** Pages whose path holds a one-time secret: /reset-password/<token>, /verify-email/<token>, /unsubscribe/<token>. */
const SECRET_LINK = /^\/(reset-password|verify-email|unsubscribe)\/[^/]+(\.data)?$/;

/** Paths that carry a secret token (e-mailed links); the log shows the route, never the token. */
const TOKEN_PATHS = /^\/(unsubscribe|verify-email|reset-password)\/[^/]+/;

export function loggedPath(path: string): string {
  return path.replace(TOKEN_PATHS, "/$1/[token]");
}

/** One-click unsubscribe: true when the token's account no longer gets notification e-mail, false for a token that is not good. */
async function unsubscribed(db: AppDb, token: string): Promise<boolean> {
  try {
    await unsubscribeByToken(db, token);
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function cookieFromHeader(header: string | undefined, name: string) {
  return readCookie(new Request("http://x", { headers: header ? { cookie: header } : {} }), name);
}

function localeOf(req: ExpressRequest) {
  return resolveLocale(cookieFromHeader(req.headers.cookie, LOCALE_COOKIE));
}

/** SITE_URL, or in the demo the request's own origin (through trusted proxies only). */
export function expectedOrigin(config: ServerConfig, req: ExpressRequest): string {
  return requestOrigin(config.siteUrl, req);
}

/** Whether a request comes from a page of this site: its Origin, or without one, Sec-Fetch-Site. */
function fromOwnSite(config: ServerConfig, req: ExpressRequest): boolean {
  const origin = req.get("origin");
  return origin ? origin === expectedOrigin(config, req) : req.get("sec-fetch-site") === "same-origin";
}

/** An HTML document, or the single-fetch data (`.data`) a page is rendered from on navigation. */
function isPageOrPageData(response: Response): boolean {
  const type = response.headers.get("Content-Type") ?? "";
  return type.startsWith("text/html") || type.startsWith("text/x-script");
}

export interface CreateAppOptions {
  config: ServerConfig;
  db: AppDb;
  /** Production: the built server; development: a function that loads it through Vite. */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Vite's dev middleware in development; static files from build/client otherwise. */
  assets: express.RequestHandler[];
  log?: (line: string) => void;
}

export function createApp({ config, db, build, assets, log = (l) => console.log(l) }: CreateAppOptions) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);

  // One log line per request: no query string, no bodies, no cookies, no addresses.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const locals = res.locals as Locals;
    locals.requestId = requestId;
    locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${loggedPath(req.path)} ${res.statusCode} ${ms.toFixed(1)}ms id=${requestId}`);
    });
    next();
  });

  app.use((req, res, next) => {
    const { cspNonce } = res.locals as Locals;
    const dev = !config.production;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${cspNonce}'${dev ? " 'unsafe-inline'" : ""}`,
        // No inline style in production: the app's styles come from its stylesheet, the plain
        // pages' one style element carries the nonce. Vite's development client injects styles.
        `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${cspNonce}'`}`,
        "img-src 'self' data:",
        `connect-src 'self'${dev ? " ws:" : ""}`,
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (config.secureCookies) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    next();
  });

  app.use(compression());

  // A real query through the seam: on PostgreSQL it takes a connection from the pool.
  app.get("/healthz", (_req, res, next) => {
    (async () => {
      try {
        await rows(db, sql`select 1 as ok`);
        res.setHeader("Cache-Control", "no-store");
        res.json({ status: "ok", database: "ok" });
      } catch {
        res.status(503).json({ status: "error", database: "unavailable" });
      }
    })().catch(next);
  });

  for (const handler of assets) app.use(handler);

  // Cross-site request forgery: every state change must come from our own origin.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    // Only the one-click POST is exempt (answered below, before Remix); any other method there is checked.
    if (req.method === "POST" && ORIGIN_EXEMPT.some((re) => re.test(req.path))) return next();
    if (fromOwnSite(config, req)) return next();
    const { requestId, cspNonce } = res.locals as Locals;
    res
      .status(403)
      .type("html")
      .send(plainErrorPage(localeOf(req), 403, requestId, cspNonce));
  });

  // Request bodies over the limit are refused before anything reads them.
  app.use((req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const { requestId } = res.locals as Locals;
    const length = req.get("content-length");
    const chunked = req.get("transfer-encoding");
    if (length === undefined && chunked) {
      res
        .status(411)
        .type("html")
        .send(plainErrorPage(localeOf(req), 411, requestId, (res.locals as Locals).cspNonce));
      return;
    }
    if (length !== undefined && Number(length) > config.bodyLimitBytes) {
      res.setHeader("Connection", "close");
      res
        .status(413)
        .type("html")
        .send(plainErrorPage(localeOf(req), 413, requestId, (res.locals as Locals).cspNonce));
      return;
    }
    next();
  });

  // One-click unsubscribe (RFC 8058) from a mail client, which posts with its own Origin or none:
  // answered here, before Remix (whose action check would refuse the foreign Origin), with a plain
  // page. The body ("List-Unsubscribe=One-Click") is not needed: the signed token says everything.
  // The page's own button (same origin) goes on to the Remix route and its page.
  app.post(ORIGIN_EXEMPT, (req, res, next) => {
    if (fromOwnSite(config, req)) return next();
    (async () => {
      const { cspNonce } = res.locals as Locals;
      const locale = localeOf(req);
      const t = translator(locale);
      const token = decodeURIComponentSafe(req.path.slice(req.path.lastIndexOf("/") + 1));
      const done = token !== null && (await unsubscribed(db, token));
      res.setHeader("Cache-Control", "no-store");
      res
        .status(done ? 200 : 400)
        .type("html")
        .send(
          done
            ? plainPage(locale, { title: t("unsubscribe.doneTitle"), paragraphs: [t("unsubscribe.done"), t("unsubscribe.inApp")], nonce: cspNonce })
            : plainPage(locale, { title: t("links.invalid.title"), paragraphs: [t("links.invalid.body"), t("links.next.unsubscribe")], nonce: cspNonce }),
        );
    })().catch(next);
  });

  /** The request's context; the session is resolved here, once per request (one query, and a write when its expiry moves). */
  const getLoadContext = async (req: ExpressRequest, res: ExpressResponse): Promise<RembugContext> => {
    const { requestId, cspNonce } = res.locals as Locals;
    const token = cookieFromHeader(req.headers.cookie, sessionCookieName(config));
    let session: RembugContext["session"] = null;
    if (token) {
      const valid = await validateSessionToken(db, token);
      if (valid) {
        session = { sessionId: valid.sessionId, user: valid.user };
        if (valid.refreshed) res.append("Set-Cookie", sessionCookie(config, token, valid.expiresAt));
      }
    }
    const locale = resolveLocale(cookieFromHeader(req.headers.cookie, LOCALE_COOKIE), session?.user.locale);
    return {
      db,
      config,
      requestId,
      cspNonce,
      // What Express computes under TRUST_PROXY: the socket's address, or the address the last trusted proxy saw.
      clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
      session,
      locale,
    };
  };

  const adaptedBuild = typeof build === "function" ? async () => adaptBuild(await build()) : adaptBuild(build);
  const handleRequest = createRemixRequestHandler(adaptedBuild, config.production ? "production" : "development");
  app.all("*", (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    (async () => {
      const request = createRemixRequest(req, res, expectedOrigin(config, req));
      const context = await getLoadContext(req, res);
      const response = await handleRequest(request, context as unknown as AppLoadContext);
      // A page rendered for a signed-in person shows their name, their notifications, staff
      // tools: no shared cache (a proxy, the browser's back-forward store) may keep it. Pages for
      // visitors keep what their route says.
      if (context.session && isPageOrPageData(response)) response.headers.set("Cache-Control", "private, no-store");
      // A page whose address carries a secret (a reset, verification or unsubscribe link) is kept
      // by no cache either, signed in or not.
      else if (SECRET_LINK.test(req.path) && isPageOrPageData(response)) response.headers.set("Cache-Control", "no-store");
      // Every refusal for too many requests says when to come back; the limits set the real
      // figure (server/remix-build.ts passes it on), this is the floor for one that did not.
      if (response.status === 429 && !response.headers.has("Retry-After")) response.headers.set("Retry-After", "60");
      await sendResponse(res, response);
    })().catch(next);
  });

  // Unexpected errors outside Remix: a plain 500 with the request id, never a stack trace.
  app.use((error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    const { requestId } = res.locals as Locals;
    log(`error id=${requestId} ${error instanceof Error ? error.name + ": " + error.message.split("\n")[0] : "unknown"}`);
    if (res.headersSent) return res.end();
    res.status(500).type("text").send(`500 · request id ${requestId}`);
  });

  return app;
}
