import { isStaff, type Role } from "~db/schema/values";
import type { Translations } from "./instance";

/**
 * Whose browser a set of strings is for. A resident's phone is sent the strings of the pages a
 * resident can open; staff are sent everything. The staff strings are not secret (the staff area
 * is plain UI text), they are left out of residents' downloads only to save bytes on slow
 * connections. tests/i18n-audience.test.ts checks that no module a resident page reaches names a
 * key listed here.
 */
export type Audience = "public" | "staff";

/** Subtrees only staff pages show. */
export const STAFF_ONLY_KEYS: readonly string[] = [
  "staffProjects",
  "staffUsers",
  "reports",
  "moderation.nav",
  "moderation.queue",
  "moderation.log",
  "moderation.suspensions",
  "moderation.shortcuts",
  "moderation.templates",
  "moderation.templateNames",
  "moderation.actions",
  "moderation.reasons",
  "moderation.flagReasons",
  "moderation.flagStatuses",
  "moderation.targetTypes",
  "moderation.logTargetTypes",
  "moderation.durations",
  "moderation.statuses",
  "moderation.visibility",
  "moderation.outcomes",
  "moderation.proposalStatuses",
  "settings.title",
  "settings.lead",
  "settings.numbersLegend",
  "settings.range",
  "settings.save",
  "settings.saved",
  "settings.unchanged",
  "settings.errorSummary",
  "settings.nothingChanged",
  "settings.fields",
];

/** Subtrees only the server uses (e-mail); no browser is sent them. */
export const SERVER_ONLY_KEYS: readonly string[] = ["mail"];

export function audienceOf(role: Role | null | undefined): Audience {
  return role && isStaff(role) ? "staff" : "public";
}

/** Whether strings loaded for `have` can render pages for `need`: the staff set holds the public one. */
export function covers(have: Audience, need: Audience): boolean {
  return have === "staff" || need === "public";
}

/** A copy of `tree` without the subtrees named by dotted paths. */
export function withoutKeys(tree: Translations, paths: readonly string[], prefix = ""): Translations {
  const out: Translations = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (paths.includes(path)) continue;
    out[key] = value && typeof value === "object" ? withoutKeys(value as Translations, paths, path) : value;
  }
  return out;
}

/** The strings a browser of this audience is sent. */
export function clientTranslations(all: Translations, audience: Audience): Translations {
  const left = audience === "staff" ? SERVER_ONLY_KEYS : [...SERVER_ONLY_KEYS, ...STAFF_ONLY_KEYS];
  return withoutKeys(all, left);
}
