import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";

/** Where the generated secret is kept; not one of the typed settings, so no admin form lists it. */
const SECRET_KEY = "secret.mailToken";

/**
 * The key that signs unsubscribe links: MAIL_TOKEN_SECRET when set, otherwise one generated on
 * first use and stored in the settings table, so links keep working across restarts and across
 * every process that shares the database.
 */
export async function mailTokenSecret(db: AppDb, env: Record<string, string | undefined> = process.env): Promise<string> {
  const fromEnv = env.MAIL_TOKEN_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const read = async (handle: AppDb) => {
    const { settings } = tables(handle);
    return (await handle.select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).limit(1))[0];
  };
  const stored = await read(db);
  if (stored) return JSON.parse(stored.value) as string;
  // Two processes may race here: the first insert wins and both read it back.
  const fresh = JSON.stringify(randomBytes(32).toString("base64url"));
  return withWriteTx(db, async (tx) => {
    const { settings } = tables(tx);
    await tx.insert(settings).values({ key: SECRET_KEY, value: fresh, updatedAt: new Date() }).onConflictDoNothing();
    return JSON.parse((await read(tx))!.value) as string;
  });
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
