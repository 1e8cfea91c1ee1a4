import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { AREA_LEVELS, type AreaLevel } from "~db/schema";

export interface AreaImportResult {
  inserted: number;
  updated: number;
}

export class AreaImportError extends Error {
  constructor(public problems: string[]) {
    super(`the areas file has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = { city: null, kecamatan: "city", kelurahan: "kecamatan" };

/**
 * Imports areas from a CSV with the header `code,name,level,parent_code,population`
 * (official Kemendagri codes). Re-runnable: a known code is updated, a new one inserted.
 * All or nothing: any problem aborts the import (one transaction) and every problem is reported with its line.
 */
export async function importAreasCsv(db: AppDb, csv: string): Promise<AreaImportResult> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new AreaImportError([`not a readable CSV file: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const problems: string[] = [];
  const required = ["code", "name", "level", "parent_code", "population"];
  if (records.length === 0) problems.push("no rows");
  else {
    const missing = required.filter((c) => !(c in records[0]!));
    if (missing.length) throw new AreaImportError([`missing column(s): ${missing.join(", ")} (expected ${required.join(",")})`]);
  }
  const byCode = new Map<string, { level: AreaLevel; line: number }>();
  records.forEach((r, i) => {
    const line = i + 2;
    if (!/^\d{2}(\.\d{2}){0,2}(\.\d{4})?$/.test(r.code!)) problems.push(`line ${line}: code "${r.code}" is not an official area code like 32.73.01.1001`);
    if (!r.name) problems.push(`line ${line}: name is empty`);
    if (!AREA_LEVELS.includes(r.level as AreaLevel)) problems.push(`line ${line}: level must be one of ${AREA_LEVELS.join(", ")}`);
    if (!/^\d+$/.test(r.population!) || Number(r.population) > 50_000_000) problems.push(`line ${line}: population must be a whole number`);
    if (byCode.has(r.code!)) problems.push(`line ${line}: code ${r.code} appears twice`);
    byCode.set(r.code!, { level: r.level as AreaLevel, line });
  });
  if (problems.length) throw new AreaImportError(problems);

  return withWriteTx(db, async (tx) => {
    const { areas } = tables(tx);
    // Problems found while writing are this run's (a transaction may be run again).
    const problems: string[] = [];
    const existing = new Map((await tx.select({ id: areas.id, code: areas.code, level: areas.level }).from(areas)).map((a) => [a.code, a]));
    // Parents first: city, then kecamatan, then kelurahan.
    const ordered = [...records].sort((a, b) => AREA_LEVELS.indexOf(a.level as AreaLevel) - AREA_LEVELS.indexOf(b.level as AreaLevel));
    let inserted = 0;
    let updated = 0;
    for (const r of ordered) {
      const level = r.level as AreaLevel;
      const line = byCode.get(r.code!)!.line;
      let parentId: number | null = null;
      const expectedParent = PARENT_LEVEL[level];
      if (expectedParent) {
        const parent = existing.get(r.parent_code!);
        if (!r.parent_code || !parent) {
          problems.push(`line ${line}: parent_code "${r.parent_code}" is not a known ${expectedParent}`);
          continue;
        }
        if (parent.level !== expectedParent) {
          problems.push(`line ${line}: the parent of a ${level} must be a ${expectedParent}`);
          continue;
        }
        parentId = parent.id;
      } else if (r.parent_code) {
        problems.push(`line ${line}: a city has no parent_code`);
        continue;
      }
      const values = { code: r.code!, name: r.name!, level, parentId, population: Number(r.population) };
      const known = existing.get(r.code!);
      if (known) {
        await tx.update(areas).set(values).where(eq(areas.id, known.id));
        existing.set(r.code!, { ...known, level });
        updated++;
      } else {
        const [row] = await tx.insert(areas).values(values).returning({ id: areas.id });
        existing.set(r.code!, { id: row!.id, code: r.code!, level });
        inserted++;
      }
    }
    if (problems.length) throw new AreaImportError(problems);
    return { inserted, updated };
  });
}
