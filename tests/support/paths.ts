import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

export const TMP_DIR = resolve(fileURLToPath(new URL("../.tmp", import.meta.url)));
export const TEMPLATE_DB = resolve(TMP_DIR, "template.db");
