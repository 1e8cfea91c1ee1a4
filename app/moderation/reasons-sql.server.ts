import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { engineOf, type AppDb } from "~db/engine";
import type { ReviewReason } from "~db/schema";

/**
 * True where a review item's `reasons` (a JSON array) holds any of `wanted`: SQLite reads the
 * TEXT column with `json_each`, PostgreSQL the jsonb one with `jsonb_array_elements_text`.
 * `reasons` is the column, from `tables(db)`.
 */
export function reasonsIncludeAny(db: AppDb, reasons: SQLWrapper, wanted: readonly ReviewReason[]): SQL {
  const values = sql.join(
    wanted.map((r) => sql`${r}`),
    sql`, `,
  );
  if (engineOf(db) === "pg") return sql`exists (select 1 from jsonb_array_elements_text(${reasons}) as r(value) where r.value in (${values}))`;
  return sql`exists (select 1 from json_each(${reasons}) where value in (${values}))`;
}
