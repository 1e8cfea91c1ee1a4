import type { AppConfig } from "../app/context";

export interface ServerConfig extends AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
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
  return {
    port: Number(env.PORT || 3000),
    host: env.HOST || "0.0.0.0",
    databaseUrl: env.DATABASE_URL || "./data/rembug.db",
    trustProxy: bool(env.TRUST_PROXY),
    siteUrl,
    cityTimezone,
    demo,
    production,
    secureCookies: siteUrl?.startsWith("https://") ?? false,
    bodyLimitBytes: 64 * 1024,
  };
}
