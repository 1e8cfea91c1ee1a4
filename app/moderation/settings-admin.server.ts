import { withWriteTx, type AppDb } from "~db/engine";
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

export async function currentModerationSettings(db: AppDb) {
  const numbers: Partial<Record<EditableNumber, number>> = {};
  for (const key of Object.keys(EDITABLE_NUMBERS) as EditableNumber[]) numbers[key] = await getSetting(db, key);
  return { numbers: numbers as Record<EditableNumber, number>, blockedWords: await getSetting(db, "blockedWords") };
}

/**
 * Validates the whole form first; any invalid value (negative, not a whole number, absurdly
 * large, an overlong word) refuses the whole change, so nothing changes halfway: one 400
 * DomainError with every wrong field, in the form's order. Each changed setting is logged with
 * its old and new value; returns the keys that changed. One write transaction, SERIALIZABLE on
 * PostgreSQL (a setting may be absent, so no row lock covers the read): the old values are read
 * inside it, so what is logged as "from" is what the change replaced.
 */
export async function updateModerationSettings(db: AppDb, admin: User, form: SettingsForm): Promise<{ changed: string[] }> {
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
  return withWriteTx(
    db,
    async (tx) => {
      const changed: string[] = [];
      for (const [key, value] of Object.entries(numbers) as [EditableNumber, number][]) {
        const before = await getSetting(tx, key);
        if (before === value) continue;
        await setSetting(tx, key, value, admin.id);
        await logAction(tx, admin, "setting_change", { type: "setting", id: key }, null, { from: before, to: value });
        changed.push(key);
      }
      const beforeWords = await getSetting(tx, "blockedWords");
      if (JSON.stringify([...beforeWords].sort()) !== JSON.stringify([...words].sort())) {
        await setSetting(tx, "blockedWords", words, admin.id);
        // The words themselves stay out of the log; their count is enough to audit the change.
        await logAction(tx, admin, "setting_change", { type: "setting", id: "blockedWords" }, null, { from: beforeWords.length, to: words.length });
        changed.push("blockedWords");
      }
      return { changed };
    },
    { serializable: true },
  );
}
