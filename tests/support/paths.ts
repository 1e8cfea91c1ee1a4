import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

/** Where every Vitest run keeps its scratch databases: tests/.tmp/ */
export const TMP_ROOT = resolve(fileURLToPath(new URL("../.tmp", import.meta.url)));
/**
 * This run's own folder under TMP_ROOT, named by the global setup (REMBUG_TEST_TMP), so that two
 * Vitest runs at once (the domain suite and the security suite, or a file run alone beside the
 * whole suite) never delete each other's databases.
 */
export const TMP_DIR = process.env.REMBUG_TEST_TMP ?? TMP_ROOT;
export const TEMPLATE_DB = resolve(TMP_DIR, "template.db");
