import { text, timestamp as pgTimestamp } from "drizzle-orm/pg-core";
import { VISIBILITIES } from "../schema/values";
export { VISIBILITIES } from "../schema/values";
export type { Visibility } from "../schema/values";
// The value-set CHECK writes the same SQL on both engines.
export { inList } from "../schema/columns";

/**
 * A moment, as `timestamp with time zone` to the millisecond, read and written as a Date: the
 * values SQLite's INTEGER milliseconds give the domain, exactly (a JS Date holds milliseconds; a
 * default precision of microseconds would store moments a Date cannot say back).
 */
export const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** The transaction's moment (`now()`), as SQLite's default is the statement's. */
export const createdAt = () => timestamp("created_at").notNull().defaultNow();

export const visibility = () => text("visibility", { enum: VISIBILITIES }).notNull().default("published");
