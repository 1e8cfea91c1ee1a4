import { spawnSync } from "node:child_process";

/**
 * `npm run lint`: the machine-kept rules of docs/ARCHITECTURE.md. ESLint (the import boundaries
 * of each floor, typed code), Prettier (one layout), dependency-cruiser (no circle between
 * folders, which ESLint's file-level cycle rule cannot see). Every check runs, then the first
 * failure decides the exit code, so one run shows everything to fix.
 */
const node = process.execPath;
const checks: [string, string[]][] = [
  ["ESLint", ["node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "."]],
  ["Prettier", ["node_modules/prettier/bin/prettier.cjs", "--check", "--log-level", "warn", "."]],
  ["dependency-cruiser", ["node_modules/dependency-cruiser/bin/dependency-cruise.mjs", "--config", ".dependency-cruiser.cjs", "app"]],
];
let failed = 0;
for (const [name, args] of checks) {
  const result = spawnSync(node, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`✗ ${name} found problems`);
    failed = result.status ?? 1;
  } else console.log(`✓ ${name}`);
}
process.exit(failed);
