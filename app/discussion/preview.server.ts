import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { assertMayWrite } from "~/accounts/users.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { assertMarkdownLength, cookMarkdown } from "~/content/markdown.server";
import { stripControlCharacters } from "~/content/plain-text";

/**
 * The one Markdown preview behind every "Preview" button (comments, threads, proposals, official
 * answers, projects, project updates): the text as it would be stored, cooked. A preview writes
 * nothing but costs what a write costs, so it obeys the same rules: the writer may write now (a
 * suspended account may not preview), the same length cap as posting (assertMarkdownLength), and
 * a rate limit per account (ratePreviewsPerMinute). Refusals are DomainErrors on `field`; the
 * route returns them with the text kept in the form.
 */
export async function previewMarkdown(
  db: AppDb,
  user: User,
  source: string | undefined,
  { field = "body", now = new Date() }: { field?: string; now?: Date } = {},
): Promise<string> {
  assertMayWrite(user, now);
  const text = stripControlCharacters(source ?? "").trim();
  assertMarkdownLength(text, field);
  const limited = await rateLimit(db, `preview:user:${user.id}`, await getSetting(db, "ratePreviewsPerMinute"), now);
  if (!limited.ok) throw new DomainError(429, "markdown.previewRateLimited", { seconds: limited.retryAfterSeconds }, field);
  return cookMarkdown(text, field);
}
