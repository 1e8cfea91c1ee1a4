import { afterAll, describe, inject, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase, dropDatabase } from "../../scripts/pg-cluster";
import { closePgDatabase, openPgDatabase, type PgDb } from "../../db/pg-client";
import { PG_TEMPLATE } from "./global-setup";

/** The run's PostgreSQL server (tests/pg/global-setup.ts), or why there is none. */
function provided(): { url: string } | { missing: string } {
  const pg = inject("pg");
  if (!pg) return { missing: "no PostgreSQL cluster was provided: tests/pg/global-setup.ts is not in this Vitest config's globalSetup" };
  return pg.url ? { url: pg.url } : { missing: pg.missing ?? "PostgreSQL is not available" };
}

export const pgServer = provided();

/**
 * A describe block that needs PostgreSQL. Without it the block fails with the reason and the
 * install command: `npm test` runs on both engines, and CI installs PostgreSQL. There is no way to
 * skip them, so a machine without PostgreSQL can never pass for one that tested it.
 */
export function describePg(name: string, body: (serverUrl: string) => void) {
  if ("url" in pgServer) return describe(name, () => body(pgServer.url));
  const missing = pgServer.missing;
  return describe(name, () => {
    it("needs a PostgreSQL server", () => {
      throw new Error(missing);
    });
  });
}

const made: string[] = [];
afterAll(async () => {
  if (!("url" in pgServer)) return;
  for (const name of made.splice(0)) await dropDatabase(pgServer.url, name);
});

/** A fresh database of this file's own, a copy of the migrated template; its URL. Dropped after the file. */
export async function freshPgUrl(serverUrl: string, { migrated = true }: { migrated?: boolean } = {}): Promise<string> {
  const name = `t_${randomUUID().replace(/-/g, "")}`;
  made.push(name);
  return createDatabase(serverUrl, name, migrated ? { template: PG_TEMPLATE } : {});
}

const opened: PgDb[] = [];
afterAll(async () => {
  for (const db of opened.splice(0)) await closePgDatabase(db);
});

/** A pool on a fresh migrated database, closed after the file. */
export async function freshPgDatabase(serverUrl: string, options: { max?: number } = {}): Promise<PgDb> {
  const db = openPgDatabase(await freshPgUrl(serverUrl), options);
  opened.push(db);
  return db;
}
