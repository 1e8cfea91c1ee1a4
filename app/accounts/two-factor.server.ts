import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { and, eq, isNull, lt, lte, sql } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { User } from "~db/schema";
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

/** The person's factor row; `lock` takes it FOR UPDATE (inside a write transaction that changes it). */
async function factorRow(db: AppDb, userId: number, { lock = false } = {}) {
  const { twoFactors } = tables(db);
  const query = db.select().from(twoFactors).where(eq(twoFactors.userId, userId)).limit(1);
  const [row] = await (lock ? forUpdate(query) : query);
  return row;
}

export async function hasSecondFactor(db: AppDb, userId: number): Promise<boolean> {
  return Boolean((await factorRow(db, userId))?.confirmedAt);
}

/** An admin of a real deployment without a confirmed factor may do nothing but enrol (a query only for such an admin). */
export async function mustEnrolFirst(db: AppDb, user: User, config: FactorConfig): Promise<boolean> {
  return secondFactorRequired(user, config) && !(await hasSecondFactor(db, user.id));
}

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(db: AppDb, user: User, config: FactorConfig): Promise<TwoFactorStatus> {
  const { recoveryCodes } = tables(db);
  const enabled = await hasSecondFactor(db, user.id);
  const left = enabled
    ? (
        await db
          .select({ id: recoveryCodes.id })
          .from(recoveryCodes)
          .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
      ).length
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
export async function enrolmentFor(db: AppDb, config: FactorConfig, user: User, { fresh = false } = {}): Promise<Enrolment | null> {
  if (!mayUseSecondFactor(user)) return null;
  const key = await twoFactorKey(db, config);
  // Serializable: where there is no row yet, no lock covers its absence (two tabs enrolling at once show one secret).
  return withWriteTx(
    db,
    async (tx) => {
      const { twoFactors } = tables(tx);
      const row = await factorRow(tx, user.id, { lock: true });
      if (row?.confirmedAt) return null;
      if (row && !fresh) return enrolmentOf(user, decryptSecret(key, row.secretCipher, user.id));
      const secret = new Uint8Array(20);
      crypto.getRandomValues(secret);
      const secretCipher = encryptSecret(key, secret, user.id);
      await tx
        .insert(twoFactors)
        .values({ userId: user.id, secretCipher, confirmedAt: null, lastUsedStep: null })
        .onConflictDoUpdate({ target: twoFactors.userId, set: { secretCipher, confirmedAt: null, lastUsedStep: null } });
      return enrolmentOf(user, secret);
    },
    { serializable: true },
  );
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
 * servers sharing the database cannot try codes side by side past either limit (serializable on
 * PostgreSQL, the factor's row locked while its last step moves). Returns which
 * kind of code it was; a wrong one is refused (400 on `code`, with `seconds` once a delay has
 * grown), a wait that holds is 429.
 */
async function checkCode(
  db: AppDb,
  config: FactorConfig,
  userId: number,
  input: unknown,
  { allowRecovery, now, spend }: { allowRecovery: boolean; now: Date; spend?: (tx: AppDb) => Promise<boolean> },
): Promise<"totp" | "recovery"> {
  const code = typeof input === "string" ? normaliseCode(input.slice(0, 64)) : "";
  if (!code) throw new DomainError(400, "errors.required", {}, "code");
  const freeFailures = await getSetting(db, "twoFactorFreeFailures");
  const verdict = await withWriteTx(
    db,
    async (tx): Promise<"totp" | "recovery" | DomainError> => {
      const blocked = (await readRateLimit(tx, rateKey(userId), { limit: 1, windowSeconds: 1 }, now)).blockedSeconds;
      if (blocked > 0) return tooManyAttempts(blocked);
      const accepted = spend && !(await spend(tx)) ? null : await acceptCode(tx, config, userId, code, allowRecovery, now);
      if (!accepted) {
        const delay = await recordFailure(tx, rateKey(userId), freeFailures, now);
        return new DomainError(400, "twoFactor.codeWrong", delay > 0 ? { seconds: delay } : {}, "code");
      }
      await clearFailures(tx, rateKey(userId));
      return accepted;
    },
    { serializable: true },
  );
  // Thrown once the transaction has committed: the failure (and the attempt spent) it recorded stay written.
  if (verdict instanceof DomainError) throw verdict;
  return verdict;
}

/** Marks the code used when it is good; inside checkCode's transaction (`tx`), the factor's row locked. */
async function acceptCode(
  tx: AppDb,
  config: FactorConfig,
  userId: number,
  code: string,
  allowRecovery: boolean,
  now: Date,
): Promise<"totp" | "recovery" | null> {
  const { recoveryCodes, twoFactors } = tables(tx);
  const row = await factorRow(tx, userId, { lock: true });
  if (!row) return null;
  if (isTotpShape(code)) {
    const step = matchingStep(decryptSecret(await twoFactorKey(tx, config), row.secretCipher, userId), code, now);
    if (step === null || (row.lastUsedStep !== null && step <= row.lastUsedStep)) return null;
    await tx.update(twoFactors).set({ lastUsedStep: step }).where(eq(twoFactors.userId, userId));
    return "totp";
  }
  if (allowRecovery && isRecoveryShape(code)) {
    const used = await tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, sha256Hex(code)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    return used.length > 0 ? "recovery" : null;
  }
  return null;
}

/** Ten new recovery codes in place of the old ones; in the caller's transaction when handed one. */
async function newRecoveryCodes(db: AppDb, userId: number, now: Date): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    codes.push(encodeBase32LowerCaseNoPadding(bytes).slice(0, 10)); // 50 bits
  }
  await withWriteTx(db, async (tx) => {
    const { recoveryCodes } = tables(tx);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    for (const code of codes) await tx.insert(recoveryCodes).values({ userId, codeHash: sha256Hex(code), createdAt: now });
  });
  return codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
}

/** The first code from the person's app confirms the factor; the ten recovery codes are shown this once. */
export async function confirmEnrolment(db: AppDb, config: FactorConfig, user: User, code: unknown, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  const row = await factorRow(db, user.id);
  if (!row || row.confirmedAt || !mayUseSecondFactor(user)) throw new DomainError(400, "twoFactor.noEnrolment");
  await checkCode(db, config, user.id, code, { allowRecovery: false, now });
  const codes = await withWriteTx(db, async (tx) => {
    const { twoFactors } = tables(tx);
    await tx.update(twoFactors).set({ confirmedAt: now }).where(eq(twoFactors.userId, user.id));
    await queueAccountNotice(tx, user, "twoFactorEnabled", now);
    return newRecoveryCodes(tx, user.id, now);
  });
  return { recoveryCodes: codes };
}

/** Ten fresh recovery codes for the old ones (used up or lost), against a code from the app. */
export async function renewRecoveryCodes(db: AppDb, config: FactorConfig, user: User, code: unknown, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasSecondFactor(db, user.id))) throw new DomainError(400, "twoFactor.notEnabled");
  await checkCode(db, config, user.id, code, { allowRecovery: false, now });
  return { recoveryCodes: await newRecoveryCodes(db, user.id, now) };
}

/**
 * Turning the factor off takes the password and a current code (or a recovery code), so a
 * session left open on a shared computer cannot do it; an admin of a real deployment cannot.
 */
export async function disableSecondFactor(
  db: AppDb,
  config: FactorConfig,
  user: User,
  input: { password: unknown; code: unknown },
  now = new Date(),
): Promise<void> {
  if (secondFactorRequired(user, config)) throw new DomainError(403, "twoFactor.requiredForAdmins");
  if (!(await hasSecondFactor(db, user.id))) throw new DomainError(400, "twoFactor.notEnabled");
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
  await checkCode(db, config, user.id, code, { allowRecovery: true, now });
  await withWriteTx(db, async (tx) => {
    await removeFactor(tx, user.id);
    await queueAccountNotice(tx, user, "twoFactorDisabled", now);
  });
}

/** Removes the factor, its recovery codes and any half sign-in (erasure, reset, turning it off); in the caller's transaction when handed one. */
export async function removeFactor(db: AppDb, userId: number): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { recoveryCodes, signInChallenges, twoFactors } = tables(tx);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(twoFactors).where(eq(twoFactors.userId, userId));
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
  });
}

export type ResetOutcome = { user: User; hadFactor: boolean } | null;

/**
 * `npm run user:reset-2fa`: an operator removes a lost factor. Every session of the account
 * ends (the phone may have been stolen with a session on it), the owner is told by e-mail,
 * and the moderation log records it. An account without a confirmed factor is left as it is
 * (an enrolment it had not finished is dropped). Null when there is no such account.
 */
export async function resetSecondFactor(db: AppDb, email: string, now = new Date()): Promise<ResetOutcome> {
  const address = normalizeEmail(email);
  if (!address) return null;
  const { users } = tables(db);
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, address), isNull(users.deletedAt)))
    .limit(1);
  if (!user) return null;
  return withWriteTx(db, async (tx) => {
    const hadFactor = Boolean((await factorRow(tx, user.id, { lock: true }))?.confirmedAt);
    await removeFactor(tx, user.id);
    if (!hadFactor) return { user, hadFactor };
    await invalidateUserSessions(tx, user.id);
    await clearFailures(tx, rateKey(user.id));
    await logAction(tx, null, "two_factor_reset", { type: "user", id: user.id }, null, null, now);
    await queueAccountNotice(tx, user, "twoFactorReset", now);
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
export async function startSignInChallenge(db: AppDb, userId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const id = randomToken();
  const secret = randomToken();
  const secretHash = sha256Hex(secret);
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await withWriteTx(db, async (tx) => {
    const { signInChallenges } = tables(tx);
    await tx.delete(signInChallenges).where(lte(signInChallenges.expiresAt, now));
    await tx.insert(signInChallenges).values({ id, secretHash, userId, createdAt: now, expiresAt });
  });
  return { token: `${id}.${secret}`, expiresAt };
}

async function readChallenge(db: AppDb, token: string | null, now: Date) {
  const [id, secret, extra] = (token ?? "").split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const { signInChallenges } = tables(db);
  const [row] = await db.select().from(signInChallenges).where(eq(signInChallenges.id, id)).limit(1);
  if (!row) return null;
  if (!constantTimeEqual(new TextEncoder().encode(row.secretHash), new TextEncoder().encode(sha256Hex(secret)))) return null;
  if (row.expiresAt.getTime() <= now.getTime() || row.attempts >= CHALLENGE_MAX_ATTEMPTS) return null;
  return row;
}

/** Whether the browser's half sign-in is still good (the code page shows its form, or sends it back to the password). */
export async function challengeIsValid(db: AppDb, token: string | null, now = new Date()): Promise<boolean> {
  return (await readChallenge(db, token, now)) !== null;
}

/**
 * The code (or a recovery code) after the password: a session on success, the challenge used up.
 * A half sign-in that is gone (expired, used up, forged) is refused with 410: start again.
 */
export async function completeSignIn(
  db: AppDb,
  config: FactorConfig,
  challengeToken: string | null,
  code: unknown,
  now = new Date(),
): Promise<{ user: User; token: string; expiresAt: Date }> {
  const challenge = await readChallenge(db, challengeToken, now);
  if (!challenge) throw new DomainError(410, "twoFactor.challengeExpired");
  // Every code that is looked at spends one of the challenge's attempts (an empty form or a wait does not).
  const spend = async (tx: AppDb) => {
    const { signInChallenges } = tables(tx);
    const spent = await tx
      .update(signInChallenges)
      .set({ attempts: sql`${signInChallenges.attempts} + 1` })
      .where(and(eq(signInChallenges.id, challenge.id), lt(signInChallenges.attempts, CHALLENGE_MAX_ATTEMPTS)))
      .returning({ id: signInChallenges.id });
    return spent.length > 0;
  };
  await checkCode(db, config, challenge.userId, code, { allowRecovery: true, now, spend });
  return withWriteTx(db, async (tx) => {
    const { signInChallenges, users } = tables(tx);
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, challenge.userId));
    const [user] = await tx.select().from(users).where(eq(users.id, challenge.userId)).limit(1);
    const session = await createSession(tx, user!.id, now);
    return { user: user!, ...session };
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
