import { redirect } from "@remix-run/node";
import type { AppDb } from "~db/engine";
import { TARGET_TYPES, type TargetType, type User } from "~db/schema";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { flagContent } from "~/moderation/flags.server";
import { hideContent } from "~/moderation/review.server";
import { parseId } from "~/ids";

export const MODERATION_INTENTS = ["flag", "hide"] as const;
export type ModerationIntent = (typeof MODERATION_INTENTS)[number];

export function isModerationIntent(value: string): value is ModerationIntent {
  return (MODERATION_INTENTS as readonly string[]).includes(value);
}

/** `comment-12` → { type: "comment", id: 12 } (the flag and hide links' query parameter). */
export function parseTargetParam(value: string | null): { type: TargetType; id: number } | null {
  const m = value ? /^(thread|comment|proposal)-(\d{1,12})$/.exec(value) : null;
  return m ? { type: m[1] as TargetType, id: Number(m[2]) } : null;
}

/**
 * Flagging (any signed-in resident) and hiding (moderators) from where content appears.
 * The domain decides who may; the reply names the form it belongs to (`mode`) so the page can
 * show the message in place, with what was typed.
 */
export async function handleModerationIntent(
  db: AppDb,
  user: User,
  intent: ModerationIntent,
  form: FormData,
  leavePage?: { type: TargetType; id: number; to: string },
) {
  const values: Record<string, string> = { ...formValues(form, ["targetType", "targetId", "reason"], 100), ...formValues(form, ["note"], 2000), mode: intent };
  const type = values.targetType as TargetType;
  const id = parseId(values.targetId);
  if (!TARGET_TYPES.includes(type) || id === null) throw new Response("Not found", { status: 404 });
  if (intent === "flag") {
    const result = await attemptAsync(() => flagContent(db, user, type, id, { reason: values.reason, note: values.note }), values, intent);
    if (!result.ok) return result.response;
    // When the page's own subject is now hidden, its page is gone for the reader: go to the project.
    if (result.value.hidden && leavePage?.type === type && leavePage.id === id) return redirect(`${leavePage.to}?notice=flaggedHidden`);
    return { ok: true as const, intent, values, message: { key: result.value.hidden ? "moderationUi.flaggedHidden" : "moderationUi.flagged" } };
  }
  const result = await attemptAsync(() => hideContent(db, user, type, id, values.note ?? ""), { ...values }, intent);
  if (!result.ok) return result.response;
  if (leavePage?.type === type && leavePage.id === id) return redirect(`${leavePage.to}?notice=hidden`);
  return { ok: true as const, intent, values, message: { key: "moderationUi.hidden" } };
}
