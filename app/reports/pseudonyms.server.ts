import { createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";

/**
 * The settings row that keeps the pseudonym secret when REPORT_PSEUDONYM_SECRET is not set. It is
 * not one of the typed, editable settings (app/settings.server.ts): nobody edits it and no page
 * shows it. Changing it would give every author a new pseudonym in later exports.
 */
export const PSEUDONYM_SECRET_KEY = "reportPseudonymSecret";

/** The secret behind every pseudonym: the environment's, else one generated once and stored. */
export async function pseudonymSecret(db: AppDb, env: Partial<Record<string, string>> = process.env): Promise<string> {
  const fromEnv = env.REPORT_PSEUDONYM_SECRET;
  if (fromEnv && fromEnv.length >= 16) return fromEnv;
  const stored = await readSecret(db);
  if (stored) return stored;
  // Insert-or-ignore then read back: two processes starting together end up with the same secret.
  const fresh = randomBytes(32).toString("base64url");
  return withWriteTx(db, async (tx) => {
    const { settings } = tables(tx);
    await tx
      .insert(settings)
      .values({ key: PSEUDONYM_SECRET_KEY, value: JSON.stringify(fresh), updatedAt: new Date() })
      .onConflictDoNothing();
    return (await readSecret(tx))!;
  });
}

async function readSecret(db: AppDb): Promise<string | null> {
  const { settings } = tables(db);
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, PSEUDONYM_SECRET_KEY)).limit(1);
  if (!row) return null;
  try {
    const value = JSON.parse(row.value) as unknown;
    return typeof value === "string" && value.length >= 16 ? value : null;
  } catch {
    return null;
  }
}

export const PSEUDONYM_PREFIX = "Warga-";

/**
 * The author of a contribution as reports show them: "Warga-3F9A2C1B", an HMAC-SHA256 of
 * `${projectId}:${userId}` under the secret. The same resident is the same pseudonym throughout
 * one project and an unrelated one in another; without the secret it cannot be reversed.
 * 32 bits keep collisions unlikely even among tens of thousands of authors of one project.
 */
export function pseudonymOf(secret: string, projectId: number, userId: number): string {
  const digest = createHmac("sha256", secret).update(`${projectId}:${userId}`).digest("hex");
  return `${PSEUDONYM_PREFIX}${digest.slice(0, 8).toUpperCase()}`;
}

/** pseudonymOf with a bounded memo, for streams where the same authors recur on many rows. */
export function pseudonymizer(secret: string, limit = 50_000) {
  const memo = new Map<string, string>();
  return (projectId: number, userId: number): string => {
    const key = `${projectId}:${userId}`;
    let name = memo.get(key);
    if (name === undefined) {
      name = pseudonymOf(secret, projectId, userId);
      // A bounded memo keeps a city-wide export in constant memory.
      if (memo.size >= limit) memo.clear();
      memo.set(key, name);
    }
    return name;
  };
}
