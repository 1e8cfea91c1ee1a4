/**
 * Two (or more) OS processes writing the same database file at once, to prove concurrent writers
 * behave. The test starts each child script with `runConcurrently`; the child script does its work
 * inside `onGo`. Between them: the child says "ready" once it has opened the database, waits for
 * "go" on stdin, and prints its summary (with when it started and ended) as one JSON line.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** When a child's work started and ended (Date.now()), to show the children really overlapped. */
export interface Timed {
  startedAt: number;
  endedAt: number;
}

/** Starts a child, resolves `ready` once it has opened the database, and `done` with its summary. */
function startChild<S extends object>(script: string, args: string[]) {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path, ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  let resolveReady: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  let summary: (S & Timed) | null = null;
  lines.on("line", (line) => {
    if (line === "ready") resolveReady();
    else if (line.startsWith("{")) summary = JSON.parse(line) as S & Timed;
  });
  const done = new Promise<S & Timed>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && summary) resolve(summary);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
  done.catch(() => resolveReady());
  return { child, ready, done };
}

/**
 * Starts the child script `script` (a file in tests/support/) once for each argument list, waits
 * until every child has opened the database, says "go" to all of them, and resolves with their
 * summaries in the order of `argLists`. Rejects when a child exits with an error or no summary.
 */
export async function runConcurrently<S extends object>(script: string, argLists: string[][]): Promise<(S & Timed)[]> {
  const children = argLists.map((args) => startChild<S>(script, args));
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.child.stdin.end("go\n");
  return Promise.all(children.map((c) => c.done));
}

/**
 * The child's side: says "ready", and on "go" runs `work` (awaited when it returns a promise),
 * then `cleanup` (e.g. closing the database), and prints what `work` returned with when it
 * started and ended. A `work` that rejects fails the child (exit code 1, the error on stderr).
 */
export function onGo<S extends object>(work: () => S | Promise<S>, cleanup: () => void | Promise<void> = () => {}): void {
  const lines = createInterface({ input: process.stdin });
  process.stdout.write("ready\n");
  lines.once("line", async () => {
    const startedAt = Date.now();
    let summary: S;
    try {
      summary = await work();
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    }
    const endedAt = Date.now();
    await cleanup();
    const timed: S & Timed = { ...summary, startedAt, endedAt };
    process.stdout.write(`${JSON.stringify(timed)}\n`);
    lines.close();
    process.stdin.destroy();
  });
}
