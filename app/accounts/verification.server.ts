import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { isLocale } from "~/i18n/locale";
import { translator } from "~/i18n/i18n.server";
import { ORIGIN, SITE_NAME, renderMail } from "~/notifications/mail-template.server";
import { queueMail } from "~/notifications/outbox.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { checkEmailToken, consumeEmailToken, issueEmailToken, linkRefusal, VERIFY_TOKEN_TTL_MS, type TokenCheck } from "./email-tokens.server";

type Recipient = Pick<User, "id" | "email" | "displayName" | "locale">;

/** Issues a verification link (48 hours, single use) and queues its e-mail, in one transaction (the caller's, when handed one). */
export async function queueVerificationMail(db: AppDb, user: Recipient, now = new Date()): Promise<void> {
  if (!user.email) return;
  await withWriteTx(db, async (tx) => {
    const token = await issueEmailToken(tx, user.id, "verify", VERIFY_TOKEN_TTL_MS, now);
    const locale = isLocale(user.locale) ? user.locale : "id";
    const t = translator(locale);
    const mail = renderMail(t("mail.verify.subject", { site: SITE_NAME }), {
      locale,
      greeting: t("mail.greeting", { name: user.displayName }),
      paragraphs: [t("mail.verify.lead", { site: SITE_NAME })],
      action: { label: t("mail.verify.action"), url: `${ORIGIN}/verify-email/${token}` },
      after: [t("mail.verify.expiry", { count: VERIFY_TOKEN_TTL_MS / 3_600_000 }), t("mail.verify.notYou")],
    });
    await queueMail(tx, { ...mail, userId: user.id, to: user.email!, kind: "verify_email" }, now);
  });
}

/** What a verification link is worth, without using it (the page with the confirm button). */
export async function checkVerificationToken(db: AppDb, token: string, now = new Date()): Promise<TokenCheck> {
  return checkEmailToken(db, token, "verify", now);
}

/** Uses a verification link: the account's address counts as verified from now on. A link that cannot be used is refused with linkRefusal. */
export async function verifyEmail(db: AppDb, token: string, now = new Date()): Promise<{ userId: number }> {
  return withWriteTx(db, async (tx) => {
    const check = await consumeEmailToken(tx, token, "verify", now);
    if (check.status !== "valid") throw linkRefusal(check.status);
    const { users } = tables(tx);
    if (!check.user.emailVerifiedAt) await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, check.user.id));
    return { userId: check.user.id };
  });
}

/**
 * Sends a fresh link to a signed-in user whose address is not verified yet, a few times an hour
 * at most (setting rateVerificationResend).
 */
export async function resendVerification(db: AppDb, user: User, now = new Date()): Promise<{ sent: boolean }> {
  if (user.emailVerifiedAt || !user.email || user.deletedAt) return { sent: false };
  const limited = await rateLimit(db, `verify-resend:user:${user.id}`, await getSetting(db, "rateVerificationResend"), now);
  if (!limited.ok) throw new DomainError(429, "verifyEmail.resendLimited", { minutes: Math.ceil(limited.retryAfterSeconds / 60) });
  await queueVerificationMail(db, user, now);
  return { sent: true };
}
