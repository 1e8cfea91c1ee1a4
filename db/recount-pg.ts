/**
 * The recount of db/recount.ts, on PostgreSQL: the same definitions (STORED_COUNTS), not a second
 * set. They are written in SQLite's dialect over SQLite's values, so they run over temporary views
 * that show each table as SQLite stores it (a moment as epoch milliseconds, a boolean as 0 or 1),
 * named like the tables (a session's temporary schema is searched first), and two constructs are
 * rewritten into PostgreSQL's:
 *
 * - a scalar `max(a, b, …)`: NULL when any argument is NULL, else the greatest (PostgreSQL's
 *   `greatest` skips NULLs, so the rewrite says the NULL case itself);
 * - a derived table without an alias (`from (select …) group by …`): PostgreSQL 15 wants one.
 *
 * The mismatches come back as on SQLite: ids, counts and moments (milliseconds) as numbers.
 */
import type pg from "pg";
import { getTableConfig, PgBoolean, PgTable, PgTimestamp } from "drizzle-orm/pg-core";
import { is } from "drizzle-orm";
import * as pgSchema from "./schema-pg/index";
import { STORED_COUNTS, type CountMismatch } from "./recount";
// Registers the int8 and numeric parsers: counts and sums as numbers.
import "./pg-client";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The index of the parenthesis that closes the one at `open`, skipping quoted strings. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'") {
      i = sql.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in ${sql}`);
}

/** The arguments between the parentheses at `open` and `close`, split at their top-level commas. */
function topLevelArguments(sql: string, open: number, close: number): string[] {
  const args: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const ch = sql[i];
    if (ch === "'") i = sql.indexOf("'", i + 1);
    else if (ch === "(") i = closingParen(sql, i);
    else if (ch === ",") {
      args.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(sql.slice(start, close).trim());
  return args;
}

/** Words that may follow a derived table's closing parenthesis when it has no alias. */
const NOT_AN_ALIAS = new Set(["where", "group", "order", "limit", "union", "join", "left", "inner", "on", "having", "window", ""]);

/** One SQL expression or query of STORED_COUNTS, in PostgreSQL's dialect (the two rewrites above). */
export function toPostgresSql(sql: string): string {
  let derived = 0;
  const rewrite = (text: string): string => {
    let out = "";
    let i = 0;
    const pattern = /\b(max|from)\s*\(/gi;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (m.index < i) continue;
      const open = m.index + m[0].length - 1;
      const close = closingParen(text, open);
      out += text.slice(i, m.index);
      if (m[1]!.toLowerCase() === "max") {
        const args = topLevelArguments(text, open, close).map(rewrite);
        out +=
          args.length < 2 ? `max(${args[0]})` : `(case when ${args.map((a) => `(${a}) is null`).join(" or ")} then null else greatest(${args.join(", ")}) end)`;
      } else {
        out += `${m[0].slice(0, -1)}(${rewrite(text.slice(open + 1, close))})`;
        const next = /^\s*([a-z_]*)/i.exec(text.slice(close + 1))![1]!.toLowerCase();
        if (NOT_AN_ALIAS.has(next)) out += ` as derived_${++derived}`;
      }
      i = close + 1;
      pattern.lastIndex = i;
    }
    return out + text.slice(i);
  };
  return rewrite(sql);
}

/** Every table of db/schema-pg, as the temporary view that shows it with SQLite's values. */
function sqliteShapedViews(schemaName: string): { create: string[]; drop: string } {
  const tables = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  const create = tables.map((table) => {
    const { name, columns } = getTableConfig(table);
    const list = columns.map((c) => {
      const col = quote(c.name);
      if (is(c, PgTimestamp)) return `(extract(epoch from ${col}) * 1000)::bigint as ${col}`;
      if (is(c, PgBoolean)) return `${col}::int as ${col}`;
      return col;
    });
    return `create or replace temporary view ${quote(name)} as select ${list.join(", ")} from ${quote(schemaName)}.${quote(name)}`;
  });
  const drop = `drop view if exists ${tables.map((t) => `pg_temp.${quote(getTableConfig(t).name)}`).join(", ")}`;
  return { create, drop };
}

/** `select id, v` for every row of the count's table: the value the count should hold (db/recount.ts's expectedRows). */
function expectedRows(count: (typeof STORED_COUNTS)[number]): string {
  const joins = Object.entries(count.from)
    .map(([alias, query]) => `left join (${toPostgresSql(query)}) as ${alias} on ${alias}.key = ${count.table}.id`)
    .join(" ");
  return `select ${count.table}.id as id, ${toPostgresSql(count.value)} as v from ${count.table} ${joins}`;
}

/**
 * Stored counts that disagree with the rows (at most `limit` per count), on the connection's
 * database as its transaction sees it (a copy's own rows, before COMMIT). The temporary views
 * are dropped again; inside a transaction that fails they go with its rollback.
 */
export async function storedCountMismatchesPg(client: pg.ClientBase, limit = 20): Promise<CountMismatch[]> {
  const { rows: schemaRows } = await client.query<{ schema: string }>("select current_schema() as schema");
  const views = sqliteShapedViews(schemaRows[0]!.schema);
  for (const statement of views.create) await client.query(statement);
  const out: CountMismatch[] = [];
  try {
    for (const count of STORED_COUNTS) {
      const stored = `${count.table}.${count.column}`;
      const wrong = count.compare === "exact" ? `${stored} is distinct from e.v` : `(e.v is not null and (${stored} is null or ${stored} < e.v))`;
      const { rows } = await client.query<{ id: number; stored: number | null; expected: number | null }>(
        `select e.id as id, ${stored} as stored, e.v as expected from (${expectedRows(count)}) as e join ${count.table} on ${count.table}.id = e.id where ${wrong} order by e.id limit ${limit}`,
      );
      for (const row of rows) out.push({ table: count.table, column: count.column, ...row });
    }
  } finally {
    // After a failed statement a transaction refuses everything until its rollback, which drops the views.
    await client.query(views.drop).catch(() => {});
  }
  return out;
}
