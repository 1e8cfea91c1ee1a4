import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { projects, votes, type Choice } from "~db/schema";
import { castVote, getOwnVote, tallyOf } from "~/voting/voting.server";
import { isFollowing, unfollowProject } from "~/projects/projects.server";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { daysAgo, daysFromNow, expectDomainError } from "./support/domain-errors";
import { runConcurrently } from "./support/concurrent-children";
import type { CastVoteSummary } from "./support/cast-vote-child";

let db: AppDb;
let dbPath: string;
beforeAll(async () => {
  ({ db, path: dbPath } = await freshDatabase());
});

const projectRow = async (id: number) => (await db.select().from(projects).where(eq(projects.id, id)).limit(1))[0]!;

/** The tallies recounted from the ballots themselves. */
async function recount(database: AppDb, projectId: number) {
  const rows = await database.select({ choice: votes.choice, n: count() }).from(votes).where(eq(votes.projectId, projectId)).groupBy(votes.choice);
  const by = (c: Choice) => rows.find((r) => r.choice === c)?.n ?? 0;
  return { support: by("support"), oppose: by("oppose"), abstain: by("abstain") };
}

async function expectTalliesMatchBallots(projectId: number, expected?: { support: number; oppose: number; abstain: number }) {
  const { support, oppose, abstain } = tallyOf(await projectRow(projectId));
  expect({ support, oppose, abstain }).toEqual(await recount(db, projectId));
  if (expected) expect({ support, oppose, abstain }).toEqual(expected);
}

const ballotsOf = async (userId: number, projectId: number) =>
  db
    .select()
    .from(votes)
    .where(and(eq(votes.projectId, projectId), eq(votes.userId, userId)));

describe("casting a ballot", () => {
  it("a resident votes and changes their vote; the stored tallies equal the ballots after every step", async () => {
    const project = await makeProject(db);
    const [ani, budi, citra] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    const steps: [typeof ani, Choice, { support: number; oppose: number; abstain: number }][] = [
      [ani, "support", { support: 1, oppose: 0, abstain: 0 }],
      [budi, "support", { support: 2, oppose: 0, abstain: 0 }],
      [ani, "oppose", { support: 1, oppose: 1, abstain: 0 }],
      [citra, "abstain", { support: 1, oppose: 1, abstain: 1 }],
      [budi, "abstain", { support: 0, oppose: 1, abstain: 2 }],
      [ani, "support", { support: 1, oppose: 0, abstain: 2 }],
    ];
    for (const [user, choice, expected] of steps) {
      expect(await castVote(db, user, project.id, choice)).toEqual({ changed: true, choice });
      await expectTalliesMatchBallots(project.id, expected);
      expect(await getOwnVote(db, user.id, project.id)).toBe(choice);
    }
    expect(await ballotsOf(ani.id, project.id)).toHaveLength(1);
    expect((await db.select({ n: count() }).from(votes).where(eq(votes.projectId, project.id)))[0]!.n).toBe(3);
  });

  it("voting the same choice twice changes nothing", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db);
    await castVote(db, user, project.id, "oppose");
    const ballot = (await ballotsOf(user.id, project.id))[0]!;
    const before = await projectRow(project.id);
    expect(await castVote(db, user, project.id, "oppose")).toEqual({ changed: false, choice: "oppose" });
    expect(await ballotsOf(user.id, project.id)).toEqual([ballot]);
    expect(tallyOf(await projectRow(project.id))).toEqual(tallyOf(before));
    await expectTalliesMatchBallots(project.id, { support: 0, oppose: 1, abstain: 0 });
  });

  it.each([["maybe"], [""], [null], [undefined], [1], ["SUPPORT"], [["support"]]])("refuses the choice %j (400) and writes nothing", async (choice) => {
    const project = await makeProject(db);
    const user = await makeUser(db);
    await expectDomainError(() => castVote(db, user, project.id, choice), 400, "voting.choiceRequired");
    expect(await ballotsOf(user.id, project.id)).toEqual([]);
    await expectTalliesMatchBallots(project.id, { support: 0, oppose: 0, abstain: 0 });
  });
});

describe("when voting is refused", () => {
  it("before the consultation opens", async () => {
    const project = await makeProject(db, { consultationOpensAt: daysFromNow(1), consultationClosesAt: daysFromNow(8) });
    const user = await makeUser(db);
    await expectDomainError(() => castVote(db, user, project.id, "support"), 403, "participation.notYetOpen");
    expect(await ballotsOf(user.id, project.id)).toEqual([]);
  });

  it("after the consultation has closed, even if the phase was not moved yet", async () => {
    const project = await makeProject(db, { consultationOpensAt: daysAgo(8), consultationClosesAt: daysAgo(1) });
    const user = await makeUser(db);
    await expectDomainError(() => castVote(db, user, project.id, "support"), 403, "participation.closed");
    expect(await ballotsOf(user.id, project.id)).toEqual([]);
  });

  it("in review, and a ballot from before stays as it was", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db);
    await castVote(db, user, project.id, "support");
    await withWriteTx(db, async (tx) => {
      await tx.update(projects).set({ phase: "review" }).where(eq(projects.id, project.id));
    });
    await expectDomainError(() => castVote(db, user, project.id, "oppose"), 403, "participation.closed");
    expect(await getOwnVote(db, user.id, project.id)).toBe("support");
    await expectTalliesMatchBallots(project.id, { support: 1, oppose: 0, abstain: 0 });
  });

  it.each(["decided", "in_progress", "completed", "cancelled"] as const)("in the %s phase", async (phase) => {
    const project = await makeProject(db, { phase, outcome: phase === "decided" ? "approved" : null });
    const user = await makeUser(db);
    await expectDomainError(() => castVote(db, user, project.id, "support"), 403, "participation.closed");
  });

  it("on a draft, as if it did not exist (404)", async () => {
    const project = await makeProject(db, { phase: "draft" });
    const user = await makeUser(db);
    await expectDomainError(() => castVote(db, user, project.id, "support"), 404, "errors.notFound");
    await expectDomainError(() => castVote(db, user, 999_999, "support"), 404, "errors.notFound");
    expect(await ballotsOf(user.id, project.id)).toEqual([]);
  });

  it("for a suspended user (403), until the suspension ends", async () => {
    const project = await makeProject(db);
    const until = daysFromNow(1);
    const user = await makeUser(db, { suspendedUntil: until });
    const error = await expectDomainError(() => castVote(db, user, project.id, "support"), 403, "accounts.refusal.suspendedUntil");
    expect(error.params).toEqual({ until: until.toISOString() });
    expect(await ballotsOf(user.id, project.id)).toEqual([]);
    expect((await castVote(db, user, project.id, "support", daysFromNow(2))).changed).toBe(true);
  });

  it("for a permanently suspended or deleted user", async () => {
    const project = await makeProject(db);
    const banned = await makeUser(db, { suspendedUntil: new Date("9999-12-31T00:00:00Z") });
    const gone = await makeUser(db, { deletedAt: daysAgo(1) });
    await expectDomainError(() => castVote(db, banned, project.id, "support"), 403, "accounts.refusal.suspendedPermanently");
    await expectDomainError(() => castVote(db, gone, project.id, "support"), 403, "accounts.refusal.deleted");
    await expectTalliesMatchBallots(project.id, { support: 0, oppose: 0, abstain: 0 });
  });

  it("beyond the per-minute rate limit (429), per user, and again in the next minute", async () => {
    const own = (await freshDatabase()).db;
    await setSetting(own, "rateVotesPerMinute", { limit: 3, windowSeconds: 60 });
    const project = await makeProject(own);
    const user = await makeUser(own);
    const other = await makeUser(own);
    const now = new Date();
    const choices: Choice[] = ["support", "oppose", "abstain"];
    for (const choice of choices) expect((await castVote(own, user, project.id, choice, now)).changed).toBe(true);
    const error = await expectDomainError(() => castVote(own, user, project.id, "support", now), 429, "errors.rateLimitedFor");
    expect(error.params.seconds).toBe(60);
    expect((await own.select().from(votes).where(eq(votes.userId, user.id)).limit(1))[0]!.choice).toBe("abstain");
    expect((await castVote(own, other, project.id, "support", now)).changed).toBe(true);
    expect((await castVote(own, user, project.id, "support", new Date(now.getTime() + 61_000))).changed).toBe(true);
  });
});

describe("following by voting", () => {
  it("a ballot follows the project automatically", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db);
    await castVote(db, user, project.id, "support");
    expect(await isFollowing(db, user.id, project.id)).toBe(true);
    expect((await projectRow(project.id)).followerCount).toBe(1);
    await castVote(db, user, project.id, "oppose");
    expect((await projectRow(project.id)).followerCount).toBe(1);
  });

  it("but not when the user turned following off before", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db);
    await unfollowProject(db, user.id, project.id);
    await castVote(db, user, project.id, "support");
    expect(await isFollowing(db, user.id, project.id)).toBe(false);
    expect((await projectRow(project.id)).followerCount).toBe(0);
  });
});

describe("concurrent ballots from two processes", () => {
  it("leave exactly one ballot per user and project, with tallies equal to the recount, and only DomainErrors", async () => {
    await setSetting(db, "rateVotesPerMinute", { limit: 100_000, windowSeconds: 60 });
    const user = await makeUser(db);
    const projectIds: number[] = [];
    for (let i = 0; i < 150; i++) projectIds.push((await makeProject(db)).id);
    const args = [dbPath, String(user.id), projectIds.join(","), "6"];
    const summaries = await runConcurrently<CastVoteSummary>("cast-vote-child.ts", [args, args]);

    for (const s of summaries) {
      expect(s.otherErrors).toEqual([]);
      expect(s.changed + s.unchanged).toBeGreaterThan(0);
    }
    // The two processes really ran at the same time.
    const [a, b] = summaries;
    expect(Math.max(a.startedAt, b.startedAt)).toBeLessThan(Math.min(a.endedAt, b.endedAt));

    for (const projectId of projectIds) {
      expect(await ballotsOf(user.id, projectId), `project ${projectId}`).toHaveLength(1);
      const { support, oppose, abstain } = tallyOf(await projectRow(projectId));
      expect({ support, oppose, abstain }, `project ${projectId}`).toEqual(await recount(db, projectId));
      expect(support + oppose + abstain).toBe(1);
    }
  }, 60_000);
});
