import { integer, text } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { VISIBILITIES } from "./values";
export { VISIBILITIES } from "./values";
export type { Visibility } from "./values";

/** Milliseconds since the epoch; stored as INTEGER so comparisons and indexes stay cheap. */
export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const createdAt = () =>
  timestamp("created_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`);

/** Moderation visibility, shared by threads, comments, proposals and revisions. */

export const visibility = () => text("visibility", { enum: VISIBILITIES }).notNull().default("published");

export const inList = (column: string, values: readonly string[]) => sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);
