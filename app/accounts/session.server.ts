import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import type { User } from "~db/schema";
import type { AppConfig } from "~/context";

/** Sessions follow Lucia's published design: `<id>.<secret>`, only a hash of the secret is stored. */
export const SESSION_INACTIVITY_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 180 * 24 * 60 * 60 * 1000;
export const SESSION_REFRESH_MS = 60 * 60 * 1000;

function randomToken(): string {
  const bytes = new Uint8Array(20); // 160 bits
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** A new session for `userId`; joins the caller's transaction when handed one (a password change, a completed sign-in). */
export async function createSession(db: AppDb, userId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const id = randomToken();
  const secret = randomToken();
  const secretHash = hashSecret(secret);
  const expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
  await withWriteTx(db, async (tx) => {
    const { sessions } = tables(tx);
    await tx.insert(sessions).values({ id, secretHash, userId, createdAt: now, lastVerifiedAt: now, expiresAt });
  });
  return { token: `${id}.${secret}`, expiresAt };
}

export interface ValidSession {
  sessionId: string;
  user: User;
  expiresAt: Date;
  /** True when the expiry moved and the cookie should be sent again. */
  refreshed: boolean;
}

/**
 * Runs on every request: one read (the session with its user) on the read handle; a write only
 * when the session has ended (it is deleted) or its expiry slides (at most once an hour).
 */
export async function validateSessionToken(db: AppDb, token: string, now = new Date()): Promise<ValidSession | null> {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].length > 64 || parts[1].length > 64) return null;
  const [id, secret] = parts;
  const { sessions, users } = tables(db);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  if (!row) return null;
  const expected = new TextEncoder().encode(row.session.secretHash);
  const given = new TextEncoder().encode(hashSecret(secret));
  if (!constantTimeEqual(expected, given)) return null;
  const nowMs = now.getTime();
  const { session } = row;
  if (nowMs >= session.expiresAt.getTime() || nowMs - session.createdAt.getTime() >= SESSION_ABSOLUTE_MS || row.user.deletedAt) {
    await invalidateSession(db, id);
    return null;
  }
  const refreshed = nowMs - session.lastVerifiedAt.getTime() >= SESSION_REFRESH_MS;
  const expiresAt = refreshed ? new Date(Math.min(nowMs + SESSION_INACTIVITY_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_MS)) : session.expiresAt;
  if (refreshed) {
    await withWriteTx(db, async (tx) => {
      const { sessions } = tables(tx);
      await tx.update(sessions).set({ lastVerifiedAt: now, expiresAt }).where(eq(sessions.id, id));
    });
  }
  return { sessionId: id, user: row.user, expiresAt, refreshed };
}

export async function invalidateSession(db: AppDb, sessionId: string): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { sessions } = tables(tx);
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
  });
}

/** Ends every session of `userId`; joins the caller's transaction when handed one. */
export async function invalidateUserSessions(db: AppDb, userId: number): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { sessions } = tables(tx);
    await tx.delete(sessions).where(eq(sessions.userId, userId));
  });
}

export function sessionCookieName(config: Pick<AppConfig, "secureCookies">) {
  return config.secureCookies ? "__Host-rembug_session" : "rembug_session";
}

export function sessionCookie(config: Pick<AppConfig, "secureCookies">, token: string, expiresAt: Date): string {
  const parts = [`${sessionCookieName(config)}=${token}`, "HttpOnly", "SameSite=Lax", "Path=/", `Expires=${expiresAt.toUTCString()}`];
  if (config.secureCookies) parts.push("Secure");
  return parts.join("; ");
}

export function blankSessionCookie(config: Pick<AppConfig, "secureCookies">): string {
  const parts = [`${sessionCookieName(config)}=`, "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"];
  if (config.secureCookies) parts.push("Secure");
  return parts.join("; ");
}
