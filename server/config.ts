import { dirname, join, resolve } from "node:path";
import type { AppConfig } from "../app/context";
import { databasePath } from "../db/client";

export interface ServerConfig extends AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** `smtp://user:pass@host:587` or `smtps://…`; null keeps mail in the outbox and writes it to `mailDir`. */
  smtpUrl: string | null;
  /** The From header of every message. */
  mailFrom: string;
  mailDir: string;
  /** Where links in e-mails point: SITE_URL, or this server's own address in the demo. */
  publicOrigin: string;
}

function bool(value: string | undefined) {
  return value === "1" || value?.toLowerCase() === "true" || value?.toLowerCase() === "yes";
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const production = env.NODE_ENV === "production";
  const demo = bool(env.REMBUG_DEMO);
  const siteUrl = env.SITE_URL ? env.SITE_URL.replace(/\/+$/, "") : null;
  if (siteUrl) {
    const parsed = new URL(siteUrl);
    if (parsed.pathname !== "/" || parsed.search) throw new Error("SITE_URL must be an origin such as https://rembug.example.go.id");
  }
  if (production && !demo && !siteUrl) {
    throw new Error("SITE_URL is required in production (the public origin, e.g. https://rembug.kota.go.id)");
  }
  const cityTimezone = env.CITY_TIMEZONE || "Asia/Jakarta";
  try {
    new Intl.DateTimeFormat("en", { timeZone: cityTimezone });
  } catch {
    throw new Error(`CITY_TIMEZONE is not a known time zone: ${cityTimezone}`);
  }
  const port = Number(env.PORT || 3000);
  const host = env.HOST || "0.0.0.0";
  const databaseUrl = env.DATABASE_URL || "./data/rembug.db";
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error("SMTP_URL must start with smtp:// or smtps://");
  const localHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const publicOrigin = siteUrl ?? `http://${localHost}:${port}`;
  const dbPath = databasePath(databaseUrl);
  const mailDir = resolve(env.MAIL_DIR || (dbPath === ":memory:" ? "./data/mail" : join(dirname(dbPath), "mail")));
  const mailFrom = env.MAIL_FROM?.trim() || `Rembug <no-reply@${new URL(publicOrigin).hostname}>`;
  return {
    port,
    host,
    databaseUrl,
    trustProxy: bool(env.TRUST_PROXY),
    siteUrl,
    cityTimezone,
    demo,
    production,
    secureCookies: siteUrl?.startsWith("https://") ?? false,
    bodyLimitBytes: 64 * 1024,
    smtpUrl,
    mailFrom,
    mailDir,
    publicOrigin,
  };
}
