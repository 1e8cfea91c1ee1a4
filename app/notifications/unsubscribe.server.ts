import { and, eq, isNull } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import { DomainError } from "~/domain-error";
import { mailTokenSecret, signatureMatches, signMessage } from "./mail-secret.server";
import { setEmailMode, getEmailMode } from "./email-preferences.server";

/**
 * One-click unsubscribe links (RFC 8058): `<user id>-<HMAC>`, so a link works without signing in
 * and cannot be made for another account. The link never expires; it only ever turns mail off.
 */
export async function unsubscribeToken(db: AppDb, userId: number): Promise<string> {
  return `${userId}-${signMessage(await mailTokenSecret(db), `unsubscribe:${userId}`)}`;
}

/** The account a well-formed, correctly signed token belongs to, or null. */
export async function readUnsubscribeToken(db: AppDb, token: string): Promise<number | null> {
  const match = /^([1-9]\d{0,11})-([0-9a-f]{32})$/.exec(token);
  if (!match) return null;
  const userId = Number(match[1]);
  if (!signatureMatches(await mailTokenSecret(db), `unsubscribe:${userId}`, match[2]!)) return null;
  const { users } = tables(db);
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  return user ? user.id : null;
}

/**
 * Turns notification e-mail off for the token's account and says whether it was on. Doing it
 * twice is harmless. A token that is not a good one is refused (400, the "invalid link" message).
 */
export async function unsubscribeByToken(db: AppDb, token: string, now = new Date()): Promise<{ wasSubscribed: boolean }> {
  const userId = await readUnsubscribeToken(db, token);
  if (userId === null) throw new DomainError(400, "links.invalid.body", { link: "invalid" });
  const before = await getEmailMode(db, userId);
  if (before !== "none") await setEmailMode(db, userId, "none", now);
  return { wasSubscribed: before !== "none" };
}
