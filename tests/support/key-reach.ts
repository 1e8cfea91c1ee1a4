import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The modules a set of entry files reaches through their imports (within app/), and the
 * translation keys those modules name: literal keys ("moderation.queue.title") and the fixed
 * start of template keys (`moderation.reasons.${reason}` → "moderation.reasons.").
 */
export function reachableModules(root: string, entries: string[]): string[] {
  const app = resolve(root, "app");
  const seen = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g)) {
      const spec = m[1]!;
      let base: string | null = null;
      if (spec.startsWith("~/")) base = join(app, spec.slice(2));
      else if (spec.startsWith(".")) base = resolve(dirname(file), spec);
      if (!base) continue;
      const found = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")].find((p) => existsSync(p) && /\.(ts|tsx)$/.test(p));
      if (found) queue.push(found);
    }
  }
  return [...seen].map((f) => relative(root, f)).sort();
}

export function keysNamed(text: string, namespaces: Set<string>): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(/["'`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)["'`]/g)) {
    if (namespaces.has(m[1]!.split(".")[0]!)) keys.push(m[1]!);
  }
  for (const m of text.matchAll(/`([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)*\.)\$\{/g)) {
    if (namespaces.has(m[1]!.split(".")[0]!)) keys.push(m[1]!);
  }
  return keys;
}

export function routeFiles(root: string): string[] {
  return readdirSync(resolve(root, "app/routes")).map((f) => `app/routes/${f}`);
}
