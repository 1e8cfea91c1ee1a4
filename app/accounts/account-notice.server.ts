import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { isLocale } from "~/i18n/locale";
import { translator } from "~/i18n/i18n.server";
import { ORIGIN, SITE_NAME, renderMail } from "~/notifications/mail-template.server";
import { queueMail } from "~/notifications/outbox.server";

/**
 * What the owner is told by e-mail about their own account. Each has mail.notice.<name>.subject
 * and .lead in both languages. Queue inside the transaction of the change it reports (pass its `tx`).
 */
export type AccountNotice = "passwordChanged" | "passwordReset" | "signUpAttempt" | "twoFactorEnabled" | "twoFactorDisabled" | "twoFactorReset";

type Recipient = Pick<User, "id" | "email" | "displayName" | "locale">;

/** Notices that report a change the owner may not have made: they say how to take the account back. */
const CHANGES: readonly AccountNotice[] = ["passwordChanged", "passwordReset", "twoFactorEnabled", "twoFactorDisabled", "twoFactorReset"];

export async function queueAccountNotice(db: AppDb, user: Recipient, notice: AccountNotice, now = new Date()): Promise<void> {
  if (!user.email) return;
  const locale = isLocale(user.locale) ? user.locale : "id";
  const t = translator(locale);
  const changed = CHANGES.includes(notice);
  const mail = renderMail(t(`mail.notice.${notice}.subject`, { site: SITE_NAME }), {
    locale,
    greeting: t("mail.greeting", { name: user.displayName }),
    paragraphs: [t(`mail.notice.${notice}.lead`, { site: SITE_NAME })],
    action: changed
      ? { label: t("mail.notice.resetAction"), url: `${ORIGIN}/forgot-password` }
      : { label: t("mail.notice.signInAction"), url: `${ORIGIN}/login` },
    after: changed ? [t("mail.notice.notYouChanged")] : [t("mail.notice.forgotten", { url: `${ORIGIN}/forgot-password` }), t("mail.notice.notYouAttempt")],
  });
  await queueMail(db, { ...mail, userId: user.id, to: user.email, kind: "account_notice" }, now);
}
