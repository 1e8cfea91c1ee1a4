/**
 * Every route the built server serves, read from the build's own route manifest (what
 * `app/routes.ts` → flatRoutes() produced), with the `intents` each action exports. A new route
 * file or a new intent shows up here after the next build, so no suite can forget it.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILD_DIR, ROOT } from "./server";

export interface RouteRow {
  /** Remix's route id, e.g. `routes/projects.$slug._index`. */
  id: string;
  /** The full URL pattern, e.g. `/projects/:slug`. */
  pattern: string;
  hasLoader: boolean;
  hasAction: boolean;
  /** The action's exported intents; null when the route has an action but exports none. */
  intents: string[] | null;
}

// A separate node process reads the build: the test process never loads a second copy of the app.
const PRINT_MANIFEST = `
const build = await import(process.argv[1]);
const out = Object.entries(build.routes).map(([id, r]) => ({
  id, path: r.path ?? null, index: Boolean(r.index), parentId: r.parentId ?? null,
  hasLoader: typeof r.module.loader === "function", hasAction: typeof r.module.action === "function",
  hasDefault: typeof r.module.default === "function",
  intents: Array.isArray(r.module.intents) ? [...r.module.intents] : null,
}));
process.stdout.write(JSON.stringify(out));
`;

interface ManifestRow {
  id: string;
  path: string | null;
  index: boolean;
  parentId: string | null;
  hasLoader: boolean;
  hasAction: boolean;
  hasDefault: boolean;
  intents: string[] | null;
}

export function readRouteTable(): RouteRow[] {
  const serverBuild = pathToFileURL(resolve(ROOT, BUILD_DIR, "server/index.js")).href;
  const json = execFileSync(process.execPath, ["--input-type=module", "-e", PRINT_MANIFEST, serverBuild], { cwd: ROOT, encoding: "utf8", maxBuffer: 16 << 20 });
  const rows = JSON.parse(json) as ManifestRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const patternOf = (row: ManifestRow): string => {
    const parent = row.parentId ? byId.get(row.parentId) : undefined;
    const base = parent ? patternOf(parent) : "";
    const own = row.path ?? "";
    if (!own) return base;
    return `${base.replace(/\/$/, "")}/${own}`;
  };
  // Pathless layouts (root, the error-boundary layout) answer no URL of their own.
  const parents = new Set(rows.map((r) => r.parentId).filter(Boolean));
  return rows
    .filter((r) => r.id.startsWith("routes/"))
    .filter((r) => r.path !== null || r.index || !parents.has(r.id))
    .map((r) => ({ id: r.id, pattern: patternOf(r) || "/", hasLoader: r.hasLoader, hasAction: r.hasAction, intents: r.intents }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The URL of a pattern with its parameters filled in. */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern
    .replace(/:(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`);
      return encodeURIComponent(value);
    })
    .replace(/\/\*$/, "/" + (params["*"] ?? "no-such-page"));
}
