import type { AppDb } from "~db/engine";
import type { NotificationKind } from "~db/schema";
import type { AppLocale } from "~/i18n/locale";
import { LOCALE_TAGS } from "~/i18n/format";
import { createI18n } from "~/i18n/instance";
import { translations } from "~/i18n/i18n.server";
import { ORIGIN, renderMail, type MailContent } from "./mail-template.server";
import { unsubscribeToken } from "./unsubscribe.server";

export interface NotificationItem {
  kind: NotificationKind;
  link: string;
  params: Record<string, string>;
}

const SUBJECT_MAX = 120;

/**
 * The sentence of one notification, as the notifications page words it: phases, statuses and
 * outcomes translated, ISO dates shown in the city's time zone (the deployment's CITY_TIMEZONE, passed in).
 */
export function notificationText(locale: AppLocale, item: Pick<NotificationItem, "kind" | "params">, timeZone: string): string {
  const i18n = createI18n(locale, translations[locale]);
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.params)) {
    if (k === "phase" && i18n.exists(`phases.${v}`)) params[k] = i18n.t(`phases.${v}`);
    else if (k === "status" && i18n.exists(`notifications.status.${v}`)) params[k] = i18n.t(`notifications.status.${v}`);
    else if (k === "outcome" && i18n.exists(`notifications.outcome.${v}`)) params[k] = i18n.t(`notifications.outcome.${v}`);
    else if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
      params[k] = new Intl.DateTimeFormat(LOCALE_TAGS[locale], { dateStyle: "long", timeStyle: "short", timeZone }).format(new Date(v));
    } else params[k] = v;
  }
  const key = `notifications.kinds.${item.kind}`;
  return i18n.exists(key) ? i18n.t(key, params) : i18n.t("mail.notification.generic");
}

const linkOf = (link: string) => `${ORIGIN}${link.startsWith("/") ? link : `/${link}`}`;

/**
 * One e-mail about one notification (immediate) or several (the digest), with the links to
 * change the choice and to unsubscribe in one click (List-Unsubscribe, RFC 8058). `db` signs the
 * unsubscribe link (a transaction's handle when called inside one).
 */
export async function notificationMail(
  db: AppDb,
  recipient: { userId: number; displayName: string; locale: AppLocale },
  items: NotificationItem[],
  { digest = false, timeZone }: { digest?: boolean; timeZone: string },
): Promise<MailContent & { headers: Record<string, string> }> {
  const t = createI18n(recipient.locale, translations[recipient.locale]).t;
  const unsubscribeUrl = `${ORIGIN}/unsubscribe/${await unsubscribeToken(db, recipient.userId)}`;
  const footer = [
    { text: t(digest ? "mail.notification.whyDigest" : "mail.notification.whyImmediate") },
    { text: t("mail.notification.change"), url: `${ORIGIN}/account/email` },
    { text: t("mail.notification.unsubscribe"), url: unsubscribeUrl },
  ];
  const greeting = t("mail.greeting", { name: recipient.displayName });
  let content: MailContent;
  if (digest) {
    content = renderMail(t("mail.digest.subject", { count: items.length }), {
      locale: recipient.locale,
      greeting,
      paragraphs: [t("mail.digest.lead", { count: items.length })],
      items: items.map((item) => ({ text: notificationText(recipient.locale, item, timeZone), url: linkOf(item.link) })),
      action: { label: t("mail.digest.all"), url: `${ORIGIN}/notifications` },
      footer,
    });
  } else {
    const text = notificationText(recipient.locale, items[0]!, timeZone);
    const subject = text.length > SUBJECT_MAX ? `${text.slice(0, SUBJECT_MAX - 1)}…` : text;
    content = renderMail(subject, {
      locale: recipient.locale,
      greeting,
      paragraphs: [text],
      action: { label: t("mail.notification.open"), url: linkOf(items[0]!.link) },
      footer,
    });
  }
  return {
    ...content,
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
