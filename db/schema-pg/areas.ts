// The PostgreSQL twin of db/schema/areas.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, index, uniqueIndex, check, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { inList } from "./columns";
import { AREA_LEVELS } from "../schema/values";
export { AREA_LEVELS } from "../schema/values";
export type { AreaLevel } from "../schema/values";

export const areas = pgTable(
  "areas",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    level: text("level", { enum: AREA_LEVELS }).notNull(),
    parentId: integer("parent_id").references((): AnyPgColumn => areas.id),
    population: integer("population").notNull().default(0),
  },
  (t) => [
    uniqueIndex("areas_code_unique").on(t.code),
    index("areas_parent_idx").on(t.parentId, t.name),
    index("areas_level_idx").on(t.level, t.name),
    check("areas_level_check", inList("level", AREA_LEVELS)),
    check("areas_population_check", sql`population >= 0`),
  ],
);

export type Area = typeof areas.$inferSelect;
