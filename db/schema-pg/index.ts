/**
 * The PostgreSQL schema: table for table, column for column the twin of db/schema/index.ts, with
 * the same JS names and the same exports (a test compares both trees, their row types and the two
 * live databases: tests/pg/schema-parity.test.ts). Migrations: db/migrations-pg (drizzle-pg.config.ts).
 */
export * from "../schema/values";
export * from "./columns";
export * from "./areas";
export * from "./accounts";
export * from "./projects";
export * from "./discussion";
export * from "./proposals";
export * from "./voting";
export * from "./moderation";
export * from "./notifications";
export * from "./settings";
export * from "./reports";
export * from "./mail";
