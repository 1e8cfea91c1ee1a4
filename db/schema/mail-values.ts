/**
 * The closed value sets of the e-mail tables, without any Drizzle import, so that UI code can use
 * them without pulling the ORM into the browser bundle.
 */
/** account_notice: a word to the owner about their account (password changed, a sign-up with their address, second factor changed). */
export const MAIL_KINDS = ["verify_email", "password_reset", "notification", "digest", "account_notice"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
/** How a message left the outbox: through SMTP, or written to a file when no SMTP server is configured. */
export const MAIL_DELIVERIES = ["smtp", "file"] as const;
export type MailDelivery = (typeof MAIL_DELIVERIES)[number];
export const EMAIL_TOKEN_PURPOSES = ["verify", "reset"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];
/** What a user receives by e-mail for their in-app notifications. */
export const NOTIFICATION_EMAIL_MODES = ["none", "immediate", "digest"] as const;
export type NotificationEmailMode = (typeof NOTIFICATION_EMAIL_MODES)[number];
