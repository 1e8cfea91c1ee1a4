import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { withWriteTx, type AppDb } from "../../db/engine";
import { recountStoredCounts } from "../../db/recount";
import { areas, comments, follows, proposals, projects, threads, votes, type Stance, type User, type Visibility } from "../../db/schema";
import { cookMarkdown } from "../../app/content/markdown.server";
import { makeUser } from "./factories";

/**
 * A small city whose report figures are counted by hand (see the table in tests/reports.test.ts).
 *
 *   Alpha (20,000): A1 (12,000), A2 (8,000) · Beta (30,000): B1 (30,000) · Gamma (40,000): C1 (40,000)
 *
 * Days are city days in Asia/Jakarta (UTC+7): D1 = 2026-03-02 … D4 = 2026-03-05; the consultation
 * runs from D1 00:00 to 2026-03-06 00:00 WIB.
 */

/** An instant in Asia/Jakarta: "2026-03-02T10:00" WIB. */
export const wib = (local: string) => new Date(`${local}:00+07:00`);
export const D1 = wib("2026-03-02T10:00");
export const D2 = wib("2026-03-03T10:00");
/** 00:30 WIB on 4 March is still 3 March in UTC: it belongs to the city's D3. */
export const D3_EARLY = wib("2026-03-04T00:30");
export const D3 = wib("2026-03-04T10:00");
export const D4 = wib("2026-03-05T10:00");

let seq = 0;

export interface ReportFixture {
  project: typeof projects.$inferSelect;
  other: typeof projects.$inferSelect;
  areas: Record<"alpha" | "beta" | "gamma" | "a1" | "a2" | "b1" | "c1", typeof areas.$inferSelect>;
  r: User[];
  planner: User;
  moderator: User;
  admin: User;
  comments: Record<string, typeof comments.$inferSelect>;
  threads: Record<"t1" | "t2" | "tp1" | "tp2", typeof threads.$inferSelect>;
  proposals: Record<"pr1" | "pr2", typeof proposals.$inferSelect>;
}

export async function makeReportFixture(db: AppDb): Promise<ReportFixture> {
  const n = ++seq;
  const area = (code: string, name: string, level: "kecamatan" | "kelurahan", population: number, parentId: number | null = null) =>
    withWriteTx(db, async (tx) => {
      const [row] = await tx
        .insert(areas)
        .values({ code: `88.${n}.${code}`, name, level, population, parentId })
        .returning();
      return row!;
    });
  const alpha = await area("01", "Alpha", "kecamatan", 20_000);
  const beta = await area("02", "Beta", "kecamatan", 30_000);
  const gamma = await area("03", "Gamma", "kecamatan", 40_000);
  const a1 = await area("01.1001", "A1", "kelurahan", 12_000, alpha.id);
  const a2 = await area("01.1002", "A2", "kelurahan", 8_000, alpha.id);
  const b1 = await area("02.1001", "B1", "kelurahan", 30_000, beta.id);
  const c1 = await area("03.1001", "C1", "kelurahan", 40_000, gamma.id);

  // r[1]..r[11]; r[0] unused so the numbers read as in the table.
  const homes: (number | null)[] = [null, a1.id, a1.id, a1.id, a1.id, a1.id, a1.id, a2.id, b1.id, b1.id, null, beta.id];
  const r: User[] = [];
  for (let i = 0; i < homes.length; i++) r.push(await makeUser(db, { displayName: `Nama Rahasia ${n}-${i}`, areaId: homes[i] }));
  const planner = await makeUser(db, { role: "planner", displayName: `Perencana Rahasia ${n}` });
  const moderator = await makeUser(db, { role: "moderator", displayName: `Moderator Rahasia ${n}` });
  const admin = await makeUser(db, { role: "admin", displayName: `Admin Rahasia ${n}` });

  // Everything else in one write transaction; the raw statements run on its connection.
  const made: Record<string, typeof comments.$inferSelect> = {};
  const { project, other, t1, t2, tp1, tp2, pr1, pr2 } = await withWriteTx(db, async (tx) => {
    const sqlite = (tx as unknown as Db).$client;
    const [project] = await tx
      .insert(projects)
      .values({
        slug: `laporan-${n}`,
        title: `Proyek Laporan ${n}`,
        summary: "Ringkasan.",
        bodySource: "Isi.",
        bodyHtml: "<p>Isi.</p>",
        category: "drainage",
        areaId: a1.id,
        phase: "consultation",
        consultationOpensAt: wib("2026-03-02T00:00"),
        consultationClosesAt: wib("2026-03-06T00:00"),
      })
      .returning();
    const [other] = await tx
      .insert(projects)
      .values({
        slug: `lain-${n}`,
        title: `Proyek Lain ${n}`,
        summary: "R.",
        bodySource: "I.",
        bodyHtml: "<p>I.</p>",
        category: "roads",
        areaId: b1.id,
        phase: "consultation",
      })
      .returning();

    const thread = async (authorId: number, title: string, createdAt: Date, visibility: Visibility = "published", proposalId: number | null = null) =>
      (
        await tx
          .insert(threads)
          .values({ projectId: project!.id, authorId, title, bodySource: "Pembuka.", bodyHtml: "<p>Pembuka.</p>", createdAt, visibility, proposalId })
          .returning()
      )[0]!;
    const t1 = await thread(r[1]!.id, "Genangan di gang", D1);
    const t2 = await thread(r[2]!.id, "Diskusi tersembunyi", D1, "hidden");

    const proposal = async (authorId: number, title: string, createdAt: Date, visibility: Visibility, supportCount: number) =>
      (
        await tx
          .insert(proposals)
          .values({ projectId: project!.id, authorId, title, bodySource: "Isi usulan.", bodyHtml: "<p>Isi usulan.</p>", createdAt, visibility, supportCount })
          .returning()
      )[0]!;
    const pr1 = await proposal(r[6]!.id, "Sumur resapan", D2, "published", 3);
    const pr2 = await proposal(r[9]!.id, "Usulan tersembunyi", D2, "hidden", 1);
    const tp1 = await thread(r[6]!.id, "Sumur resapan", D2, "published", pr1.id);
    const tp2 = await thread(r[9]!.id, "Usulan tersembunyi", D2, "published", pr2.id);

    const comment = async (
      key: string,
      t: { id: number },
      authorId: number,
      stance: Stance | null,
      createdAt: Date,
      visibility: Visibility = "published",
      body = `Komentar ${key}.`,
    ) => {
      const [row] = await tx
        .insert(comments)
        .values({
          threadId: t.id,
          projectId: project!.id,
          authorId,
          stance,
          bodySource: body,
          bodyHtml: cookMarkdown(body),
          visibility,
          createdAt,
          sortKey: "",
        })
        .returning();
      sqlite.prepare("update comments set sort_key = ? where id = ?").run(String(row!.id).padStart(10, "0"), row!.id);
      made[key] = row!;
      return row!;
    };
    await comment("c1", t1, r[1]!.id, "support", D1);
    await comment("c2", t1, r[2]!.id, "oppose", D1);
    await comment("c3", t1, r[3]!.id, "neutral", D2);
    await comment("c4", t1, r[4]!.id, null, D2);
    await comment("c5", t1, r[5]!.id, "support", D3_EARLY);
    await comment("c6", t1, r[7]!.id, "support", D3);
    await comment("c7", t1, r[8]!.id, "oppose", D3);
    await comment("c8", t1, planner.id, null, D3);
    await comment("c9", t1, r[9]!.id, "support", D3, "pending");
    await comment("c10", t1, r[10]!.id, "oppose", D3, "rejected");
    await comment("c11", t1, r[6]!.id, "support", D3, "deleted");
    await comment("c12", t2, r[11]!.id, "support", D3);
    await comment("c13", tp1, r[11]!.id, null, D4);
    await comment("c14", t1, r[1]!.id, "support", D4);
    await comment("c15", t1, r[2]!.id, "support", D4);
    await comment("c16", t1, r[3]!.id, "support", D4);
    // In the discussion of a hidden proposal: not published feedback either.
    await comment("c17", tp2, r[9]!.id, "support", D4);

    const supports = [r[1]!, r[2]!, r[3]!].map((u) => ({ proposalId: pr1.id, userId: u.id, projectId: project!.id, createdAt: D3 }));
    for (const s of supports)
      sqlite
        .prepare("insert into supports (proposal_id, user_id, project_id, created_at) values (?, ?, ?, ?)")
        .run(s.proposalId, s.userId, s.projectId, s.createdAt.getTime());
    sqlite.prepare("insert into supports (proposal_id, user_id, project_id, created_at) values (?, ?, ?, ?)").run(pr2.id, r[1]!.id, project!.id, D3.getTime());

    const ballot = (userId: number | null, choice: "support" | "oppose" | "abstain", areaId: number | null) =>
      tx.insert(votes).values({ projectId: project!.id, userId, choice, areaId, createdAt: D2 });
    await ballot(r[1]!.id, "support", a1.id);
    await ballot(r[2]!.id, "support", a1.id);
    await ballot(r[3]!.id, "oppose", a1.id);
    await ballot(r[7]!.id, "support", a2.id);
    await ballot(r[8]!.id, "abstain", b1.id);
    await ballot(r[10]!.id, "support", null);
    // An erased voter: the ballot stays counted, unlinkable.
    await ballot(null, "support", a1.id);

    for (const [u, active] of [
      [r[1]!, true],
      [r[2]!, true],
      [r[5]!, false],
    ] as const) {
      await tx.insert(follows).values({ userId: u.id, projectId: project!.id, active, createdAt: D1 });
    }
    // The rows above are written as they stand on the report's day; their stored counts follow from them.
    recountStoredCounts(sqlite);
    return { project: project!, other: other!, t1, t2, tp1, tp2, pr1, pr2 };
  });
  const reload = async (id: number) => (await db.select().from(projects).where(eq(projects.id, id)).limit(1))[0]!;

  return {
    project: await reload(project.id),
    other: await reload(other.id),
    areas: { alpha, beta, gamma, a1, a2, b1, c1 },
    r,
    planner,
    moderator,
    admin,
    comments: made,
    threads: { t1, t2, tp1, tp2 },
    proposals: { pr1, pr2 },
  };
}

/** The published comments of the fixture's project, in id order (what comments.csv holds). */
export const VISIBLE_COMMENTS = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c13", "c14", "c15", "c16"] as const;
