import { describe, expect, it } from "vitest";
import { claimJob, releaseJob } from "~/jobs.server";
import { runHousekeepingIfDue, HOUSEKEEPING_EVERY_MS } from "~/privacy/housekeeping.server";
import { freshDatabase } from "./support/db";
import { runConcurrently } from "./support/concurrent-children";
import type { ClaimJobSummary } from "./support/claim-job-child";

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe("a job one process runs at a time (app/jobs.server.ts)", () => {
  it("is claimed once when due, then refused, naming the claim, until its hold has passed", async () => {
    const { db } = await freshDatabase();
    expect(await claimJob(db, "housekeeping", HOUR, at("2026-03-01T06:00:00Z"))).toEqual({ claimed: true, at: at("2026-03-01T06:00:00Z") });
    expect(await claimJob(db, "housekeeping", HOUR, at("2026-03-01T06:59:59.999Z"))).toEqual({
      claimed: false,
      nextRunAt: at("2026-03-01T07:00:00Z"),
      claimedAt: at("2026-03-01T06:00:00Z"),
    });
    // Another job is claimed on its own.
    expect((await claimJob(db, "digest", HOUR, at("2026-03-01T06:30:00Z"))).claimed).toBe(true);
    expect((await claimJob(db, "housekeeping", HOUR, at("2026-03-01T07:00:00Z"))).claimed).toBe(true);
  });

  it("is due again once released, but only by the claim that holds it", async () => {
    const { db } = await freshDatabase();
    const first = await claimJob(db, "digest", HOUR, at("2026-03-01T06:00:00Z"));
    if (!first.claimed) throw new Error("the first claim must win");
    expect(await releaseJob(db, "digest", first.at, at("2026-03-01T06:05:00Z"))).toBe(true);
    const second = await claimJob(db, "digest", HOUR, at("2026-03-01T06:06:00Z"));
    expect(second.claimed).toBe(true);
    // The first run's process, late, releases nothing: the second run holds the job.
    expect(await releaseJob(db, "digest", first.at, at("2026-03-01T06:07:00Z"))).toBe(false);
    expect((await claimJob(db, "digest", HOUR, at("2026-03-01T06:08:00Z"))).claimed).toBe(false);
  });

  it("runs the housekeeping once an hour for the whole deployment, however many servers ask", async () => {
    const { db, open } = await freshDatabase();
    const other = open();
    const now = at("2026-03-01T06:00:00Z");
    const first = await runHousekeepingIfDue(db, now);
    expect(first).toMatchObject({ expiredSessions: 0, oldLinks: 0 });
    // A second server asks a minute later, then the first one again: not due.
    expect(await runHousekeepingIfDue(other, new Date(now.getTime() + 60_000))).toBeNull();
    expect(await runHousekeepingIfDue(db, new Date(now.getTime() + HOUSEKEEPING_EVERY_MS - 1))).toBeNull();
    expect(await runHousekeepingIfDue(other, new Date(now.getTime() + HOUSEKEEPING_EVERY_MS))).not.toBeNull();
  });

  it("is won by one of several OS processes claiming at the same moments", async () => {
    const { path } = await freshDatabase();
    const rounds = 40;
    const step = 1000;
    const first = Date.parse("2026-03-01T06:00:00Z");
    const summaries = await runConcurrently<ClaimJobSummary>(
      "claim-job-child.ts",
      [1, 2, 3].map(() => [path, String(first), String(rounds), String(step)]),
    );
    const wins = summaries.flatMap((s) => s.won);
    // No round was won twice, and the claims did go through (the first round always has a winner).
    expect(wins.length, `rounds won: ${JSON.stringify(summaries.map((s) => s.won))}`).toBe(new Set(wins).size);
    expect(wins).toContain(0);
  }, 60_000);
});
