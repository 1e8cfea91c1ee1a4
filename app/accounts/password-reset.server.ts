import { and, eq, isNull } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import { isLocale } from "~/i18n/locale";
import { translator } from "~/i18n/i18n.server";
import { ORIGIN, SITE_NAME, renderMail } from "~/notifications/mail-template.server";
import { queueMail } from "~/notifications/outbox.server";
import { DomainError } from "~/domain-error";
import { rateLimit, tooManyAttempts } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { checkEmailToken, consumeEmailToken, issueEmailToken, linkRefusal, RESET_TOKEN_TTL_MS, type TokenCheck } from "./email-tokens.server";
import { hashPassword } from "./password.server";
import { invalidateUserSessions } from "./session.server";
import { resetAccountKey } from "./rate-keys.server";
import { forgetSignInFailures } from "./sign-in.server";
import { queueAccountNotice } from "./account-notice.server";
import { emailSchema, newPasswordProblem, normalizeEmail } from "./users.server";

/**
 * /forgot-password: queues a reset link (1 hour, single use) when the address belongs to an
 * account. The answer is the same whether it does or not; only a malformed address (400) or too
 * many requests from one client address (429) answer differently, and neither tells whether an
 * account exists. Past the per-account limit nothing more is sent, silently.
 */
export async function requestPasswordReset(db: AppDb, input: { email: string; clientAddress: string }, now = new Date()): Promise<void> {
  const email = normalizeEmail(input.email.slice(0, 500));
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) {
    const message = parsed.error.issues[0]!.message;
    throw new DomainError(400, message.startsWith("errors.") ? message : "errors.emailInvalid", {}, "email");
  }
  const byAddress = await rateLimit(db, `reset:addr:${input.clientAddress}`, await getSetting(db, "ratePasswordResetPerAddress"), now);
  if (!byAddress.ok) throw tooManyAttempts(byAddress.retryAfterSeconds);
  const { users } = tables(db);
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);
  if (!user) return;
  if (!(await rateLimit(db, resetAccountKey(email), await getSetting(db, "ratePasswordResetPerAccount"), now)).ok) return;
  await withWriteTx(db, async (tx) => {
    const token = await issueEmailToken(tx, user.id, "reset", RESET_TOKEN_TTL_MS, now);
    const locale = isLocale(user.locale) ? user.locale : "id";
    const t = translator(locale);
    const mail = renderMail(t("mail.reset.subject", { site: SITE_NAME }), {
      locale,
      greeting: t("mail.greeting", { name: user.displayName }),
      paragraphs: [t("mail.reset.lead", { site: SITE_NAME })],
      action: { label: t("mail.reset.action"), url: `${ORIGIN}/reset-password/${token}` },
      after: [t("mail.reset.expiry", { count: RESET_TOKEN_TTL_MS / 60_000 }), t("mail.reset.notYou")],
    });
    await queueMail(tx, { ...mail, userId: user.id, to: email, kind: "password_reset" }, now);
  });
}

/** What a reset link is worth, without using it (the page with the new-password form). */
export async function checkResetToken(db: AppDb, token: string, now = new Date()): Promise<TokenCheck> {
  return checkEmailToken(db, token, "reset", now);
}

/**
 * Sets a new password with a reset link and returns the account's id. The link is used up, every
 * session of the account ends (a stolen session does not survive a reset), and the address counts
 * as verified: the link reached it. A link that cannot be used is refused with linkRefusal, a weak
 * password with a 400 on `password`.
 */
export async function resetPassword(db: AppDb, token: string, newPassword: string, now = new Date()): Promise<{ userId: number }> {
  const before = await checkResetToken(db, token, now);
  if (before.status !== "valid") throw linkRefusal(before.status);
  const problem = newPasswordProblem(newPassword, before.user);
  if (problem) throw new DomainError(400, problem, {}, "password");
  const passwordHash = await hashPassword(newPassword);
  return withWriteTx(db, async (tx) => {
    // Checked again: the link may have been used while the password was being hashed.
    const check = await consumeEmailToken(tx, token, "reset", now);
    if (check.status !== "valid") throw linkRefusal(check.status);
    const { users } = tables(tx);
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: check.user.emailVerifiedAt ?? now })
      .where(eq(users.id, check.user.id));
    await invalidateUserSessions(tx, check.user.id);
    await queueAccountNotice(tx, check.user, "passwordReset", now);
    // Failed sign-ins before the reset no longer slow the owner down.
    if (check.user.email) await forgetSignInFailures(tx, check.user.email);
    return { userId: check.user.id };
  });
}
