import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DRIFT_CHECKS, driftIn, schemaDrift } from "../scripts/schema-drift";
import { TMP_DIR } from "./support/paths";

describe("the schema and the committed migrations", () => {
  it.each(DRIFT_CHECKS)(
    "agree for $dialect: drizzle-kit generate on a scratch copy writes nothing",
    (check) => {
      const { added, sql } = schemaDrift(check);
      expect(added, sql).toEqual([]);
    },
    120_000,
  );

  it("the check notices a schema change that has no migration", () => {
    // Drop the newest migration from a scratch copy: its change is then in the schema only.
    const dir = mkdtempSync(join(TMP_DIR, "drift-neg-"));
    const scratch = join(dir, "m");
    cpSync(resolve("db/migrations"), scratch, { recursive: true });
    const journalPath = join(scratch, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
    const last = journal.entries.pop()!;
    writeFileSync(journalPath, JSON.stringify(journal, null, 2));
    rmSync(join(scratch, `${last.tag}.sql`));
    rmSync(join(scratch, "meta", `${String(last.idx).padStart(4, "0")}_snapshot.json`));
    const { added } = driftIn("sqlite", "db/schema/index.ts", scratch, () => rmSync(dir, { recursive: true, force: true }));
    expect(added.some((f) => f.endsWith(".sql"))).toBe(true);
  }, 120_000);
});
