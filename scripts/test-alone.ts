import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * `npm run test:alone [-- file …]`: runs every Vitest file of tests/ on its own, each in a fresh
 * Vitest process, two at a time, and names each file that fails alone — a test that passes only
 * after a neighbour has run depends on what the neighbour left behind. Prints each file's result
 * and time, then the failures with their output.
 */
const files =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : (readdirSync("tests", { recursive: true }) as string[])
        // The files of vitest.config.ts: the security suites run against the build, the journeys in Playwright.
        .filter((f) => f.endsWith(".test.ts") && !f.startsWith("security/") && !f.startsWith("e2e/"))
        .sort()
        .map((f) => join("tests", f));
const parallel = 2;
const failures: { file: string; output: string }[] = [];
const started = Date.now();

function runAlone(file: string): Promise<void> {
  return new Promise((resolve) => {
    const fileStarted = Date.now();
    const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", file], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => {
      const took = `${((Date.now() - fileStarted) / 1000).toFixed(1)} s`;
      console.log(`${code === 0 ? "✓" : "✗"} ${file} (${took})`);
      if (code !== 0) failures.push({ file, output });
      resolve();
    });
  });
}

const queue = [...files];
await Promise.all(
  Array.from({ length: parallel }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) await runAlone(file);
  }),
);
for (const f of failures) console.log(`\n✗ ${f.file}\n${f.output.trimEnd()}`);
console.log(
  `\n${files.length - failures.length} of ${files.length} files pass alone in ${Math.round((Date.now() - started) / 1000)} s${failures.length ? `; failing alone: ${failures.map((f) => f.file).join(", ")}` : ""}`,
);
process.exit(failures.length ? 1 : 0);
