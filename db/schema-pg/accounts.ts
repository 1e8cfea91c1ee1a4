// The PostgreSQL twin of db/schema/accounts.ts: the same tables, columns and constraints; what they mean is said there.
import { pgTable, integer, text, index, uniqueIndex, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, inList, timestamp } from "./columns";
import { areas } from "./areas";
import { ROLES, LOCALES } from "../schema/values";
export { ROLES, LOCALES } from "../schema/values";
export type { Role, Locale } from "../schema/values";

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
    uniqueIndex("users_email_unique").on(t.email),
    index("users_role_created_idx").on(t.role, t.createdAt),
    index("users_created_idx").on(t.createdAt),
    index("users_area_idx").on(t.areaId),
    index("users_suspended_until_idx")
      .on(t.suspendedUntil)
      .where(sql`suspended_until is not null and deleted_at is null`),
    check("users_role_check", inList("role", ROLES)),
    check("users_locale_check", inList("locale", LOCALES)),
    check("users_email_lower_check", sql`email is null or email = lower(email)`),
  ],
);

export const sessions = pgTable(
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

export const twoFactors = pgTable("two_factors", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  secretCipher: text("secret_cipher").notNull(),
  confirmedAt: timestamp("confirmed_at"),
  lastUsedStep: integer("last_used_step"),
  createdAt: createdAt(),
});

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const signInChallenges = pgTable(
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
