/**
 * The proof of decision 012 (docs/decisions/012-two-engines.md): domain-shaped functions written
 * once over the seam (db/engine.ts) — cast a ballot (a unique constraint and a lock on one's own
 * ballot), support a proposal within a per-project limit (a count, then a write: SERIALIZABLE),
 * decide a review item once (SELECT … FOR UPDATE) — run unchanged on SQLite and on PostgreSQL,
 * one call at a time and many at once. Then, on PostgreSQL alone, step by step with two
 * connections: why each race needs its tool.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, gt, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import type { Choice } from "~db/schema";
import { closeAppDatabase, engineOf, forUpdate, isUniqueViolation, openAppDatabase, rows, tables, withWriteTx, type AppDb } from "~db/engine";
import { freshDatabaseFile } from "../support/db";
import { describePg, freshPgUrl } from "./support";

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ——— The domain-shaped functions: written once, typed by db/schema, run on both engines. ———

const TALLY = { support: "votesSupport", oppose: "votesOppose", abstain: "votesAbstain" } as const;

/** The project's latest activity moves forward only (a Date bound through the column: ms on SQLite, timestamptz on PostgreSQL). */
function touched(db: AppDb, now: Date) {
  const { projects } = tables(db);
  const at = sql.param(now, projects.lastActivityAt);
  return sql`case when ${projects.lastActivityAt} is null or ${projects.lastActivityAt} < ${at} then ${sql.param(now, projects.lastActivityAt)} else ${projects.lastActivityAt} end`;
}

/** One ballot per resident per project (the unique index), changed in place; the tallies move with it. */
async function castVote(
  db: AppDb,
  voter: { id: number; areaId: number | null },
  projectId: number,
  choice: Choice,
  now: Date,
): Promise<"cast" | "changed" | "same"> {
  return withWriteTx(db, async (tx) => {
    const { votes, projects } = tables(tx);
    for (;;) {
      // Locks one's own ballot (PostgreSQL), so two changes of it queue instead of both reading the old choice.
      const [previous] = await forUpdate(
        tx
          .select({ id: votes.id, choice: votes.choice })
          .from(votes)
          .where(and(eq(votes.projectId, projectId), eq(votes.userId, voter.id)))
          .limit(1),
      );
      if (previous?.choice === choice) return "same";
      if (previous) {
        await tx.update(votes).set({ choice, updatedAt: now }).where(eq(votes.id, previous.id));
      } else {
        const inserted = await tx
          .insert(votes)
          .values({ projectId, userId: voter.id, choice, areaId: voter.areaId, createdAt: now })
          .onConflictDoNothing()
          .returning({ id: votes.id });
        // Another request cast this voter's first ballot meanwhile: it is committed now; read it again.
        if (!inserted.length) continue;
      }
      const add = TALLY[choice];
      await tx
        .update(projects)
        .set({
          [add]: sql`${projects[add]} + 1`,
          ...(previous ? { [TALLY[previous.choice]]: sql`${projects[TALLY[previous.choice]]} - 1` } : {}),
          lastActivityAt: touched(tx, now),
        })
        .where(eq(projects.id, projectId));
      return previous ? "changed" : "cast";
    }
  });
}

/** A resident supports at most `limit` proposals of a project: a count, then an insert — no row lock covers the count. */
async function supportProposal(db: AppDb, userId: number, proposalId: number, limit: number, now: Date): Promise<"supported" | "already"> {
  return withWriteTx(
    db,
    async (tx) => {
      const { proposals, supports, projects } = tables(tx);
      const [proposal] = await tx.select({ projectId: proposals.projectId }).from(proposals).where(eq(proposals.id, proposalId)).limit(1);
      if (!proposal) throw new Refused(404, "no such proposal");
      const [{ n }] = (await tx
        .select({ n: count() })
        .from(supports)
        .where(and(eq(supports.userId, userId), eq(supports.projectId, proposal.projectId)))) as [{ n: number }];
      if (n >= limit) throw new Refused(409, "support limit reached");
      const inserted = await tx
        .insert(supports)
        .values({ proposalId, userId, projectId: proposal.projectId, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: supports.proposalId });
      if (!inserted.length) return "already";
      await tx
        .update(proposals)
        .set({ supportCount: sql`${proposals.supportCount} + 1` })
        .where(eq(proposals.id, proposalId));
      await tx
        .update(projects)
        .set({ lastActivityAt: touched(tx, now) })
        .where(eq(projects.id, proposal.projectId));
      return "supported";
    },
    { serializable: true },
  );
}

/** A review item is decided once: the item is locked, then checked, then written (and logged once). */
async function decide(db: AppDb, itemId: number, moderatorId: number, now: Date): Promise<void> {
  return withWriteTx(db, async (tx) => {
    const { reviewItems, moderationLog } = tables(tx);
    const [item] = await forUpdate(
      tx
        .select({ status: reviewItems.status, version: reviewItems.version, targetId: reviewItems.targetId })
        .from(reviewItems)
        .where(eq(reviewItems.id, itemId))
        .limit(1),
    );
    if (!item) throw new Refused(404, "no such item");
    if (item.status !== "open") throw new Refused(409, "already decided");
    await tx
      .update(reviewItems)
      .set({ status: "approved", decidedBy: moderatorId, decidedAt: now, version: item.version + 1 })
      .where(eq(reviewItems.id, itemId));
    await tx
      .insert(moderationLog)
      .values({ actorId: moderatorId, action: "review_approve", targetType: "comment", targetId: String(item.targetId), createdAt: now });
  });
}

/** When the seed's rows were made (the project's latest activity, as its stored counts need). */
const SEEDED = new Date(Date.UTC(2026, 0, 15, 3));

/** A small city: an area, residents, a project in consultation, pending proposals, an open review item. */
async function seed(db: AppDb) {
  return withWriteTx(db, async (tx) => {
    const { areas, users, projects, proposals, reviewItems } = tables(tx);
    const [area] = await tx.insert(areas).values({ code: "32.73", name: "Kota Bandung", level: "city" }).returning();
    const people = await tx
      .insert(users)
      .values(Array.from({ length: 4 }, (_, i) => ({ displayName: `Warga ${i + 1}`, email: `warga${i + 1}@contoh.id`, areaId: area!.id })))
      .returning();
    const [project] = await tx
      .insert(projects)
      .values({
        slug: "taman",
        title: "Taman",
        summary: "s",
        bodySource: "b",
        bodyHtml: "<p>b</p>",
        category: "parks",
        areaId: area!.id,
        phase: "consultation",
        budgetRupiah: 2_200_000_000,
        lastActivityAt: SEEDED,
      })
      .returning();
    const ideas = await tx
      .insert(proposals)
      .values(
        Array.from({ length: 8 }, (_, i) => ({
          projectId: project!.id,
          authorId: people[0]!.id,
          title: `Usul ${i}`,
          bodySource: "b",
          bodyHtml: "b",
          visibility: "pending" as const,
          createdAt: SEEDED,
        })),
      )
      .returning({ id: proposals.id });
    const [item] = await tx
      .insert(reviewItems)
      .values({ targetType: "comment", targetId: 1, reasons: ["flagged"] })
      .returning({ id: reviewItems.id });
    return { area: area!, people, project: project!, proposalIds: ideas.map((p) => p.id), itemId: item!.id };
  });
}

/** Stored tallies and support counts equal the rows (as db/recount.ts checks on SQLite after every file). */
async function countsAgree(db: AppDb, projectId: number) {
  const { votes, projects, supports, proposals } = tables(db);
  const [stored] = await db.select().from(projects).where(eq(projects.id, projectId));
  const ballots = await db.select({ choice: votes.choice, n: count() }).from(votes).where(eq(votes.projectId, projectId)).groupBy(votes.choice);
  const tally = Object.fromEntries(ballots.map((b) => [b.choice, b.n]));
  expect([stored!.votesSupport, stored!.votesOppose, stored!.votesAbstain]).toEqual([tally.support ?? 0, tally.oppose ?? 0, tally.abstain ?? 0]);
  const perProposal = await db
    .select({
      stored: proposals.supportCount,
      rows: sql<number>`(select count(*) from ${supports} where ${supports.proposalId} = ${proposals.id})`.mapWith(Number),
    })
    .from(proposals)
    .where(eq(proposals.projectId, projectId));
  for (const p of perProposal) expect(p.stored).toBe(p.rows);
}

// ——— The same tests on both engines. ———

const opened: AppDb[] = [];
afterAll(async () => {
  for (const db of opened.splice(0)) await closeAppDatabase(db);
});

async function openSqlite(): Promise<AppDb> {
  const app = await openAppDatabase(freshDatabaseFile());
  opened.push(app);
  return app;
}

async function openPg(serverUrl: string): Promise<AppDb> {
  const app = await openAppDatabase(await freshPgUrl(serverUrl), { max: 8 });
  opened.push(app);
  return app;
}

function onBothEngines(body: (open: () => Promise<AppDb>, engine: "sqlite" | "pg") => void) {
  describe("the seam on SQLite", () => body(openSqlite, "sqlite"));
  describePg("the seam on PostgreSQL", (serverUrl) => body(() => openPg(serverUrl), "pg"));
}

onBothEngines((open, engine) => {
  it("opens the engine DATABASE_URL names, and hands out that engine's tables, in transactions too", async () => {
    const db = await open();
    expect(engineOf(db)).toBe(engine);
    const TableClass = engine === "pg" ? PgTable : SQLiteTable;
    expect(is(tables(db).votes, TableClass)).toBe(true);
    await withWriteTx(db, async (tx) => void expect(is(tables(tx).votes, TableClass)).toBe(true));
  });

  it("answers every query with await: rows, first row, writes, returning, counts, raw SQL; the same JS values on both", async () => {
    const db = await open();
    const { project, people } = await seed(db);
    const { projects, users, votes } = tables(db);
    // .all() → await q
    const all = await db.select().from(projects);
    expect(all).toHaveLength(1);
    // .get() → const [row] = await q.limit(1)
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id)).limit(1);
    expect(row!.createdAt).toBeInstanceOf(Date);
    expect(row!.budgetRupiah).toBe(2_200_000_000); // past 2^31: a bigint on PostgreSQL, still a number
    expect(row!.consultationClosesAt).toBeNull();
    // .run() → await q; .returning().get() → const [r] = await q.returning()
    const when = new Date(Date.UTC(2026, 5, 1, 8, 30, 15, 123));
    const [updated] = await withWriteTx(db, (tx) => tx.update(projects).set({ consultationClosesAt: when }).where(eq(projects.id, project.id)).returning());
    expect(updated!.consultationClosesAt).toEqual(when); // to the millisecond
    // A Date compared through its column: gt() encodes it as the column does (ms, or timestamptz).
    expect(
      await db
        .select({ id: projects.id })
        .from(projects)
        .where(gt(projects.consultationClosesAt, new Date(when.getTime() - 1))),
    ).toHaveLength(1);
    expect(await db.$count(users)).toBe(4);
    const [{ n }] = (await db.select({ n: count() }).from(votes)) as [{ n: number }];
    expect(n).toBe(0);
    // Raw SQL: rows(db, sql); an aggregate of a Date column read back through the column (mapWith).
    const raw = await rows<{ n: number }>(db, sql`select count(*) as n from ${users}`);
    expect(Number(raw[0]!.n)).toBe(4);
    const [latest] = await db.select({ at: sql`max(${users.createdAt})`.mapWith(users.createdAt) }).from(users);
    expect(latest!.at).toBeInstanceOf(Date);
    // JSON and booleans come back parsed, on both.
    const { reviewItems, threads } = tables(db);
    const [item] = await db.select({ reasons: reviewItems.reasons }).from(reviewItems).limit(1);
    expect(item!.reasons).toEqual(["flagged"]);
    const [thread] = await withWriteTx(db, (tx) =>
      tx
        .insert(threads)
        .values({
          projectId: project.id,
          authorId: people[1]!.id,
          title: "t",
          bodySource: "b",
          bodyHtml: "b",
          visibility: "pending",
          createdAt: SEEDED,
          lastActivityAt: SEEDED,
        })
        .returning(),
    );
    expect([thread!.pinned, thread!.locked]).toEqual([false, false]);
  });

  it("tells a unique violation the same way on both", async () => {
    const db = await open();
    const { users } = tables(db);
    await withWriteTx(db, (tx) => tx.insert(users).values({ displayName: "A", email: "a@contoh.id" }));
    const error = await withWriteTx(db, (tx) => tx.insert(users).values({ displayName: "B", email: "a@contoh.id" })).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("rolls back the whole write when the callback throws after awaits", async () => {
    const db = await open();
    const { project, people } = await seed(db);
    await expect(
      withWriteTx(db, async (tx) => {
        await castVote(tx, people[1]!, project.id, "support", new Date());
        throw new Refused(400, "changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const { votes } = tables(db);
    expect(await db.$count(votes)).toBe(0);
    await countsAgree(db, project.id);
  });

  it("castVote: one ballot per resident, changed in place, tallies equal to the ballots", async () => {
    const db = await open();
    const { project, people } = await seed(db);
    const now = new Date();
    expect(await castVote(db, people[1]!, project.id, "support", now)).toBe("cast");
    expect(await castVote(db, people[1]!, project.id, "support", now)).toBe("same");
    expect(await castVote(db, people[1]!, project.id, "oppose", now)).toBe("changed");
    expect(await castVote(db, people[2]!, project.id, "abstain", now)).toBe("cast");
    await countsAgree(db, project.id);
  });

  it("castVote, eight at once by one resident (a double-clicking voter on eight servers): one ballot, tallies equal to it", async () => {
    const db = await open();
    const { project, people } = await seed(db);
    const choices: Choice[] = ["support", "oppose", "abstain", "support", "oppose", "abstain", "support", "oppose"];
    const results = await Promise.all(choices.map((c) => castVote(db, people[1]!, project.id, c, new Date())));
    expect(results.filter((r) => r === "cast")).toHaveLength(1);
    const { votes } = tables(db);
    expect(await db.$count(votes, eq(votes.userId, people[1]!.id))).toBe(1);
    await countsAgree(db, project.id);
  });

  it("supportProposal, eight at once past a limit of three: exactly three supports, counts equal to them", async () => {
    const db = await open();
    const { people, proposalIds, project } = await seed(db);
    const results = await Promise.allSettled(proposalIds.map((id) => supportProposal(db, people[2]!.id, id, 3, new Date())));
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(refused.map((e) => e.message)).toEqual(Array(5).fill("support limit reached"));
    const { supports } = tables(db);
    expect(await db.$count(supports, eq(supports.userId, people[2]!.id))).toBe(3);
    await countsAgree(db, project.id);
  });

  it("decide, six moderators at once: one decision, one log entry, five refusals", async () => {
    const db = await open();
    const { people, itemId } = await seed(db);
    const results = await Promise.allSettled([0, 1, 2, 3, 0, 1].map((i) => decide(db, itemId, people[i]!.id, new Date())));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as Error).message)).toEqual(
      Array(5).fill("already decided"),
    );
    const { moderationLog } = tables(db);
    expect(await db.$count(moderationLog)).toBe(1);
  });
});

// ——— Why each tool: the races, step by step, on PostgreSQL's default READ COMMITTED. ———

describePg("PostgreSQL races, two connections step by step", (serverUrl) => {
  let url: string;
  let fixture: Awaited<ReturnType<typeof seed>>;
  const clients: pg.Client[] = [];
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.end();
  });

  /** Resolves once `client`'s backend waits for a lock (polled, with a deadline). */
  async function waitsForLock(watcher: pg.Client, client: pg.Client & { processID?: number }) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows: r } = await watcher.query("select wait_event_type from pg_stat_activity where pid = $1", [client.processID]);
      if (r[0]?.wait_event_type === "Lock") return;
      if (Date.now() > deadline) throw new Error("the second transaction never waited for the lock");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    url = await freshPgUrl(serverUrl);
    const db = await openAppDatabase(url);
    opened.push(db);
    fixture = await seed(db);
  });

  const countThenInsert = async (c: pg.Client, proposalId: number) => {
    const { rows: r } = await c.query("select count(*) as n from supports where user_id = $1 and project_id = $2", [fixture.people[3]!.id, fixture.project.id]);
    return async () =>
      c
        .query("insert into supports (proposal_id, user_id, project_id) values ($1, $2, $3)", [proposalId, fixture.people[3]!.id, fixture.project.id])
        .then(() => r[0].n as number);
  };

  it("support limit: two count-then-insert transactions both pass a limit under READ COMMITTED; SERIALIZABLE refuses the second", async () => {
    const [c1, c2] = [await connect(), await connect()];
    const [p0, p1, p2, p3] = fixture.proposalIds;
    // Two supports already; the limit is three: each transaction sees two and inserts a third.
    await c1.query("insert into supports (proposal_id, user_id, project_id) values ($1, $3, $4), ($2, $3, $4)", [
      p0,
      p1,
      fixture.people[3]!.id,
      fixture.project.id,
    ]);
    await c1.query("begin");
    const insert1 = await countThenInsert(c1, p2!);
    await c2.query("begin");
    const insert2 = await countThenInsert(c2, p3!);
    expect([await insert2(), await c2.query("commit").then(() => "committed")]).toEqual([2, "committed"]);
    expect([await insert1(), await c1.query("commit").then(() => "committed")]).toEqual([2, "committed"]);
    const { rows: after } = await c1.query("select count(*) as n from supports where user_id = $1", [fixture.people[3]!.id]);
    expect(after[0].n).toBe(4); // past the limit of three

    await c1.query("delete from supports where user_id = $1 and proposal_id in ($2, $3)", [fixture.people[3]!.id, p2, p3]);
    await c1.query("begin isolation level serializable");
    const again1 = await countThenInsert(c1, p2!);
    await c2.query("begin isolation level serializable");
    const again2 = await countThenInsert(c2, p3!);
    await again2();
    await c2.query("commit");
    const second = await again1()
      .then(() => c1.query("commit"))
      .then(
        () => "committed",
        (e: { code?: string }) => e.code,
      );
    expect(second).toBe("40001"); // serialization_failure: withWriteTx({ serializable: true }) runs it again, and the count then says three
    await c1.query("rollback");
  });

  it("one decision: a plain read-then-update decides twice; SELECT … FOR UPDATE makes the second wait and see the first's decision", async () => {
    const [c1, c2, watcher] = [await connect(), await connect(), await connect()];
    const item = fixture.itemId;
    const read = (c: pg.Client, lock: string) =>
      c.query(`select status from review_items where id = $1 ${lock}`, [item]).then((r) => r.rows[0].status as string);
    const approve = (c: pg.Client) => c.query("update review_items set status = 'approved', version = version + 1 where id = $1", [item]);

    await c1.query("begin");
    await c2.query("begin");
    expect([await read(c1, ""), await read(c2, "")]).toEqual(["open", "open"]);
    await approve(c1);
    await c1.query("commit");
    await approve(c2); // it saw "open": a second decision
    await c2.query("commit");
    expect((await watcher.query("select version from review_items where id = $1", [item])).rows[0].version).toBe(2);

    await watcher.query("update review_items set status = 'open' where id = $1", [item]);
    await c1.query("begin");
    expect(await read(c1, "for update")).toBe("open");
    await c2.query("begin");
    const second = read(c2, "for update"); // waits for c1
    await waitsForLock(watcher, c2);
    await approve(c1);
    await c1.query("commit");
    expect(await second).toBe("approved"); // so the domain refuses: already decided
    await c2.query("rollback");
  });

  it("one ballot: the unique index makes the second concurrent first ballot wait, then refuses it (or, ON CONFLICT DO NOTHING, inserts nothing)", async () => {
    const [c1, c2, watcher] = [await connect(), await connect(), await connect()];
    const ballot = "insert into votes (project_id, user_id, choice) values ($1, $2, 'support')";
    const args = [fixture.project.id, fixture.people[3]!.id];
    await c1.query("begin");
    await c1.query(ballot, args);
    await c2.query("begin");
    const second = c2.query(`${ballot} on conflict do nothing returning id`, args);
    await waitsForLock(watcher, c2);
    await c1.query("commit");
    expect((await second).rows).toEqual([]);
    await c2.query("rollback");
    await expect(c2.query(ballot, args)).rejects.toMatchObject({ code: "23505" });
  });
});
