import { sqliteTable, integer, text, index, check } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { EMAIL_TOKEN_PURPOSES, MAIL_DELIVERIES, MAIL_KINDS, NOTIFICATION_EMAIL_MODES } from "./mail-values";
export { EMAIL_TOKEN_PURPOSES, MAIL_DELIVERIES, MAIL_KINDS, NOTIFICATION_EMAIL_MODES } from "./mail-values";
export type { EmailTokenPurpose, MailKind, MailDelivery, NotificationEmailMode } from "./mail-values";

/**
 * Every outgoing e-mail, written in the same transaction as the change that causes it and sent
 * later by the sender (app/mail/sender.server.ts), so a slow or absent SMTP server never blocks
 * a request and never loses a message. Links in the bodies and headers start with the
 * placeholder `{{origin}}`, which the sender fills in with the site's public origin.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The account the message is for; null for a message to an address alone. */
    userId: integer("user_id").references(() => users.id),
    toAddress: text("to_address").notNull(),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: text("headers", { mode: "json" })
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'`),
    attempts: integer("attempts").notNull().default(0),
    /** When the sender may next try; moved ahead while a sender holds the message (a lease) and after a failure (backoff). */
    nextAttemptAt: timestamp("next_attempt_at").notNull(),
    sentAt: timestamp("sent_at"),
    deliveredVia: text("delivered_via", { enum: MAIL_DELIVERIES }),
    /** The last failure's error code and SMTP status, without addresses or credentials. */
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    // The sender's query: unsent messages that are due, oldest first.
    index("outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`sent_at is null`),
    // Pruning of sent messages past their retention.
    index("outbox_sent_idx").on(t.sentAt),
    // Erasure and the personal data export.
    index("outbox_user_idx").on(t.userId),
    check("outbox_kind_check", inList("kind", MAIL_KINDS)),
    check("outbox_delivered_via_check", sql`delivered_via is null or delivered_via in ('smtp', 'file')`),
    check("outbox_attempts_check", sql`attempts >= 0`),
  ],
);

/**
 * Single-use links sent by e-mail (verification, password reset). The link carries `<id><secret>`;
 * only the SHA-256 of the secret is stored, compared in constant time.
 */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    purpose: text("purpose", { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    secretHash: text("secret_hash").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // A user's tokens of one purpose: ended together when one is used or the account is erased.
    index("email_tokens_user_idx").on(t.userId, t.purpose),
    // Pruning of expired tokens.
    index("email_tokens_expires_idx").on(t.expiresAt),
    check("email_tokens_purpose_check", inList("purpose", EMAIL_TOKEN_PURPOSES)),
  ],
);

/** A user's choice of e-mail for their in-app notifications; no row means "none". */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id),
    mode: text("mode", { enum: NOTIFICATION_EMAIL_MODES }).notNull().default("none"),
    /** When the last daily digest was queued. */
    digestLastSentAt: timestamp("digest_last_sent_at"),
    /** The digest covers notifications with a higher id than this, so running it twice sends nothing twice. */
    digestAfterId: integer("digest_after_id").notNull().default(0),
    updatedAt: timestamp("updated_at"),
  },
  (t) => [
    // The digest command's query: every user who chose the digest.
    index("notification_preferences_mode_idx").on(t.mode),
    check("notification_preferences_mode_check", inList("mode", NOTIFICATION_EMAIL_MODES)),
  ],
);

export type OutboxMessage = typeof outbox.$inferSelect;
export type EmailToken = typeof emailTokens.$inferSelect;
export type NotificationPreference = typeof notificationPreferences.$inferSelect;
