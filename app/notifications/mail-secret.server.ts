import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { settings } from "~db/schema";

/** Where the generated secret is kept; not one of the typed settings, so no admin form lists it. */
const SECRET_KEY = "secret.mailToken";

/**
 * The key that signs unsubscribe links: MAIL_TOKEN_SECRET when set, otherwise one generated on
 * first use and stored in the settings table, so links keep working across restarts and across
 * every process that shares the database.
 */
export function mailTokenSecret(db: Db, env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.MAIL_TOKEN_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const stored = db.select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).get();
  if (stored) return JSON.parse(stored.value) as string;
  // Two processes may race here: the first insert wins and both read it back.
  db.insert(settings)
    .values({ key: SECRET_KEY, value: JSON.stringify(randomBytes(32).toString("base64url")), updatedAt: new Date() })
    .onConflictDoNothing()
    .run();
  return JSON.parse(db.select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).get()!.value) as string;
}

/** A MAC of `message`, 128 bits in lower-case hex. */
export function signMessage(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message).digest("hex").slice(0, 32);
}

export function signatureMatches(secret: string, message: string, signature: string): boolean {
  const expected = Buffer.from(signMessage(secret, message));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
