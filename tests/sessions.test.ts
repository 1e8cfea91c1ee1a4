import { beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { sessions, users } from "~db/schema";
import { rows, withWriteTx, type AppDb } from "~db/engine";
import {
  blankSessionCookie,
  createSession,
  invalidateSession,
  invalidateUserSessions,
  sessionCookie,
  sessionCookieName,
  SESSION_ABSOLUTE_MS,
  SESSION_INACTIVITY_MS,
  validateSessionToken,
} from "~/accounts/session.server";
import { readCookie } from "~/http/cookies.server";
import { freshDatabase } from "./support/db";
import { makeUser } from "./support/factories";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

const sessionRow = async (id: string) => (await db.select().from(sessions).where(eq(sessions.id, id)).limit(1))[0];

describe("session tokens", () => {
  it("has the form <id>.<secret>, both random and at least 120 bits", async () => {
    const user = await makeUser(db);
    const a = (await createSession(db, user.id)).token;
    const b = (await createSession(db, user.id)).token;
    for (const token of [a, b]) {
      expect(token).toMatch(/^[a-z2-7]{24,}\.[a-z2-7]{24,}$/); // base32: 24 chars = 120 bits
    }
    expect(a.split(".")[0]).not.toBe(b.split(".")[0]);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
    expect(a.split(".")[0]).not.toBe(a.split(".")[1]);
  });

  it("stores only the SHA-256 hex of the secret; no column holds the secret", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    const [id, secret] = token.split(".") as [string, string];
    const [raw] = await rows<Record<string, unknown>>(db, sql`select * from sessions where id = ${id}`);
    expect(raw!.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    for (const value of Object.values(raw!)) {
      expect(String(value)).not.toContain(secret);
    }
  });

  it("accepts its own token and returns the user", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    const valid = await validateSessionToken(db, token);
    expect(valid?.user.id).toBe(user.id);
    expect(valid?.sessionId).toBe(token.split(".")[0]);
  });

  it("refuses a token whose id is valid but whose secret is wrong", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    const [id, secret] = token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    expect(await validateSessionToken(db, `${id}.${flipped}`)).toBeNull();
    expect(await validateSessionToken(db, `${id}.${"a".repeat(secret.length)}`)).toBeNull();
    // The stored hash itself is not a secret that opens the session.
    expect(await validateSessionToken(db, `${id}.${(await sessionRow(id))!.secretHash}`)).toBeNull();
    expect((await validateSessionToken(db, token))?.user.id).toBe(user.id);
  });

  it.each([
    ["empty", ""],
    ["no dot", "abcdefabcdefabcdefabcdef"],
    ["three parts", "a.b.c"],
    ["empty id", ".secret"],
    ["empty secret", "id."],
    ["a dot only", "."],
    ["an overlong part", `${"a".repeat(65)}.${"b".repeat(32)}`],
  ])("refuses a malformed token (%s)", async (_label, token) => {
    expect(await validateSessionToken(db, token)).toBeNull();
  });

  it("refuses a token whose id does not exist", async () => {
    expect(await validateSessionToken(db, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")).toBeNull();
  });
});

describe("session expiry and refresh", () => {
  const start = new Date("2026-01-10T00:00:00Z");

  it("expires after 30 days without activity and removes the row", async () => {
    const user = await makeUser(db);
    const { token, expiresAt } = await createSession(db, user.id, start);
    expect(expiresAt.getTime()).toBe(start.getTime() + 30 * DAY);
    expect(SESSION_INACTIVITY_MS).toBe(30 * DAY);
    expect(await validateSessionToken(db, token, new Date(start.getTime() + 30 * DAY - 1000))).not.toBeNull();

    const other = await createSession(db, user.id, start);
    expect(await validateSessionToken(db, other.token, new Date(start.getTime() + 30 * DAY))).toBeNull();
    expect(await sessionRow(other.token.split(".")[0]!)).toBeUndefined();
  });

  it("moves the expiry and reports refreshed when validated more than an hour after the last check", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id, start);
    const later = new Date(start.getTime() + HOUR + 60_000);
    const valid = await validateSessionToken(db, token, later);
    expect(valid?.refreshed).toBe(true);
    expect(valid?.expiresAt.getTime()).toBe(later.getTime() + 30 * DAY);
    const row = (await sessionRow(token.split(".")[0]!))!;
    expect(row.expiresAt.getTime()).toBe(later.getTime() + 30 * DAY);
    expect(row.lastVerifiedAt.getTime()).toBe(later.getTime());
  });

  it("does not touch the expiry when validated less than an hour after the last check", async () => {
    const user = await makeUser(db);
    const { token, expiresAt } = await createSession(db, user.id, start);
    const valid = await validateSessionToken(db, token, new Date(start.getTime() + HOUR - 60_000));
    expect(valid?.refreshed).toBe(false);
    expect(valid?.expiresAt.getTime()).toBe(expiresAt.getTime());
    const row = (await sessionRow(token.split(".")[0]!))!;
    expect(row.expiresAt.getTime()).toBe(expiresAt.getTime());
    expect(row.lastVerifiedAt.getTime()).toBe(start.getTime());
  });

  it("keeps an active session alive past 30 days from its creation", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id, start);
    for (let day = 20; day <= 100; day += 20) {
      expect(await validateSessionToken(db, token, new Date(start.getTime() + day * DAY)), `day ${day}`).not.toBeNull();
    }
  });

  it("ends a session 180 days after creation even with daily activity", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id, start);
    expect(SESSION_ABSOLUTE_MS).toBe(180 * DAY);
    let last = null;
    for (let day = 1; day < 180; day++) {
      last = await validateSessionToken(db, token, new Date(start.getTime() + day * DAY));
      expect(last, `day ${day}`).not.toBeNull();
    }
    // The refreshed expiry never reaches past the absolute lifetime.
    expect(last!.expiresAt.getTime()).toBe(start.getTime() + 180 * DAY);
    expect(await validateSessionToken(db, token, new Date(start.getTime() + 180 * DAY))).toBeNull();
    expect(await sessionRow(token.split(".")[0]!)).toBeUndefined();
  });
});

describe("ending sessions", () => {
  it("invalidateSession ends that session only", async () => {
    const user = await makeUser(db);
    const a = (await createSession(db, user.id)).token;
    const b = (await createSession(db, user.id)).token;
    await invalidateSession(db, a.split(".")[0]!);
    expect(await validateSessionToken(db, a)).toBeNull();
    expect((await validateSessionToken(db, b))?.user.id).toBe(user.id);
  });

  it("invalidateUserSessions ends every session of that user and no one else's", async () => {
    const user = await makeUser(db);
    const other = await makeUser(db);
    const mine = [(await createSession(db, user.id)).token, (await createSession(db, user.id)).token];
    const theirs = (await createSession(db, other.id)).token;
    await invalidateUserSessions(db, user.id);
    for (const token of mine) expect(await validateSessionToken(db, token)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect((await validateSessionToken(db, theirs))?.user.id).toBe(other.id);
  });

  it("refuses the session of a deleted user", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    expect(await validateSessionToken(db, token)).not.toBeNull();
    await withWriteTx(db, async (tx) => {
      await tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, user.id));
    });
    expect(await validateSessionToken(db, token)).toBeNull();
  });

  it("keeps a suspended user signed in", async () => {
    const user = await makeUser(db, { suspendedUntil: new Date(Date.now() + 7 * DAY) });
    const { token } = await createSession(db, user.id);
    expect((await validateSessionToken(db, token))?.user.id).toBe(user.id);
  });
});

describe("session cookies", () => {
  const expires = new Date("2026-02-01T00:00:00Z");
  const attrs = (cookie: string) => cookie.split("; ").slice(1);

  it("is HttpOnly, SameSite=Lax, Path=/ without Secure or __Host- in development", () => {
    const cookie = sessionCookie({ secureCookies: false }, "abc.def", expires);
    expect(cookie.startsWith("rembug_session=abc.def; ")).toBe(true);
    expect(attrs(cookie)).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", `Expires=${expires.toUTCString()}`]));
    expect(attrs(cookie)).not.toContain("Secure");
    expect(cookie).not.toContain("__Host-");
    expect(sessionCookieName({ secureCookies: false })).toBe("rembug_session");
  });

  it("adds Secure and the __Host- prefix with secure cookies, and no Domain", () => {
    const cookie = sessionCookie({ secureCookies: true }, "abc.def", expires);
    expect(cookie.startsWith("__Host-rembug_session=abc.def; ")).toBe(true);
    expect(attrs(cookie)).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Secure"]));
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("blanks the cookie with Max-Age=0 and the same attributes", () => {
    for (const secureCookies of [false, true]) {
      const cookie = blankSessionCookie({ secureCookies });
      expect(cookie.startsWith(`${sessionCookieName({ secureCookies })}=; `)).toBe(true);
      expect(attrs(cookie)).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"]));
      expect(attrs(cookie).includes("Secure")).toBe(secureCookies);
    }
  });

  it("reads the session cookie back from a Cookie header among others", () => {
    const request = new Request("http://localhost/", { headers: { Cookie: "rembug_lng=en; rembug_session=abc.def; x=1" } });
    expect(readCookie(request, "rembug_session")).toBe("abc.def");
    expect(readCookie(request, "__Host-rembug_session")).toBeNull();
    expect(readCookie(new Request("http://localhost/"), "rembug_session")).toBeNull();
  });
});
