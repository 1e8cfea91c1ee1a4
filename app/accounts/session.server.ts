import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { sessions, users, type User } from "~db/schema";
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

export function createSession(db: Db, userId: number, now = new Date()): { token: string; expiresAt: Date } {
  const id = randomToken();
  const secret = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
  db.insert(sessions)
    .values({ id, secretHash: hashSecret(secret), userId, createdAt: now, lastVerifiedAt: now, expiresAt })
    .run();
  return { token: `${id}.${secret}`, expiresAt };
}

export interface ValidSession {
  sessionId: string;
  user: User;
  expiresAt: Date;
  /** True when the expiry moved and the cookie should be sent again. */
  refreshed: boolean;
}

export function validateSessionToken(db: Db, token: string, now = new Date()): ValidSession | null {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].length > 64 || parts[1].length > 64) return null;
  const [id, secret] = parts;
  const row = db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id)).get();
  if (!row) return null;
  const expected = new TextEncoder().encode(row.session.secretHash);
  const given = new TextEncoder().encode(hashSecret(secret));
  if (!constantTimeEqual(expected, given)) return null;
  const nowMs = now.getTime();
  const { session } = row;
  if (nowMs >= session.expiresAt.getTime() || nowMs - session.createdAt.getTime() >= SESSION_ABSOLUTE_MS || row.user.deletedAt) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  let expiresAt = session.expiresAt;
  let refreshed = false;
  if (nowMs - session.lastVerifiedAt.getTime() >= SESSION_REFRESH_MS) {
    expiresAt = new Date(Math.min(nowMs + SESSION_INACTIVITY_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_MS));
    db.update(sessions).set({ lastVerifiedAt: now, expiresAt }).where(eq(sessions.id, id)).run();
    refreshed = true;
  }
  return { sessionId: id, user: row.user, expiresAt, refreshed };
}

export function invalidateSession(db: Db, sessionId: string) {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Db, userId: number) {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
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
