import { and, eq, lte } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";

/** The jobs that one process at a time runs, among every app server and command on the database. */
export type JobName = "housekeeping" | "digest";

/** A claim won (`at`: its moment, which releases it) or lost (when the job is due again, and since when another process holds it). */
export type JobClaim = { claimed: true; at: Date } | { claimed: false; nextRunAt: Date; claimedAt: Date | null };

/**
 * Claims `job` for this process when it is due, and makes it not due again for `holdMs`: the run
 * of the whole fleet, not of this server. One conditional update (`next_run_at <= now`) decides,
 * so of two processes that claim at the same moment one wins: on SQLite the single writer orders
 * them, on PostgreSQL the second waits for the first one's row lock and then finds the row no
 * longer due. A process that dies during its run holds the job until `holdMs` has passed.
 */
export async function claimJob(db: AppDb, job: JobName, holdMs: number, now = new Date()): Promise<JobClaim> {
  return withWriteTx(db, async (tx) => {
    const { jobRuns } = tables(tx);
    await tx
      .insert(jobRuns)
      .values({ name: job, nextRunAt: new Date(0) })
      .onConflictDoNothing();
    const won = await tx
      .update(jobRuns)
      .set({ nextRunAt: new Date(now.getTime() + holdMs), claimedAt: now })
      .where(and(eq(jobRuns.name, job), lte(jobRuns.nextRunAt, now)))
      .returning({ name: jobRuns.name });
    if (won.length) return { claimed: true, at: now };
    const [row] = await tx.select().from(jobRuns).where(eq(jobRuns.name, job)).limit(1);
    return { claimed: false, nextRunAt: row!.nextRunAt, claimedAt: row!.claimedAt };
  });
}

/**
 * Makes `job` due again at once, for a job run on demand (the digest) whose run is over. Only the
 * claim made at `claimedAt` is released: a process whose hold ran out, and whose job another one
 * has claimed since, releases nothing.
 */
export async function releaseJob(db: AppDb, job: JobName, claimedAt: Date, now = new Date()): Promise<boolean> {
  return withWriteTx(db, async (tx) => {
    const { jobRuns } = tables(tx);
    const released = await tx
      .update(jobRuns)
      .set({ nextRunAt: now })
      .where(and(eq(jobRuns.name, job), eq(jobRuns.claimedAt, claimedAt)))
      .returning({ name: jobRuns.name });
    return released.length > 0;
  });
}
