// The PostgreSQL twin of db/schema/mail.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, jsonb, text, index, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { users } from "./accounts";
import { EMAIL_TOKEN_PURPOSES, MAIL_DELIVERIES, MAIL_KINDS, NOTIFICATION_EMAIL_MODES } from "../schema/mail-values";
export { EMAIL_TOKEN_PURPOSES, MAIL_DELIVERIES, MAIL_KINDS, NOTIFICATION_EMAIL_MODES } from "../schema/mail-values";
export type { EmailTokenPurpose, MailKind, MailDelivery, NotificationEmailMode } from "../schema/mail-values";

export const outbox = pgTable(
  "outbox",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id").references(() => users.id),
    toAddress: text("to_address").notNull(),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at").notNull(),
    sentAt: timestamp("sent_at"),
    deliveredVia: text("delivered_via", { enum: MAIL_DELIVERIES }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`sent_at is null`),
    index("outbox_sent_idx").on(t.sentAt),
    index("outbox_user_idx").on(t.userId),
    check("outbox_kind_check", inList("kind", MAIL_KINDS)),
    check("outbox_delivered_via_check", sql`delivered_via is null or delivered_via in ('smtp', 'file')`),
    check("outbox_attempts_check", sql`attempts >= 0`),
  ],
);

export const emailTokens = pgTable(
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
    index("email_tokens_user_idx").on(t.userId, t.purpose),
    index("email_tokens_expires_idx").on(t.expiresAt),
    check("email_tokens_purpose_check", inList("purpose", EMAIL_TOKEN_PURPOSES)),
  ],
);

export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id),
    mode: text("mode", { enum: NOTIFICATION_EMAIL_MODES }).notNull().default("none"),
    digestLastSentAt: timestamp("digest_last_sent_at"),
    digestAfterId: integer("digest_after_id").notNull().default(0),
    updatedAt: timestamp("updated_at"),
  },
  (t) => [index("notification_preferences_mode_idx").on(t.mode), check("notification_preferences_mode_check", inList("mode", NOTIFICATION_EMAIL_MODES))],
);

export type OutboxMessage = typeof outbox.$inferSelect;
export type EmailToken = typeof emailTokens.$inferSelect;
export type NotificationPreference = typeof notificationPreferences.$inferSelect;
