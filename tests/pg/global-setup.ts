import type { TestProject } from "vitest/node";
import { createDatabase, databaseUrl, PgMissingError, startCluster, type PgCluster } from "../../scripts/pg-cluster";
import { migratePgDatabase } from "../../db/pg-client";

/** The migrated database each PostgreSQL test file copies (CREATE DATABASE … TEMPLATE). */
export const PG_TEMPLATE = "rembug_template";

export interface PgProvided {
  /** The superuser's URL of the run's cluster; null when PostgreSQL is not installed. */
  url: string | null;
  /** Why there is none (with the install command). */
  missing: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    pg: PgProvided;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole run (scripts/pg-cluster.ts), with a migrated
 * template database. Without PostgreSQL the run goes on: the PostgreSQL files then fail with the
 * install command (tests/pg/support.ts).
 */
export default async function setup(project: TestProject) {
  let cluster: PgCluster;
  try {
    cluster = await startCluster();
  } catch (error) {
    if (!(error instanceof PgMissingError)) throw error;
    project.provide("pg", { url: null, missing: error.message });
    return;
  }
  try {
    await createDatabase(cluster.url, PG_TEMPLATE);
    await migratePgDatabase(databaseUrl(cluster.url, PG_TEMPLATE));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  project.provide("pg", { url: cluster.url, missing: null });
  return () => cluster.stop();
}
