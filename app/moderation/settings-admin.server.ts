import type { Db } from "~db/client";
import { immediate } from "~db/client";
import type { User } from "~db/schema";
import { assertActsAs } from "~/accounts/authority.server";
import { getSetting, setSetting, type SettingKey } from "~/settings.server";
import { logAction } from "~/audit/log.server";
import { DomainError, type FieldError } from "~/domain-error";

/** The settings an admin edits on /staff/settings, with the bounds the form enforces. */
export const EDITABLE_NUMBERS = {
  premoderationCount: { min: 0, max: 100 },
  linkLimit: { min: 0, max: 100 },
  hideThreshold: { min: 1, max: 1000 },
  supportsPerResident: { min: 1, max: 1000 },
  establishedAccountDays: { min: 0, max: 365 },
} as const satisfies Partial<Record<SettingKey, { min: number; max: number }>>;
export type EditableNumber = keyof typeof EDITABLE_NUMBERS;
export const BLOCKED_WORDS_MAX = 5000;
export const BLOCKED_WORD_LENGTH_MAX = 100;

export interface SettingsForm {
  numbers: Partial<Record<EditableNumber, string>>;
  blockedWords: string;
}

export function currentModerationSettings(db: Db) {
  const numbers = Object.fromEntries(Object.keys(EDITABLE_NUMBERS).map((k) => [k, getSetting(db, k as EditableNumber)])) as Record<EditableNumber, number>;
  return { numbers, blockedWords: getSetting(db, "blockedWords") };
}

/**
 * Validates the whole form first; any invalid value (negative, not a whole number, absurdly
 * large, an overlong word) refuses the whole change, so nothing changes halfway: one 400
 * DomainError with every wrong field, in the form's order. Each changed setting is logged with
 * its old and new value; returns the keys that changed.
 */
export function updateModerationSettings(db: Db, admin: User, form: SettingsForm): { changed: string[] } {
  assertActsAs(admin, ["admin"]);
  const errors: FieldError[] = [];
  const numbers: Partial<Record<EditableNumber, number>> = {};
  for (const [key, bounds] of Object.entries(EDITABLE_NUMBERS) as [EditableNumber, { min: number; max: number }][]) {
    const raw = (form.numbers[key] ?? "").trim();
    if (!/^-?\d+$/.test(raw)) {
      errors.push({ field: key, key: raw ? "settings.wholeNumber" : "errors.required", params: {} });
      continue;
    }
    const n = Number(raw);
    if (n < bounds.min || n > bounds.max) {
      errors.push({ field: key, key: "settings.between", params: { min: bounds.min, max: bounds.max } });
      continue;
    }
    numbers[key] = n;
  }
  const words = [
    ...new Set(
      form.blockedWords
        .split(/\r?\n/)
        .map((w) => w.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (words.length > BLOCKED_WORDS_MAX) errors.push({ field: "blockedWords", key: "settings.tooManyWords", params: { max: BLOCKED_WORDS_MAX } });
  else if (words.some((w) => w.length > BLOCKED_WORD_LENGTH_MAX))
    errors.push({ field: "blockedWords", key: "settings.wordTooLong", params: { max: BLOCKED_WORD_LENGTH_MAX } });
  if (errors.length) throw DomainError.fields(400, errors);
  return immediate(db, () => {
    const changed: string[] = [];
    for (const [key, value] of Object.entries(numbers) as [EditableNumber, number][]) {
      const before = getSetting(db, key);
      if (before === value) continue;
      setSetting(db, key, value, admin.id);
      logAction(db, admin, "setting_change", { type: "setting", id: key }, null, { from: before, to: value });
      changed.push(key);
    }
    const beforeWords = getSetting(db, "blockedWords");
    if (JSON.stringify([...beforeWords].sort()) !== JSON.stringify([...words].sort())) {
      setSetting(db, "blockedWords", words, admin.id);
      // The words themselves stay out of the log; their count is enough to audit the change.
      logAction(db, admin, "setting_change", { type: "setting", id: "blockedWords" }, null, { from: beforeWords.length, to: words.length });
      changed.push("blockedWords");
    }
    return { changed };
  });
}
