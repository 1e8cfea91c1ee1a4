import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { inList } from "./columns";
import { AREA_LEVELS } from "./values";
export { AREA_LEVELS } from "./values";
export type { AreaLevel } from "./values";

export const areas = sqliteTable(
  "areas",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Official code (Kemendagri), e.g. 32.73.01.1001. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    level: text("level", { enum: AREA_LEVELS }).notNull(),
    parentId: integer("parent_id").references((): AnySQLiteColumn => areas.id),
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
