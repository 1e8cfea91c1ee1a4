import { dirname, join, resolve } from "node:path";
import express from "express";
import type { AppConfig } from "../app/context";
import { databasePath } from "../db/client";
import { engineOfUrl } from "../db/engine";
import { DEFAULT_CITY_TIMEZONE } from "../app/i18n/format";

export interface ServerConfig extends AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /**
   * Express's `trust proxy`: false (the socket's address is the client), a number of proxy hops
   * in front of the server, or the proxies' addresses and subnets.
   */
  trustProxy: TrustProxy;
  bodyLimitBytes: number;
  /** `smtp://user:pass@host:587` or `smtps://…`; null keeps mail in the outbox and writes it to `mailDir`. */
  smtpUrl: string | null;
  /** The From header of every message. */
  mailFrom: string;
  mailDir: string;
  /** Where links in e-mails point: SITE_URL, or this server's own address in the demo. */
  publicOrigin: string;
}

export type TrustProxy = false | number | string[];

/**
 * TRUST_PROXY: `false` (default), a number of hops (`1`: one reverse proxy), or a comma-separated
 * list of the proxies' addresses and subnets (`loopback, 10.0.0.0/8`). `true` means one hop: trusting
 * every hop would take the client address from the left end of X-Forwarded-For, which the client
 * writes itself.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim() ?? "";
  if (v === "" || /^(false|no|0)$/i.test(v)) return false;
  if (/^(true|yes)$/i.test(v)) return 1;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 20) throw new Error(`TRUST_PROXY: ${hops} hops is not plausible; give the number of proxies in front of the server`);
    return hops;
  }
  const list = v
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  try {
    // Express (proxy-addr) compiles the list here and refuses what is not an address, a subnet or a known name.
    express().set("trust proxy", list);
  } catch (error) {
    throw new Error(`TRUST_PROXY must be false, a number of hops, or addresses/subnets such as "loopback, 10.0.0.0/8": ${(error as Error).message}`, {
      cause: error,
    });
  }
  return list;
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
  const cityTimezone = env.CITY_TIMEZONE || DEFAULT_CITY_TIMEZONE;
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
  // Beside an SQLite file by default; a PostgreSQL URL is no place on disk (and may hold a password).
  const dbPath = engineOfUrl(databaseUrl) === "sqlite" ? databasePath(databaseUrl) : null;
  const mailDir = resolve(env.MAIL_DIR || (dbPath === null || dbPath === ":memory:" ? "./data/mail" : join(dirname(dbPath), "mail")));
  const mailFrom = env.MAIL_FROM?.trim() || `Rembug <no-reply@${new URL(publicOrigin).hostname}>`;
  return {
    port,
    host,
    databaseUrl,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
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
