import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import type { AppLocale } from "~/i18n/locale";

export interface AppConfig {
  siteUrl: string | null;
  cityTimezone: string;
  demo: boolean;
  production: boolean;
  /** Secure cookies (and the __Host- prefix) when the site is served over HTTPS. */
  secureCookies: boolean;
  /** DATABASE_URL: an SQLite file or a postgres:// URL, opened once at start-up (db/engine.ts). */
  databaseUrl: string;
  /** Where mail is written as files when no SMTP server is configured (default ./data/mail). */
  mailDir?: string;
}

export interface RembugContext {
  db: AppDb;
  config: AppConfig;
  requestId: string;
  cspNonce: string;
  clientAddress: string;
  /** The signed-in user, resolved once per request by the server. */
  session: { sessionId: string; user: User } | null;
  locale: AppLocale;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RembugContext {}
}
