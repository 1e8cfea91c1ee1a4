import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, isNull } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { EmailTokenPurpose, User } from "~db/schema";
import { DomainError } from "~/domain-error";

/**
 * Single-use links sent by e-mail. The token is `<id><secret>`: a 16-character id (80 bits) to
 * find the row and a 32-character secret (160 bits) of which only the SHA-256 is stored and
 * compared in constant time — as the sessions do. Letters a–z and digits 2–7 only, so it sits
 * in a URL path untouched.
 */
const ID_LENGTH = 16;
const SECRET_LENGTH = 32;
const TOKEN_PATTERN = new RegExp(`^[a-z2-7]{${ID_LENGTH + SECRET_LENGTH}}$`);

export const VERIFY_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

function random(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

const hashSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));

/** Creates a token for `userId`; the caller puts it in a link and never stores it. Joins the caller's transaction when handed one. */
export async function issueEmailToken(db: AppDb, userId: number, purpose: EmailTokenPurpose, ttlMs: number, now = new Date()): Promise<string> {
  const id = random(10);
  const secret = random(20);
  const secretHash = hashSecret(secret);
  await withWriteTx(db, async (tx) => {
    const { emailTokens } = tables(tx);
    await tx.insert(emailTokens).values({ id, userId, purpose, secretHash, expiresAt: new Date(now.getTime() + ttlMs), createdAt: now });
  });
  return id + secret;
}

export type LinkProblemStatus = "invalid" | "expired" | "used";
export type TokenCheck = { status: "valid"; tokenId: string; user: User } | { status: LinkProblemStatus };

/**
 * The refusal of an e-mailed link that cannot be used: 400 for one that never existed, 410 for
 * one that did (expired, used). `params.link` says which, for the page that explains it.
 */
export function linkRefusal(status: LinkProblemStatus): DomainError {
  return new DomainError(status === "invalid" ? 400 : 410, `links.${status}.body`, { link: status });
}

/**
 * What a token is worth now, without using it. Unknown, malformed and forged tokens are all
 * "invalid"; a real one is "used" or "expired" before it is "valid".
 */
export async function checkEmailToken(db: AppDb, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  return checkTokenRow(db, token, purpose, now, false);
}

/**
 * checkEmailToken's read; `lock` takes the token's and its user's rows FOR NO KEY UPDATE (inside
 * consumeEmailToken's transaction: both are changed there or by the change it authorises).
 */
async function checkTokenRow(db: AppDb, token: string, purpose: EmailTokenPurpose, now: Date, lock: boolean): Promise<TokenCheck> {
  if (typeof token !== "string" || !TOKEN_PATTERN.test(token)) return { status: "invalid" };
  const id = token.slice(0, ID_LENGTH);
  const secret = token.slice(ID_LENGTH);
  const { emailTokens, users } = tables(db);
  const query = db
    .select({ token: emailTokens, user: users })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(and(eq(emailTokens.id, id), eq(emailTokens.purpose, purpose)))
    .limit(1);
  const [row] = await (lock ? forUpdate(query, "no key update") : query);
  if (!row) return { status: "invalid" };
  const expected = new TextEncoder().encode(row.token.secretHash);
  const given = new TextEncoder().encode(hashSecret(secret));
  if (!constantTimeEqual(expected, given)) return { status: "invalid" };
  if (row.user.deletedAt) return { status: "invalid" };
  if (row.token.usedAt) return { status: "used" };
  if (row.token.expiresAt.getTime() <= now.getTime()) return { status: "expired" };
  return { status: "valid", tokenId: id, user: row.user };
}

/**
 * Uses a token: checks it and marks it (and every other unused token of the same purpose for that
 * user) used. Call inside the transaction of the change it authorises (pass its `tx`). The token's
 * row is locked as it is checked (on PostgreSQL; SQLite's writer is alone already), so a link used
 * twice at once is used once: the second reads it used.
 */
export async function consumeEmailToken(db: AppDb, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<TokenCheck> {
  return withWriteTx(db, async (tx) => {
    const check = await checkTokenRow(tx, token, purpose, now, true);
    if (check.status !== "valid") return check;
    const { emailTokens } = tables(tx);
    await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.userId, check.user.id), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
    return check;
  });
}
