import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { translations } from "~/i18n/i18n.server";
import { audienceOf, clientTranslations, covers, SERVER_ONLY_KEYS, STAFF_ONLY_KEYS } from "~/i18n/audience";
import { SUPPORTED_LOCALES } from "~/i18n/locale";
import { keysNamed, reachableModules, routeFiles } from "./support/key-reach";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const NAMESPACES = new Set(Object.keys(translations.en));

/** Whether a named key (or a template key's fixed start, ending in ".") falls in the subtree `path`. */
function inSubtree(key: string, path: string) {
  if (key.endsWith(".")) return path.startsWith(key) || key.startsWith(`${path}.`);
  return key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}_`);
}

function leaves(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function get(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe("strings sent to each audience", () => {
  it("no module a resident's page reaches names a staff-only or server-only key", () => {
    const entries = ["app/root.tsx", "app/route-boundary.tsx", "app/entry.client.tsx", ...routeFiles(ROOT).filter((f) => !f.startsWith("app/routes/staff."))];
    // audience.ts names the subtrees as data, not as strings to show.
    const modules = reachableModules(ROOT, entries).filter((file) => file !== "app/i18n/audience.ts");
    expect(modules.length).toBeGreaterThan(50);
    const offending = modules.flatMap((file) =>
      keysNamed(readFileSync(join(ROOT, file), "utf8"), NAMESPACES)
        .filter(
          (key) =>
            STAFF_ONLY_KEYS.some((path) => inSubtree(key, path)) || (!file.endsWith(".server.ts") && SERVER_ONLY_KEYS.some((path) => inSubtree(key, path))),
        )
        .map((key) => `${key} (${file})`),
    );
    expect(offending).toEqual([]);
  });

  it("server-only keys are named only in server modules", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const offending = files(resolve(ROOT, "app"))
      .filter((file) => !file.endsWith(".server.ts") && !file.endsWith("audience.ts"))
      .flatMap((file) =>
        keysNamed(readFileSync(file, "utf8"), NAMESPACES)
          .filter((key) => SERVER_ONLY_KEYS.some((p) => inSubtree(key, p)))
          .map((key) => `${key} (${relative(ROOT, file)})`),
      );
    expect(offending).toEqual([]);
  });

  it("every listed subtree exists in both languages", () => {
    for (const lng of SUPPORTED_LOCALES) {
      for (const path of [...STAFF_ONLY_KEYS, ...SERVER_ONLY_KEYS]) expect(get(translations[lng], path), `${lng}: ${path}`).toBeDefined();
    }
  });

  it("residents get everything but the staff and server subtrees; staff everything but the server's", () => {
    for (const lng of SUPPORTED_LOCALES) {
      const all = leaves(translations[lng]);
      const publicKeys = new Set(leaves(clientTranslations(translations[lng], "public")));
      const staffKeys = new Set(leaves(clientTranslations(translations[lng], "staff")));
      const staffOnly = (k: string) => STAFF_ONLY_KEYS.some((p) => inSubtree(k, p));
      const serverOnly = (k: string) => SERVER_ONLY_KEYS.some((p) => inSubtree(k, p));
      expect(all.filter((k) => !staffOnly(k) && !serverOnly(k)).filter((k) => !publicKeys.has(k))).toEqual([]);
      expect([...publicKeys].filter((k) => staffOnly(k) || serverOnly(k))).toEqual([]);
      expect(all.filter((k) => !serverOnly(k)).filter((k) => !staffKeys.has(k))).toEqual([]);
      expect([...staffKeys].filter(serverOnly)).toEqual([]);
      // The split is worth making: residents are spared a good part of the strings.
      expect(JSON.stringify(clientTranslations(translations[lng], "public")).length).toBeLessThan(0.75 * JSON.stringify(translations[lng]).length);
    }
  });

  it("staff roles get the staff strings, which cover residents' pages too", () => {
    expect(audienceOf(null)).toBe("public");
    expect(audienceOf("resident")).toBe("public");
    for (const role of ["moderator", "planner", "admin"] as const) expect(audienceOf(role)).toBe("staff");
    expect(covers("staff", "public")).toBe(true);
    expect(covers("public", "staff")).toBe(false);
    expect(covers("public", "public")).toBe(true);
  });
});
