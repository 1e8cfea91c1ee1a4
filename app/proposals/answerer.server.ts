import { eq } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";

/** The public name of the planner who answered a proposal (null once their account is erased). */
export async function answererName(db: AppDb, userId: number): Promise<string | null> {
  const { users } = tables(db);
  const [row] = await db.select({ name: users.displayName, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).limit(1);
  return row && !row.deletedAt ? row.name : null;
}
