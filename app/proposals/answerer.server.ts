import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { users } from "~db/schema";

/** The public name of the planner who answered a proposal (null once their account is erased). */
export function answererName(db: Db, userId: number): string | null {
  const row = db.select({ name: users.displayName, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).get();
  return row && !row.deletedAt ? row.name : null;
}
