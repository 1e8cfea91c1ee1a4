/**
 * npm run db:copy -- --from <sqlite file> --to <postgres url> [--batch-rows N]
 *
 * Copies a city from its SQLite file into an empty PostgreSQL database (db/copy.ts says how): one
 * snapshot of the source, so the server may keep running; progress per table on stderr (a bar on
 * a terminal, plain lines otherwise); the summary on stdout. Any refusal or failure is one line
 * on stderr and exit status 1, and then nothing was committed to the target.
 */
import { parseArgs } from "node:util";
import { copyDatabase, CopyError, type CopyProgress } from "../db/copy";
import { redactPgUrl } from "../db/pg-client";

const USAGE = "usage: npm run db:copy -- --from <sqlite file> --to <postgres://user:password@host:port/database> [--batch-rows N]";

const number = (n: number) => Math.round(n).toLocaleString("en-US");
const rate = (rows: number, seconds: number) => (seconds > 0 ? `${number(rows / seconds)} rows/s` : "");

/** A bar redrawn in place at most ten times a second; a finished table keeps its line. */
function terminalProgress(stream: NodeJS.WriteStream) {
  let lastDraw = 0;
  return (p: CopyProgress) => {
    const now = performance.now();
    if (!p.finished && p.done > 0 && now - lastDraw < 100) return;
    lastDraw = now;
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
    const line = `${p.table.padEnd(26)} ${bar} ${number(p.done).padStart(9)} of ${number(p.total)} rows  ${rate(p.done, p.seconds)}  ${p.seconds.toFixed(1)} s`;
    stream.write(`\r${line}\x1b[K${p.finished ? "\n" : ""}`);
  };
}

/** A line per table when it is done, and one every five seconds while a large one is copied. */
function plainProgress(stream: NodeJS.WriteStream) {
  let lastLine = 0;
  return (p: CopyProgress) => {
    const now = performance.now();
    if (p.done === 0 && !p.finished) {
      lastLine = now;
      return;
    }
    if (!p.finished && now - lastLine < 5000) return;
    lastLine = now;
    const state = p.finished ? "copied" : `${Math.floor((100 * p.done) / Math.max(1, p.total))}%`;
    stream.write(
      `${p.table}: ${number(p.done)} of ${number(p.total)} rows ${state}, ${p.seconds.toFixed(1)} s${p.done ? `, ${rate(p.done, p.seconds)}` : ""}\n`,
    );
  };
}

async function main(): Promise<number> {
  let values: { from?: string; to?: string; "batch-rows"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { from: { type: "string" }, to: { type: "string" }, "batch-rows": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`db:copy: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from || !values.to) {
    console.error(`db:copy: both --from and --to are needed\n${USAGE}`);
    return 2;
  }
  const batchRows = values["batch-rows"] === undefined ? undefined : Number(values["batch-rows"]);
  if (batchRows !== undefined && !(Number.isInteger(batchRows) && batchRows > 0)) {
    console.error(`db:copy: --batch-rows takes a whole number of rows, not ${values["batch-rows"]}`);
    return 2;
  }

  const report = await copyDatabase({
    from: values.from,
    to: values.to,
    batchRows,
    onProgress: process.stderr.isTTY ? terminalProgress(process.stderr) : plainProgress(process.stderr),
  });
  const tables = report.tables.length;
  console.log(
    `Copied ${number(report.rows)} rows of ${tables} tables from ${values.from} to ${redactPgUrl(values.to)}: ` +
      `${report.rowSeconds.toFixed(1)} s for the rows (${rate(report.rows, report.rowSeconds)}), ${report.seconds.toFixed(1)} s in all with the migrations and the checks.`,
  );
  for (const { table, reason } of report.skipped) console.log(`Not copied: ${table} (${reason}).`);
  console.log(`Identity sequences continue after the largest copied id in ${report.sequences.length} tables.`);
  console.log(
    `Verified before the commit: every table holds the snapshot's rows, and ${report.countsChecked} stored counts equal a recount of the rows on PostgreSQL.`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A refusal or a connection problem is one sentence; anything else its message, still without a stack trace.
    const message = error instanceof CopyError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`db:copy: ${message.replace(/\s*\n\s*/g, " ")}`);
    process.exit(1);
  },
);
