import { and, eq, gt, sql } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { STAFF_ROLES } from "~/accounts/roles";
import { cookMarkdownWithLinks } from "~/content/markdown.server";
import { getSetting } from "~/settings.server";

export const SCREEN_REASONS = ["new_author", "blocked_word", "too_many_links"] as const;
export type ScreenReason = (typeof SCREEN_REASONS)[number];
export type Screening = { verdict: "publish" } | { verdict: "hold"; reasons: ScreenReason[]; words: string[] };

export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };

/**
 * Folds text for blocked-word matching: lower case, no diacritics, common digit-for-letter
 * swaps, separators inside words removed (b.o.d.o.h, b-o-d-o-h, b o d o h) and repeated
 * letters collapsed (bodoooh). Applied alike to the list and to the text.
 */
export function foldForMatching(text: string, joinInnerSeparators = true): string {
  let s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  // Digit-for-letter swaps only inside words (b0d0h), not in numbers (2026).
  s = s.replace(/(?<=\p{L})[013457@$]+|[013457@$]+(?=\p{L})/gu, (m) => [...m].map((c) => LEET[c] ?? c).join(""));
  // Letters separated by single dots, dashes, underscores, asterisks or spaces: join them.
  s = s.replace(/(?<!\p{L})\p{L}(?:[.\-_*\s]\p{L}(?!\p{L}))+/gu, (m) => m.replace(/[.\-_*\s]/g, ""));
  if (joinInnerSeparators) s = s.replace(/(\p{L})[.\-_*]+(?=\p{L})/gu, "$1");
  s = s.replace(/(\p{L})\1+/gu, "$1");
  return s;
}

/** Blocked words or phrases found in `text`, matched on word boundaries after folding. */
export function findBlockedWords(text: string, blocked: readonly string[]): string[] {
  if (!blocked.length) return [];
  // Two foldings: one joins "bod.oh", the other keeps "kata.lain" as two words.
  const variants = [true, false].map((join) => ` ${foldForMatching(text, join).replace(/[^\p{L}\p{N}]+/gu, " ")} `);
  const found: string[] = [];
  for (const word of blocked) {
    const w = foldForMatching(word)
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    if (w && variants.some((v) => v.includes(` ${w} `))) found.push(word);
  }
  return found;
}

/**
 * The same text from the same author within ten minutes is refused as a duplicate (a double
 * submit, or a flood): one indexed look-up per content table.
 */
export async function assertNotDuplicate(db: AppDb, authorId: number, body: string, now: Date): Promise<void> {
  const { comments, proposals, threads } = tables(db);
  const since = new Date(now.getTime() - DUPLICATE_WINDOW_MS);
  const [comment] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.authorId, authorId), gt(comments.createdAt, since), eq(comments.bodySource, body)))
    .limit(1);
  const [thread] = comment
    ? []
    : await db
        .select({ id: threads.id })
        .from(threads)
        .where(and(eq(threads.authorId, authorId), gt(threads.createdAt, since), eq(threads.bodySource, body), sql`${threads.bodySource} <> ''`))
        .limit(1);
  const [proposal] =
    comment || thread
      ? []
      : await db
          .select({ id: proposals.id })
          .from(proposals)
          .where(and(eq(proposals.authorId, authorId), gt(proposals.createdAt, since), eq(proposals.bodySource, body)))
          .limit(1);
  if (comment ?? thread ?? proposal) throw new DomainError(409, "moderation.duplicate", {}, "body");
}

/**
 * The one screening every new thread, comment and proposal (and every edit) passes before it
 * is published: hold a new author's first contributions, blocked words, too many links.
 * `links` is the number of links in the cooked text when the caller has already cooked it (so
 * Markdown is parsed once per write); otherwise `text` is cooked here to count them — then call
 * it before the write transaction, not inside it (rule: no slow work while holding the writer).
 */
export async function screenContribution(
  db: AppDb,
  author: User,
  text: string,
  { isEdit = false, links }: { isEdit?: boolean; links?: number } = {},
): Promise<Screening> {
  const reasons: ScreenReason[] = [];
  const staff = STAFF_ROLES.includes(author.role);
  if (!staff && !isEdit && author.contributionCount < (await getSetting(db, "premoderationCount"))) reasons.push("new_author");
  const words = staff ? [] : findBlockedWords(text, await getSetting(db, "blockedWords"));
  if (words.length) reasons.push("blocked_word");
  if (!staff && (links ?? cookMarkdownWithLinks(text).links) > (await getSetting(db, "linkLimit"))) reasons.push("too_many_links");
  return reasons.length ? { verdict: "hold", reasons, words } : { verdict: "publish" };
}
