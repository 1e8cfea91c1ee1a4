import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

export interface DriftCheck {
  dialect: "sqlite" | "postgresql";
  schema: string;
  migrations: string;
}

/**
 * One check per schema tree: the flags drizzle-kit is given are what its config says
 * (drizzle.config.ts, drizzle-pg.config.ts), since it refuses a --config beside other options.
 */
export const DRIFT_CHECKS: DriftCheck[] = [
  { dialect: "sqlite", schema: "db/schema/index.ts", migrations: "db/migrations" },
  { dialect: "postgresql", schema: "db/schema-pg/index.ts", migrations: "db/migrations-pg" },
];

/**
 * Runs `drizzle-kit generate` against a scratch copy of the committed migrations and returns the
 * files it would add: none when the schema and the migrations agree. (`drizzle-kit check` only
 * checks the migrations against each other, never against the schema.)
 */
export function schemaDrift({ dialect, schema, migrations }: DriftCheck): { added: string[]; sql: string; output: string } {
  mkdirSync(resolve(root, "tests/.tmp"), { recursive: true });
  const dir = mkdtempSync(resolve(root, "tests/.tmp/drift-"));
  const scratch = join(dir, "m");
  cpSync(resolve(root, migrations), scratch, { recursive: true });
  return driftIn(dialect, schema, scratch, () => rmSync(dir, { recursive: true, force: true }));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

export function driftIn(dialect: DriftCheck["dialect"], schema: string, scratch: string, cleanup = () => {}) {
  try {
    const before = new Set(listFiles(scratch));
    const kit = resolve(root, "node_modules/drizzle-kit/bin.cjs");
    // drizzle-kit resolves --out against the working directory, and wants it relative.
    const result = spawnSync(process.execPath, [kit, "generate", "--dialect", dialect, "--schema", schema, "--out", relative(root, scratch)], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    if (result.status !== 0) throw new Error(`drizzle-kit generate failed:\n${output}`);
    const added = listFiles(scratch).filter((f) => !before.has(f) && !f.endsWith("_journal.json"));
    const sql = added
      .filter((f) => f.endsWith(".sql"))
      .map((f) => readFileSync(join(scratch, f), "utf8"))
      .join("\n");
    return { added, sql, output };
  } finally {
    cleanup();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let failed = false;
  for (const check of DRIFT_CHECKS) {
    const { added, sql } = schemaDrift(check);
    if (added.length) {
      failed = true;
      console.error(`✗ ${check.dialect}: ${check.schema} differs from ${check.migrations}; drizzle-kit would write ${added.join(", ")}:\n${sql}`);
      console.error("Run `npm run db:generate` and commit the new migration.");
    } else {
      console.log(`✓ ${check.dialect}: the schema and the committed migrations agree`);
    }
  }
  process.exit(failed ? 1 : 0);
}
