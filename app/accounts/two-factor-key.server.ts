import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
import type { AppConfig } from "~/context";

/** Where a generated key is kept; not one of the typed settings, so no admin form lists it. */
const KEY_SETTING = "secret.twoFactorKey";

/** A real deployment (production, not the demo) must name its key; the demo may keep one in the database. */
export function twoFactorKeyRequired(config: Pick<AppConfig, "production" | "demo">): boolean {
  return config.production && !config.demo;
}

export class MissingTwoFactorKeyError extends Error {
  constructor() {
    super("TWO_FACTOR_KEY is required in production: 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)");
  }
}

/**
 * The key that encrypts TOTP secrets at rest. TWO_FACTOR_KEY (32 bytes, 64 hex digits or base64),
 * required in production so that a copy of the database alone (a backup, a stolen disk) does not
 * hold what it needs to read the secrets. In the demo and in development, when it is unset, a key
 * is generated on first use and kept in the settings table.
 */
export async function twoFactorKey(
  db: AppDb,
  config: Pick<AppConfig, "production" | "demo">,
  env: Record<string, string | undefined> = process.env,
): Promise<Buffer> {
  const fromEnv = env.TWO_FACTOR_KEY?.trim();
  if (fromEnv) return parseTwoFactorKey(fromEnv);
  if (twoFactorKeyRequired(config)) throw new MissingTwoFactorKeyError();
  const { settings } = tables(db);
  const read = async () => (await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY_SETTING)).limit(1))[0];
  if (!(await read())) {
    // Two processes may race here: the first insert wins and both read it back (committed, or in the caller's transaction).
    const value = JSON.stringify(randomBytes(32).toString("base64url"));
    await withWriteTx(db, async (tx) => {
      const t = tables(tx);
      await tx.insert(t.settings).values({ key: KEY_SETTING, value, updatedAt: new Date() }).onConflictDoNothing();
    });
  }
  return Buffer.from(JSON.parse((await read())!.value) as string, "base64url");
}

/** Reads TWO_FACTOR_KEY (Node's base64 decoder takes the URL-safe alphabet too); throws, without echoing it, unless it is 32 bytes. */
export function parseTwoFactorKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new Error("TWO_FACTOR_KEY must be 32 bytes, as 64 hex digits or base64");
  return key;
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each base64url. The user id is bound in as associated data. */
export function encryptSecret(key: Buffer, secret: Uint8Array, userId: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`two-factor:${userId}`));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptSecret(key: Buffer, stored: string, userId: number): Uint8Array {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !body) throw new UnreadableSecretError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(`two-factor:${userId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]));
  } catch {
    throw new UnreadableSecretError();
  }
}

/** The stored secret does not open with this key (TWO_FACTOR_KEY changed): the factor must be reset. */
export class UnreadableSecretError extends Error {
  constructor() {
    super("a second factor cannot be read with the current TWO_FACTOR_KEY; reset it with npm run user:reset-2fa");
  }
}
