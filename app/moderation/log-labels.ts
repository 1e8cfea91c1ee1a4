import type { LogAction, LogTargetType } from "~db/schema/values";
import type enModeration from "~/i18n/locales/en/moderation.json";

/** The labels of LOG_ACTIONS and LOG_TARGET_TYPES (db/schema/values.ts), the lists the database accepts. */
type Labels = (typeof enModeration)["moderation"];
type Labelled<Values extends string, Have extends Record<Values, string>> = Have;
/**
 * Fails typecheck when an action or a target type has no label in the English strings
 * (tests/i18n.test.ts holds the Indonesian strings to the same keys).
 */
export type LogLabels = [Labelled<LogAction, Labels["actions"]>, Labelled<LogTargetType, Labels["logTargetTypes"]>];

export const isKnown = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
