import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "~db/schema";
import { CATEGORIES, PHASES, ROLES } from "~db/schema";
import { PROJECT_SORTS } from "~/projects/filters";
import { translations } from "~/i18n/i18n.server";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
// Each language is the merge of its files (locales/<lng>.json and locales/<lng>/*.json).
const LOCALES = translations as Record<string, unknown>;
const en = translations.en;

/** "a.b.c" → value, for every leaf of the nested locale object. */
function flatten(obj: unknown, prefix = "", out = new Map<string, unknown>()) {
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, obj);
  }
  return out;
}

const flat = Object.fromEntries(Object.entries(LOCALES).map(([lng, data]) => [lng, flatten(data)])) as Record<string, Map<string, unknown>>;
const NAMESPACES = new Set(Object.keys(en));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const SOURCES = [...sourceFiles(resolve(ROOT, "app")), ...sourceFiles(resolve(ROOT, "server"))].map((path) => ({
  file: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

/** Keys passed literally to t() or pageTitle(), or named by <Trans i18nKey>. Template keys with ${…} are left out. */
function literalKeyUses() {
  const patterns = [
    /\bt\(\s*"([^"\n]+)"/g,
    /\bt\(\s*'([^'\n]+)'/g,
    /\bt\(\s*`([^`$\n]+)`/g,
    /\bpageTitle\(\s*\w+\s*,\s*["'`]([^"'`$\n]+)["'`]/g,
    /\bi18nKey=["'{`]+([^"'`}$\n]+)["'`}]/g,
  ];
  const uses: { file: string; key: string }[] = [];
  for (const { file, text } of SOURCES) {
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) uses.push({ file, key: m[1]! });
  }
  return uses;
}

/** Keys used with a count, which i18next resolves to key_one / key_other. */
function pluralKeyUses() {
  const uses: { file: string; key: string }[] = [];
  for (const { file, text } of SOURCES) {
    for (const m of text.matchAll(/\bt\(\s*["'`]([^"'`$\n]+)["'`]\s*,\s*\{[^}]*\bcount\b/g)) uses.push({ file, key: m[1]! });
  }
  return uses;
}

/** `<table>.<column>` names of the database, which appear in SQLite error messages and are not keys. */
const COLUMN_NAMES = new Set(
  (Object.values(schema) as unknown[])
    .filter((v): v is SQLiteTable => is(v, SQLiteTable))
    .flatMap((table) => {
      const config = getTableConfig(table);
      return config.columns.map((c) => `${config.name}.${c.name}`);
    }),
);

/**
 * Any other string literal shaped like a key in one of the locale namespaces ("errors.emailTaken",
 * "staffUsers.notSelf"): domain modules return these for routes to translate.
 */
function keyShapedLiterals() {
  const uses: { file: string; key: string }[] = [];
  for (const { file, text } of SOURCES) {
    // audience.ts names whole subtrees (tests/i18n-audience.test.ts checks those), not messages.
    if (file === join("app", "i18n", "audience.ts")) continue;
    for (const m of text.matchAll(/["'`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)["'`]/g)) {
      const key = m[1]!;
      if (NAMESPACES.has(key.split(".")[0]!) && !COLUMN_NAMES.has(key)) uses.push({ file, key });
    }
  }
  return uses;
}

const missingIn = (uses: { file: string; key: string }[], has: (key: string, lng: string) => boolean) => [
  ...new Set(
    uses.flatMap(({ file, key }) =>
      Object.keys(LOCALES)
        .filter((lng) => !has(key, lng))
        .map((lng) => `${lng}: ${key} (${file})`),
    ),
  ),
];

const isLeaf = (key: string, lng: string) => typeof flat[lng]!.get(key) === "string";
const isLeafOrPlural = (key: string, lng: string) => isLeaf(key, lng) || isLeaf(`${key}_other`, lng);

describe("locale files", () => {
  it("have exactly the same keys in Indonesian and English", () => {
    const idKeys = [...flat.id!.keys()];
    const enKeys = [...flat.en!.keys()];
    expect(
      idKeys.filter((k) => !flat.en!.has(k)),
      "keys only in id.json",
    ).toEqual([]);
    expect(
      enKeys.filter((k) => !flat.id!.has(k)),
      "keys only in en.json",
    ).toEqual([]);
    expect(idKeys.length).toBeGreaterThan(50);
  });

  it("have no empty or non-text values", () => {
    const bad = Object.entries(flat).flatMap(([lng, map]) => [...map].filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => `${lng}: ${k}`));
    expect(bad).toEqual([]);
  });

  it("use the same {{placeholders}} for a key in both languages", () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
    const differing = [...flat.en!.keys()]
      .filter((k) => flat.id!.has(k))
      .filter((k) => JSON.stringify(vars(flat.en!.get(k))) !== JSON.stringify(vars(flat.id!.get(k))));
    expect(differing).toEqual([]);
  });

  it("give every plural key both its _one and _other form", () => {
    const broken = Object.entries(flat).flatMap(([lng, map]) =>
      [...map.keys()]
        .filter((k) => /_(one|other)$/.test(k))
        .map((k) => k.replace(/_(one|other)$/, ""))
        .filter((base) => !map.has(`${base}_one`) || !map.has(`${base}_other`))
        .map((base) => `${lng}: ${base}`),
    );
    expect(broken).toEqual([]);
  });
});

describe("keys used in the source", () => {
  it("finds the t() calls it is meant to check", () => {
    const keys = literalKeyUses().map((u) => u.key);
    expect(keys).toContain("nav.projects");
    expect(keys).toContain("register.title");
  });

  it("has every literal t() and pageTitle() key in both languages", () => {
    expect(missingIn(literalKeyUses(), isLeafOrPlural)).toEqual([]);
  });

  it("has every key used with a count as _one and _other in both languages", () => {
    const uses = pluralKeyUses();
    expect(uses.map((u) => u.key)).toContain("projects.found");
    expect(missingIn(uses, (key, lng) => isLeaf(`${key}_one`, lng) && isLeaf(`${key}_other`, lng))).toEqual([]);
  });

  it("has every key-shaped message that the domain returns (errors.…, staffUsers.…) in both languages", () => {
    const uses = keyShapedLiterals();
    expect(uses.map((u) => u.key)).toContain("errors.emailTaken");
    expect(missingIn(uses, isLeafOrPlural)).toEqual([]);
  });

  it("has a name for every role, phase, category and project sort in both languages", () => {
    const families = [
      ...ROLES.map((v) => `roles.${v}`),
      ...PHASES.map((v) => `phases.${v}`),
      ...CATEGORIES.map((v) => `categories.${v}`),
      ...PROJECT_SORTS.map((v) => `projects.sorts.${v}`),
    ].map((key) => ({ file: "enum", key }));
    expect(missingIn(families, isLeaf)).toEqual([]);
  });

  it("has a title and text for every error status the app answers with", () => {
    const statuses = [400, 403, 404, 405, 411, 413, 429, 500];
    const keys = statuses.flatMap((s) => [`errorPages.${s}.title`, `errorPages.${s}.body`]).map((key) => ({ file: "statuses", key }));
    expect(missingIn(keys, isLeaf)).toEqual([]);
  });
});

describe("locale files", () => {
  it("pairs every domain file in one language with the same file in the other", () => {
    const dir = resolve(ROOT, "app/i18n/locales");
    const idFiles = readdirSync(join(dir, "id")).sort();
    expect(readdirSync(join(dir, "en")).sort()).toEqual(idFiles);
    for (const file of idFiles) {
      const a = [...flatten(JSON.parse(readFileSync(join(dir, "id", file), "utf8"))).keys()].sort();
      const b = [...flatten(JSON.parse(readFileSync(join(dir, "en", file), "utf8"))).keys()].sort();
      expect(b, file).toEqual(a);
    }
  });

  it("merges every file of app/i18n/locales/<lng>/ into the translations", () => {
    const dir = resolve(ROOT, "app/i18n/locales/id");
    const merged = flatten(translations.id);
    for (const file of readdirSync(dir)) {
      for (const key of flatten(JSON.parse(readFileSync(join(dir, file), "utf8"))).keys()) expect(merged.has(key), `${file}: ${key}`).toBe(true);
    }
  });
});
