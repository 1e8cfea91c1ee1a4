import type { TFunction } from "i18next";

/** Reason templates a moderator can pick instead of writing a reason; the author reads the text. */
export const REJECT_TEMPLATES = ["spam", "harassment", "sara", "misinformation", "personal_data", "off_topic"] as const;
export type RejectTemplate = (typeof REJECT_TEMPLATES)[number];

export const isRejectTemplate = (v: unknown): v is RejectTemplate => typeof v === "string" && (REJECT_TEMPLATES as readonly string[]).includes(v);

/** The written reason, or else the chosen template's text in the moderator's language; "" when neither. */
export function rejectionReasonText(written: string | undefined, template: string | undefined, t: TFunction): string {
  const text = (written ?? "").trim();
  if (text) return text;
  return isRejectTemplate(template) ? t(`moderation.templates.${template}`) : "";
}
