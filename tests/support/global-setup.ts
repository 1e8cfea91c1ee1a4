import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { openDatabase, migrateDatabase } from "../../db/client";
import { TMP_ROOT } from "./paths";

const RUN_PREFIX = "run-";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Gives this run a folder of its own (REMBUG_TEST_TMP, inherited by the test workers) and
 * migrates one template database in it; each test file copies the template (much faster than
 * migrating again). Folders of runs whose process has ended are removed; the run's own folder
 * is removed when it ends.
 */
export default function setup() {
  mkdirSync(TMP_ROOT, { recursive: true });
  for (const entry of readdirSync(TMP_ROOT)) {
    const pid = entry.startsWith(RUN_PREFIX) ? Number(entry.slice(RUN_PREFIX.length).split("-")[0]) : NaN;
    // Anything else (older layouts, a run that died) is scratch no live run owns.
    if (!(pid > 0 && alive(pid))) rmSync(resolve(TMP_ROOT, entry), { recursive: true, force: true });
  }
  const dir = resolve(TMP_ROOT, `${RUN_PREFIX}${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  process.env.REMBUG_TEST_TMP = dir;
  const db = openDatabase(resolve(dir, "template.db"));
  migrateDatabase(db);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.pragma("journal_mode = DELETE");
  db.$client.close();
  return () => rmSync(dir, { recursive: true, force: true });
}
