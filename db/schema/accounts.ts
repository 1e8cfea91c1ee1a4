import { sqliteTable, integer, text, index, uniqueIndex, check } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { areas } from "./areas";
import { ROLES, LOCALES } from "./values";
export { ROLES, LOCALES } from "./values";
export type { Role, Locale } from "./values";

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // Nullable so that an erased account can stay as an anonymous tombstone.
    email: text("email"),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull().default("resident"),
    areaId: integer("area_id").references(() => areas.id),
    locale: text("locale", { enum: LOCALES }).notNull().default("id"),
    emailVerifiedAt: timestamp("email_verified_at"),
    suspendedUntil: timestamp("suspended_until"),
    suspensionReason: text("suspension_reason"),
    contributionCount: integer("contribution_count").notNull().default(0),
    deletedAt: timestamp("deleted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // Case-insensitive uniqueness: e-mails are stored lower-cased by the accounts domain.
    uniqueIndex("users_email_unique").on(t.email),
    // /staff/users lists newest first, filtered by role.
    index("users_role_created_idx").on(t.role, t.createdAt),
    index("users_created_idx").on(t.createdAt),
    index("users_area_idx").on(t.areaId),
    // /staff/moderation/suspensions (listSuspendedUsers): live users still suspended, soonest end
    // first. Partial, so it holds only the few live accounts with a suspension on record (lifting
    // one clears it): the list's `suspended_until > ?` implies the NOT NULL term, and it asks for
    // `deleted_at is null` itself.
    index("users_suspended_until_idx")
      .on(t.suspendedUntil)
      .where(sql`suspended_until is not null and deleted_at is null`),
    check("users_role_check", inList("role", ROLES)),
    check("users_locale_check", inList("locale", LOCALES)),
    check("users_email_lower_check", sql`email is null or email = lower(email)`),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastVerifiedAt: timestamp("last_verified_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

/**
 * A staff member's second factor: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1 as every
 * authenticator app expects). The secret is stored encrypted (AES-256-GCM, see
 * app/accounts/two-factor-key.server.ts) and never logged. confirmedAt stays null until a first
 * code proves the person's app holds the secret; only a confirmed factor is asked for at sign-in.
 */
export const twoFactors = sqliteTable("two_factors", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  secretCipher: text("secret_cipher").notNull(),
  confirmedAt: timestamp("confirmed_at"),
  /** The last time step whose code was accepted: a code of that step or an earlier one never works again. */
  lastUsedStep: integer("last_used_step"),
  createdAt: createdAt(),
});

/** Ten single-use codes for a lost phone, given once at enrolment; only their SHA-256 is stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  // Checking a code and counting those left: a user's codes.
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/**
 * Half a sign-in: the password was right and the second factor is still to come. The browser
 * holds `<id>.<secret>` in a cookie of its own (only the secret's SHA-256 is kept here); it is
 * not a session and grants nothing but the code form, for ten minutes and a few attempts.
 */
export const signInChallenges = sqliteTable(
  "sign_in_challenges",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("sign_in_challenges_user_idx").on(t.userId), index("sign_in_challenges_expires_idx").on(t.expiresAt)],
);

export type TwoFactor = typeof twoFactors.$inferSelect;
