import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { and, eq, isNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { recoveryCodes, signInChallenges, twoFactors, users, type User } from "~db/schema";
import type { AppConfig } from "~/context";
import { logAction } from "~/audit/log.server";
import { DomainError } from "~/domain-error";
import { clearFailures, readRateLimit, recordFailure, tooManyAttempts } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { queueAccountNotice } from "./account-notice.server";
import { verifyPassword } from "./password.server";
import { isStaff } from "./roles";
import { createSession, invalidateUserSessions } from "./session.server";
import { decryptSecret, encryptSecret, twoFactorKey } from "./two-factor-key.server";
import { normalizeEmail } from "./users.server";

/** RFC 6238 as authenticator apps expect it: 30-second steps, 6 digits, HMAC-SHA-1. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after the current one still count (a slow typist, a clock a little off). */
const STEP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_TTL_MS = 10 * 60 * 1000;
/** Wrong codes one half-signed-in browser may try before it must start again with the password. */
export const CHALLENGE_MAX_ATTEMPTS = 5;
const ISSUER = "Rembug";

const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
const sha256Hex = (s: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(s)));
const rateKey = (userId: number) => `2fa:user:${userId}`;

/** What the rules below need to know about the deployment. */
export type FactorConfig = Pick<AppConfig, "production" | "demo">;

/** Every staff member may add a second factor; an admin of a real deployment must. */
export function mayUseSecondFactor(user: Pick<User, "role">): boolean {
  return isStaff(user.role);
}

export function secondFactorRequired(user: Pick<User, "role">, config: FactorConfig): boolean {
  return user.role === "admin" && config.production && !config.demo;
}

function factorRow(db: Db, userId: number) {
  return db.select().from(twoFactors).where(eq(twoFactors.userId, userId)).get();
}

export function hasSecondFactor(db: Db, userId: number): boolean {
  return Boolean(factorRow(db, userId)?.confirmedAt);
}

/** An admin of a real deployment without a confirmed factor may do nothing but enrol. */
export function mustEnrolFirst(db: Db, user: User, config: FactorConfig): boolean {
  return secondFactorRequired(user, config) && !hasSecondFactor(db, user.id);
}

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export function twoFactorStatus(db: Db, user: User, config: FactorConfig): TwoFactorStatus {
  const enabled = hasSecondFactor(db, user.id);
  const left = enabled
    ? db
        .select({ id: recoveryCodes.id })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
        .all().length
    : 0;
  return { enabled, required: secondFactorRequired(user, config), recoveryCodesLeft: left };
}

export interface Enrolment {
  /** The secret as authenticator apps take it typed in: base32, in groups of four. */
  secretText: string;
  /** The same as an otpauth:// URI, for apps that open links or scan it. */
  uri: string;
}

function enrolmentOf(user: User, secret: Uint8Array): Enrolment {
  const base32 = encodeBase32UpperCaseNoPadding(secret);
  return {
    secretText: base32.replace(/(.{4})(?=.)/g, "$1 "),
    uri: createTOTPKeyURI(ISSUER, user.email ?? user.displayName, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS),
  };
}

/**
 * The secret being enrolled: the one already shown if the person has not confirmed it yet
 * (reloading the page shows the same one), or a new one. Null when a factor is confirmed.
 */
export function enrolmentFor(db: Db, config: FactorConfig, user: User, { fresh = false } = {}): Enrolment | null {
  if (!mayUseSecondFactor(user)) return null;
  const key = twoFactorKey(db, config);
  return immediate(db, () => {
    const row = factorRow(db, user.id);
    if (row?.confirmedAt) return null;
    if (row && !fresh) return enrolmentOf(user, decryptSecret(key, row.secretCipher, user.id));
    const secret = new Uint8Array(20);
    crypto.getRandomValues(secret);
    const secretCipher = encryptSecret(key, secret, user.id);
    db.insert(twoFactors)
      .values({ userId: user.id, secretCipher, confirmedAt: null, lastUsedStep: null })
      .onConflictDoUpdate({ target: twoFactors.userId, set: { secretCipher, confirmedAt: null, lastUsedStep: null } })
      .run();
    return enrolmentOf(user, secret);
  });
}

/** Which step `code` belongs to, among those around now, or null. */
function matchingStep(secret: Uint8Array, code: string, now: Date): number | null {
  const current = stepAt(now);
  const given = new TextEncoder().encode(code);
  let found: number | null = null;
  for (let step = current - STEP_WINDOW; step <= current + STEP_WINDOW; step++) {
    const expected = new TextEncoder().encode(generateHOTP(secret, BigInt(step), TOTP_DIGITS));
    if (constantTimeEqual(expected, given) && found === null) found = step;
  }
  return found;
}

const normaliseCode = (code: string) => code.normalize("NFKC").replace(/[\s-]/g, "").toLowerCase();
const isTotpShape = (code: string) => new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code);
const isRecoveryShape = (code: string) => /^[a-z2-7]{10}$/.test(code);

/**
 * Checks a code typed by the owner: a TOTP code of a step later than the last one accepted
 * (so a code seen over a shoulder cannot be replayed in its window), or an unused recovery code.
 * Wrong codes grow a per-account delay (1 s, 2 s, 4 s … up to 15 minutes after the free ones).
 * The wait, `spend` (a sign-in's attempt) and the verdict share one write transaction, so
 * servers sharing the database cannot try codes side by side past either limit. Returns which
 * kind of code it was; a wrong one is refused (400 on `code`, with `seconds` once a delay has
 * grown), a wait that holds is 429.
 */
function checkCode(
  db: Db,
  config: FactorConfig,
  userId: number,
  input: unknown,
  { allowRecovery, now, spend }: { allowRecovery: boolean; now: Date; spend?: () => boolean },
): "totp" | "recovery" {
  const code = typeof input === "string" ? normaliseCode(input.slice(0, 64)) : "";
  if (!code) throw new DomainError(400, "errors.required", {}, "code");
  const verdict = immediate(db, (): "totp" | "recovery" | DomainError => {
    const blocked = readRateLimit(db, rateKey(userId), { limit: 1, windowSeconds: 1 }, now).blockedSeconds;
    if (blocked > 0) return tooManyAttempts(blocked);
    const accepted = spend && !spend() ? null : acceptCode(db, config, userId, code, allowRecovery, now);
    if (!accepted) {
      const delay = recordFailure(db, rateKey(userId), getSetting(db, "twoFactorFreeFailures"), now);
      return new DomainError(400, "twoFactor.codeWrong", delay > 0 ? { seconds: delay } : {}, "code");
    }
    clearFailures(db, rateKey(userId));
    return accepted;
  });
  // Thrown once the transaction has committed: the failure (and the attempt spent) it recorded stay written.
  if (verdict instanceof DomainError) throw verdict;
  return verdict;
}

/** Marks the code used when it is good; inside checkCode's transaction. */
function acceptCode(db: Db, config: FactorConfig, userId: number, code: string, allowRecovery: boolean, now: Date): "totp" | "recovery" | null {
  const row = factorRow(db, userId);
  if (!row) return null;
  if (isTotpShape(code)) {
    const step = matchingStep(decryptSecret(twoFactorKey(db, config), row.secretCipher, userId), code, now);
    if (step === null || (row.lastUsedStep !== null && step <= row.lastUsedStep)) return null;
    db.update(twoFactors).set({ lastUsedStep: step }).where(eq(twoFactors.userId, userId)).run();
    return "totp";
  }
  if (allowRecovery && isRecoveryShape(code)) {
    const used = db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, sha256Hex(code)), isNull(recoveryCodes.usedAt)))
      .run();
    return used.changes > 0 ? "recovery" : null;
  }
  return null;
}

function newRecoveryCodes(db: Db, userId: number, now: Date): string[] {
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  const codes: string[] = [];
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    const code = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10); // 50 bits
    codes.push(code);
    db.insert(recoveryCodes)
      .values({ userId, codeHash: sha256Hex(code), createdAt: now })
      .run();
  }
  return codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
}

/** The first code from the person's app confirms the factor; the ten recovery codes are shown this once. */
export function confirmEnrolment(db: Db, config: FactorConfig, user: User, code: unknown, now = new Date()): { recoveryCodes: string[] } {
  const row = factorRow(db, user.id);
  if (!row || row.confirmedAt || !mayUseSecondFactor(user)) throw new DomainError(400, "twoFactor.noEnrolment");
  checkCode(db, config, user.id, code, { allowRecovery: false, now });
  const codes = immediate(db, () => {
    db.update(twoFactors).set({ confirmedAt: now }).where(eq(twoFactors.userId, user.id)).run();
    queueAccountNotice(db, user, "twoFactorEnabled", now);
    return newRecoveryCodes(db, user.id, now);
  });
  return { recoveryCodes: codes };
}

/** Ten fresh recovery codes for the old ones (used up or lost), against a code from the app. */
export function renewRecoveryCodes(db: Db, config: FactorConfig, user: User, code: unknown, now = new Date()): { recoveryCodes: string[] } {
  if (!hasSecondFactor(db, user.id)) throw new DomainError(400, "twoFactor.notEnabled");
  checkCode(db, config, user.id, code, { allowRecovery: false, now });
  return { recoveryCodes: immediate(db, () => newRecoveryCodes(db, user.id, now)) };
}

/**
 * Turning the factor off takes the password and a current code (or a recovery code), so a
 * session left open on a shared computer cannot do it; an admin of a real deployment cannot.
 */
export async function disableSecondFactor(
  db: Db,
  config: FactorConfig,
  user: User,
  input: { password: unknown; code: unknown },
  now = new Date(),
): Promise<void> {
  if (secondFactorRequired(user, config)) throw new DomainError(403, "twoFactor.requiredForAdmins");
  if (!hasSecondFactor(db, user.id)) throw new DomainError(400, "twoFactor.notEnabled");
  const password = typeof input.password === "string" ? input.password : "";
  const code = typeof input.code === "string" ? input.code : "";
  const missing = [...(password ? [] : ["password"]), ...(code.trim() ? [] : ["code"])];
  if (missing.length)
    throw DomainError.fields(
      400,
      missing.map((field) => ({ field, key: "errors.required" })),
    );
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password.slice(0, 1024)))) {
    throw new DomainError(400, "errors.passwordWrong", {}, "password");
  }
  checkCode(db, config, user.id, code, { allowRecovery: true, now });
  immediate(db, () => {
    removeFactor(db, user.id);
    queueAccountNotice(db, user, "twoFactorDisabled", now);
  });
}

/** Removes the factor, its recovery codes and any half sign-in (erasure, reset, turning it off). */
export function removeFactor(db: Db, userId: number) {
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  db.delete(twoFactors).where(eq(twoFactors.userId, userId)).run();
  db.delete(signInChallenges).where(eq(signInChallenges.userId, userId)).run();
}

export type ResetOutcome = { user: User; hadFactor: boolean } | null;

/**
 * `npm run user:reset-2fa`: an operator removes a lost factor. Every session of the account
 * ends (the phone may have been stolen with a session on it), the owner is told by e-mail,
 * and the moderation log records it. An account without a confirmed factor is left as it is
 * (an enrolment it had not finished is dropped). Null when there is no such account.
 */
export function resetSecondFactor(db: Db, email: string, now = new Date()): ResetOutcome {
  const address = normalizeEmail(email);
  if (!address) return null;
  const user = db
    .select()
    .from(users)
    .where(and(eq(users.email, address), isNull(users.deletedAt)))
    .get();
  if (!user) return null;
  return immediate(db, () => {
    const hadFactor = hasSecondFactor(db, user.id);
    removeFactor(db, user.id);
    if (!hadFactor) return { user, hadFactor };
    invalidateUserSessions(db, user.id);
    clearFailures(db, rateKey(user.id));
    logAction(db, null, "two_factor_reset", { type: "user", id: user.id }, null, null, now);
    queueAccountNotice(db, user, "twoFactorReset", now);
    return { user, hadFactor };
  });
}

/* ---- The second step of signing in ---- */

function randomToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Half a sign-in, after the right password: a token for its own cookie, worth only the code form. */
export function startSignInChallenge(db: Db, userId: number, now = new Date()): { token: string; expiresAt: Date } {
  const id = randomToken();
  const secret = randomToken();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  db.delete(signInChallenges).where(lte(signInChallenges.expiresAt, now)).run();
  db.insert(signInChallenges)
    .values({ id, secretHash: sha256Hex(secret), userId, createdAt: now, expiresAt })
    .run();
  return { token: `${id}.${secret}`, expiresAt };
}

function readChallenge(db: Db, token: string | null, now: Date) {
  const [id, secret, extra] = (token ?? "").split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const row = db.select().from(signInChallenges).where(eq(signInChallenges.id, id)).get();
  if (!row) return null;
  if (!constantTimeEqual(new TextEncoder().encode(row.secretHash), new TextEncoder().encode(sha256Hex(secret)))) return null;
  if (row.expiresAt.getTime() <= now.getTime() || row.attempts >= CHALLENGE_MAX_ATTEMPTS) return null;
  return row;
}

/** Whether the browser's half sign-in is still good (the code page shows its form, or sends it back to the password). */
export function challengeIsValid(db: Db, token: string | null, now = new Date()): boolean {
  return readChallenge(db, token, now) !== null;
}

/**
 * The code (or a recovery code) after the password: a session on success, the challenge used up.
 * A half sign-in that is gone (expired, used up, forged) is refused with 410: start again.
 */
export function completeSignIn(
  db: Db,
  config: FactorConfig,
  challengeToken: string | null,
  code: unknown,
  now = new Date(),
): { user: User; token: string; expiresAt: Date } {
  const challenge = readChallenge(db, challengeToken, now);
  if (!challenge) throw new DomainError(410, "twoFactor.challengeExpired");
  // Every code that is looked at spends one of the challenge's attempts (an empty form or a wait does not).
  const spend = () =>
    db
      .update(signInChallenges)
      .set({ attempts: sql`${signInChallenges.attempts} + 1` })
      .where(and(eq(signInChallenges.id, challenge.id), lt(signInChallenges.attempts, CHALLENGE_MAX_ATTEMPTS)))
      .run().changes > 0;
  checkCode(db, config, challenge.userId, code, { allowRecovery: true, now, spend });
  return immediate(db, () => {
    db.delete(signInChallenges).where(eq(signInChallenges.userId, challenge.userId)).run();
    const user = db.select().from(users).where(eq(users.id, challenge.userId)).get()!;
    const session = createSession(db, user.id, now);
    return { user, ...session };
  });
}

export function challengeCookieName(config: Pick<AppConfig, "secureCookies">) {
  return config.secureCookies ? "__Host-rembug_signin" : "rembug_signin";
}

export function challengeCookie(config: Pick<AppConfig, "secureCookies">, token: string | null, expiresAt?: Date): string {
  const parts = [`${challengeCookieName(config)}=${token ?? ""}`, "HttpOnly", "SameSite=Lax", "Path=/"];
  parts.push(token && expiresAt ? `Expires=${expiresAt.toUTCString()}` : "Max-Age=0");
  if (config.secureCookies) parts.push("Secure");
  return parts.join("; ");
}
