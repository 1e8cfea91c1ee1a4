import { beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { closeAppDatabase, rows, type AppDb } from "~db/engine";
import { CATEGORIES, PHASES } from "~db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "~db/seed";
import { verifyPassword } from "~/accounts/password.server";
import { freshDatabase } from "./support/db";

const NOW = new Date("2026-03-15T03:00:00Z");
const TABLES = ["areas", "users", "projects", "project_updates", "threads", "comments", "comment_revisions", "proposals", "supports", "votes", "follows"];

let db: AppDb;
let seeded: boolean;
let seedMs: number;

const all = async <T = Record<string, unknown>>(query: SQL) => (await rows(db, query)) as T[];
const get = async <T>(query: SQL) => (await rows(db, query))[0] as T;
const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await get<{ n: number }>(sql.raw(`select count(*) as n from ${t}`))).n;
  return out;
};

beforeAll(async () => {
  db = (await freshDatabase()).db;
  const started = Date.now();
  seeded = await seedDemo(db, NOW);
  seedMs = Date.now() - started;
});

describe("seedDemo", () => {
  it("seeds an empty database, quickly", async () => {
    expect(seeded).toBe(true);
    expect(seedMs).toBeLessThan(10_000);
  });

  it("adds nothing the second time", async () => {
    const before = await counts();
    expect(await seedDemo(db, NOW)).toBe(false);
    expect(await seedDemo(db)).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it("is deterministic apart from dates", async () => {
    const other = (await freshDatabase()).db;
    await seedDemo(other, new Date(NOW.getTime() + 86_400_000 * 3));
    const fingerprint = async (d: AppDb) =>
      (
        await rows(
          d,
          sql`select (select group_concat(author_id || ':' || coalesce(stance, '-') || ':' || body_source, '|') from comments) as c,
                  (select group_concat(user_id || ':' || choice, '|') from votes) as v,
                  (select group_concat(proposal_id || ':' || user_id, '|') from supports) as s`,
        )
      )[0];
    expect(await fingerprint(other)).toEqual(await fingerprint(db));
    await closeAppDatabase(other);
  });

  it("covers every phase and every category", async () => {
    const phases = (await all<{ phase: string }>(sql`select distinct phase from projects`)).map((r) => r.phase);
    const categories = (await all<{ category: string }>(sql`select distinct category from projects`)).map((r) => r.category);
    expect(new Set(phases)).toEqual(new Set(PHASES));
    expect(new Set(categories)).toEqual(new Set(CATEGORIES));
    expect((await get<{ n: number }>(sql`select count(*) as n from projects`)).n).toBeGreaterThanOrEqual(12);
    const outcomes = (await all<{ outcome: string }>(sql`select distinct outcome from projects where phase = 'decided'`)).map((r) => r.outcome);
    expect(new Set(outcomes)).toEqual(new Set(["approved", "rejected", "deferred"]));
    expect((await get<{ n: number }>(sql`select count(*) as n from projects where phase = 'decided' and outcome_reason is null`)).n).toBe(0);
  });

  it("has open consultations whose window contains now", async () => {
    const open = await all<{ opens: number; closes: number }>(
      sql`select consultation_opens_at as opens, consultation_closes_at as closes from projects where phase = 'consultation'`,
    );
    expect(open.length).toBeGreaterThanOrEqual(2);
    for (const p of open) {
      expect(p.opens).toBeLessThan(NOW.getTime());
      expect(p.closes - NOW.getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
      expect(p.closes - NOW.getTime()).toBeLessThanOrEqual(25 * 86_400_000);
    }
  });

  it("builds the area tree with populations that add up", async () => {
    const city = await all<{ id: number; population: number }>(sql`select id, population from areas where level = 'city'`);
    expect(city).toHaveLength(1);
    const kecamatan = await all<{ id: number; population: number }>(
      sql`select id, population from areas where level = 'kecamatan' and parent_id = ${city[0]!.id}`,
    );
    expect(kecamatan.length).toBeGreaterThanOrEqual(5);
    let total = 0;
    for (const kec of kecamatan) {
      const kels = await all<{ population: number }>(sql`select population from areas where level = 'kelurahan' and parent_id = ${kec.id}`);
      expect(kels.length).toBeGreaterThanOrEqual(3);
      for (const kel of kels) {
        expect(kel.population).toBeGreaterThanOrEqual(8000);
        expect(kel.population).toBeLessThanOrEqual(45000);
      }
      expect(kec.population).toBe(kels.reduce((s, k) => s + k.population, 0));
      total += kec.population;
    }
    expect(city[0]!.population).toBe(total);
  });

  it("creates the four verified demo accounts with their roles and the demo password", async () => {
    for (const [role, email] of Object.entries(DEMO_ACCOUNTS)) {
      const user = await get<{ role: string; email_verified_at: number | null; password_hash: string } | undefined>(
        sql`select role, email_verified_at, password_hash from users where email = ${email}`,
      );
      expect(user, email).toBeDefined();
      expect(user!.role).toBe(role);
      expect(user!.email_verified_at).not.toBeNull();
      expect(await verifyPassword(user!.password_hash, DEMO_PASSWORD)).toBe(true);
    }
    const residents = await get<{ n: number; unverified: number }>(
      sql`select count(*) as n, sum(email_verified_at is null) as unverified from users where role = 'resident'`,
    );
    expect(residents.n).toBeGreaterThanOrEqual(40);
    expect(residents.unverified).toBe(0);
  });

  it("stores exact counts on projects", async () => {
    const mismatches = await all(sql`select p.slug from projects p where
         p.votes_support <> (select count(*) from votes v where v.project_id = p.id and v.choice = 'support')
         or p.votes_oppose <> (select count(*) from votes v where v.project_id = p.id and v.choice = 'oppose')
         or p.votes_abstain <> (select count(*) from votes v where v.project_id = p.id and v.choice = 'abstain')
         or p.thread_count <> (select count(*) from threads t where t.project_id = p.id and t.visibility = 'published' and t.proposal_id is null)
         or p.comment_count <> (select count(*) from comments c where c.project_id = p.id and c.visibility = 'published')
         or p.proposal_count <> (select count(*) from proposals x where x.project_id = p.id and x.visibility = 'published')
         or p.follower_count <> (select count(*) from follows f where f.project_id = p.id and f.active = 1)`);
    expect(mismatches).toEqual([]);
    // Projects that were consulted have activity; drafts have none.
    expect((await get<{ n: number }>(sql`select count(*) as n from projects where phase <> 'draft' and last_activity_at is null`)).n).toBe(0);
    expect((await get<{ n: number }>(sql`select count(*) as n from projects where phase = 'draft' and last_activity_at is not null`)).n).toBe(0);
  });

  it("stores exact counts on threads, comments, proposals and users", async () => {
    expect(
      await all(sql`select t.id from threads t where
           t.comment_count <> (select count(*) from comments c where c.thread_id = t.id and c.visibility = 'published')
           or t.last_activity_at <> coalesce((select max(c.created_at) from comments c where c.thread_id = t.id and c.visibility = 'published'), t.created_at)`),
    ).toEqual([]);
    expect(
      await all(
        sql`select c.id from comments c where c.reply_count <> (select count(*) from comments r where r.parent_id = c.id and r.visibility = 'published')`,
      ),
    ).toEqual([]);
    expect(await all(sql`select p.id from proposals p where p.support_count <> (select count(*) from supports s where s.proposal_id = p.id)`)).toEqual([]);
    expect(
      await all(sql`select u.id from users u where u.contribution_count <>
           (select count(*) from threads t where t.author_id = u.id and t.visibility = 'published' and t.proposal_id is null)
           + (select count(*) from comments c where c.author_id = u.id and c.visibility = 'published')
           + (select count(*) from proposals p where p.author_id = u.id and p.visibility = 'published')`),
    ).toEqual([]);
  });

  it("keeps the supports limit and the one-ballot rule", async () => {
    const most = await get<{ n: number | null }>(sql`select max(n) as n from (select count(*) as n from supports group by user_id, project_id)`);
    expect(most.n).toBeLessThanOrEqual(5);
    expect(
      (await get<{ n: number }>(sql`select count(*) as n from supports s join proposals p on p.id = s.proposal_id where p.project_id <> s.project_id`)).n,
    ).toBe(0);
    expect((await get<{ n: number }>(sql`select count(*) as n from supports s join proposals p on p.id = s.proposal_id where p.author_id = s.user_id`)).n).toBe(
      0,
    );
    expect((await get<{ n: number }>(sql`select count(*) as n from votes v join users u on u.id = v.user_id where v.area_id is not u.area_id`)).n).toBe(0);
  });

  it("has a realistic discussion", async () => {
    expect((await get<{ n: number }>(sql`select count(*) as n from comments`)).n).toBeGreaterThanOrEqual(200);
    expect((await get<{ n: number }>(sql`select count(*) as n from threads where pinned = 1`)).n).toBeGreaterThanOrEqual(1);
    expect((await get<{ n: number }>(sql`select count(*) as n from threads where locked = 1`)).n).toBeGreaterThanOrEqual(1);
    expect((await get<{ n: number }>(sql`select count(*) as n from comments where visibility = 'deleted'`)).n).toBe(1);
    expect((await get<{ n: number }>(sql`select count(*) as n from comments where visibility not in ('published', 'deleted')`)).n).toBe(0);
    // Edited comments keep their earlier text.
    const edited = await all<{ id: number }>(sql`select id from comments where edited_at is not null and visibility = 'published'`);
    expect(edited.length).toBeGreaterThanOrEqual(2);
    for (const c of edited) {
      expect((await get<{ n: number }>(sql`select count(*) as n from comment_revisions where comment_id = ${c.id}`)).n).toBeGreaterThanOrEqual(1);
    }
    // Replies: depth follows the parent, come after it, in the same thread; nothing deeper than 2.
    expect(
      await all(sql`select c.id from comments c join comments p on p.id = c.parent_id
         where c.depth <> p.depth + 1 or c.created_at <= p.created_at or c.thread_id <> p.thread_id
            or c.sort_key <> p.sort_key || '.' || printf('%010d', c.id)`),
    ).toEqual([]);
    expect(
      (await get<{ n: number }>(sql`select count(*) as n from comments where parent_id is null and (depth <> 0 or sort_key <> printf('%010d', id))`)).n,
    ).toBe(0);
    expect((await get<{ n: number }>(sql`select max(depth) as n from comments`)).n).toBe(2);
    // Comments fall inside the consultation window and never after now.
    expect(
      (
        await get<{ n: number }>(sql`select count(*) as n from comments c join projects p on p.id = c.project_id
         where c.created_at < p.consultation_opens_at or c.created_at > p.consultation_closes_at or c.created_at > ${NOW.getTime()}`)
      ).n,
    ).toBe(0);
    // Every proposal has its own discussion thread.
    expect((await get<{ n: number }>(sql`select count(*) as n from proposals p where not exists (select 1 from threads t where t.proposal_id = p.id)`)).n).toBe(
      0,
    );
    const statuses = (await all<{ status: string }>(sql`select distinct status from proposals`)).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set(["open", "under_evaluation", "accepted", "rejected", "withdrawn"]));
    expect(
      (
        await get<{ n: number }>(
          sql`select count(*) as n from proposals where status in ('accepted', 'rejected') and (answer_html is null or answered_by is null or answered_at is null)`,
        )
      ).n,
    ).toBe(0);
  });

  it("gives every published project a timeline of phase changes", async () => {
    const missing = await all(sql`select p.slug from projects p where p.phase <> 'draft' and not exists (
         select 1 from project_updates u where u.project_id = p.id and u.kind = 'phase_change' and u.to_phase = p.phase)`);
    expect(missing).toEqual([]);
    expect((await get<{ n: number }>(sql`select count(*) as n from project_updates p join projects x on x.id = p.project_id where x.phase = 'draft'`)).n).toBe(
      0,
    );
  });

  it("keeps foreign keys intact", async () => {
    expect(await all(sql`pragma foreign_key_check`)).toEqual([]);
  });
});
