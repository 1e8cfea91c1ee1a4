import { beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { closeAppDatabase } from "~db/engine";
import { moderationLog, settings, type User } from "~db/schema";
import { reportProject } from "~/reports/access.server";
import { reportFigures, type ReportFigures } from "~/reports/figures.server";
import { NO_FILTERS, type ReportFilters } from "~/reports/filters.server";
import { parseReportFilters } from "~/http/report-filters.server";
import { projectDownload, cityDownload } from "~/http/reports.server";
import { projectHeadline } from "~/reports/overview.server";
import { PSEUDONYM_SECRET_KEY, pseudonymOf, pseudonymSecret } from "~/reports/pseudonyms.server";
import { suppress } from "~/reports/small-counts";
import { freshDatabase } from "./support/db";
import { expectDomainError } from "./support/domain-errors";
import { makeReportFixture, type ReportFixture } from "./support/report-fixture";

/**
 * Every figure of the report against tests/support/report-fixture.ts, counted by hand:
 *
 *   participants  r1–r8, r10, r11 = 10 (r9's content is held or hidden; staff and erased voters are not participants)
 *   threads       t1 = 1 (t2 hidden; proposal discussions are not threads)
 *   comments      c1–c8, c13–c16 = 12 (c9 held, c10 rejected, c11 deleted, c12 in a hidden thread, c17 under a hidden proposal)
 *   proposals     pr1 = 1, supports 3 (pr2 hidden, its support not counted)
 *   ballots       support 5 (incl. one erased voter), oppose 1, abstain 1 = 7; followers 2 (r5 stopped following)
 *   by area       Alpha 7 (A1 6, A2 1), Beta 2 (B1 1, r11 at kecamatan level), Gamma 0, no area 1 (r10)
 *   reference     9 with an area / 90,000 × 10,000 = 1.0 per 10,000
 *   stance        support 6, oppose 2, neutral 1, none 3
 *   days          03-02: 1 thread + 2 comments · 03-03: 2 comments + 1 proposal + 7 ballots ·
 *                 03-04: 4 comments + 3 supports · 03-05: 4 comments · 03-06: nothing
 *   moderation    held 1 comment · hidden 1 thread + 1 proposal · rejected 1 comment
 */

const TZ = "Asia/Jakarta";
const NOW = new Date("2026-03-10T05:00:00Z");

let db: AppDb;
let path: string;
let open: () => AppDb;
let fx: ReportFixture;

beforeAll(async () => {
  ({ db, path, open } = await freshDatabase());
  fx = await makeReportFixture(db);
});

const figures = (filters: ReportFilters = NO_FILTERS): Promise<ReportFigures> =>
  reportFigures(db, fx.project, filters, { areaLabel: "A1, Alpha", timeZone: TZ, now: NOW });

async function filtersOf(query: string): Promise<ReportFilters> {
  const parsed = await parseReportFilters(db, new URL(`http://x/r?${query}`), TZ);
  if (!parsed.ok) throw new Error(`filters refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.filters;
}

describe("headline figures", () => {
  it("counts only published content, and residents (not staff, not erased voters) as participants", async () => {
    const h = (await figures()).headline;
    expect(h).toMatchObject({ participants: 10, threads: 1, comments: 12, proposals: 1, supports: 3, followers: 2, ballots: 7 });
  });

  it("gives ballots by choice with their shares; unfiltered totals are the public ones, exact", async () => {
    expect((await figures()).headline.ballotsByChoice).toEqual([
      { choice: "support", count: 5, share: 5 / 7 },
      { choice: "oppose", count: 1, share: 1 / 7 },
      { choice: "abstain", count: 1, share: 1 / 7 },
    ]);
  });

  it("suppresses every headline count below 5 once a filter narrows it, and shows no share for them", async () => {
    const h = (await figures(await filtersOf(`kecamatan=${fx.areas.alpha.code}`))).headline;
    // Alpha's 7 participants, 9 comments and 5 ballots are withheld too: the city's public totals
    // less them would give the rest of the city's 3, 3 and 2 (docs/decisions/007).
    expect(h).toMatchObject({ participants: "x", threads: "< 5", comments: "x", proposals: "< 5", supports: "< 5", followers: "< 5", ballots: "x" });
    // A 0 beside two "< 5" would say that none of them abstained.
    expect(h.ballotsByChoice).toEqual([
      { choice: "support", count: "< 5", share: null },
      { choice: "oppose", count: "< 5", share: null },
      { choice: "abstain", count: "< 5", share: null },
    ]);
  });

  it("reads the date range as whole days in the city's time zone", async () => {
    // 3 March only: c3 and c4; c5 was posted at 00:30 WIB on 4 March (still 3 March in UTC).
    const h = (await figures(await filtersOf("from=2026-03-03&to=2026-03-03"))).headline;
    // Ballots and participants are given for the whole consultation only: the public totals less
    // a range would count the ballots cast outside it (docs/decisions/007).
    expect(h).toMatchObject({ comments: "< 5", proposals: "< 5", ballots: "x", participants: "x" });
    const next = (await figures(await filtersOf("from=2026-03-04&to=2026-03-04"))).headline;
    expect(next.comments).toBe("< 5");
    expect((await figures(await filtersOf("from=2026-03-04"))).headline.comments).toBe(8);
  });

  it("is the same as the city overview's headline for the project", async () => {
    expect(await projectHeadline(db, fx.project)).toEqual({
      participants: 10,
      threads: 1,
      comments: 12,
      proposals: 1,
      supports: 3,
      followers: 2,
      ballots: { support: 5, oppose: 1, abstain: 1 },
    });
  });
});

describe("participation by area and representativeness", () => {
  it("counts participants per kecamatan and kelurahan, suppressing 1–4, with rates per 10,000", async () => {
    const p = (await figures()).participation!;
    expect(p.referencePopulation).toBe(90_000);
    // 9 with an area, of the public 10, would say that one has none; Alpha's 7 (and Beta's B1 and
    // r11 at kecamatan level) would give Beta's 2 back: both withheld (docs/decisions/007).
    expect(p.referenceRate).toBeNull();
    expect(p.referenceWithheld).toBe(true);
    expect(p.participantsWithArea).toBe("x");
    expect(p.kecamatan.map((a) => [a.name, a.participants, a.ratePer10k, a.callout])).toEqual([
      ["Alpha", "x", null, "above"],
      ["Beta", "< 5", null, null],
      ["Gamma", "< 5", null, null],
    ]);
    expect(p.kelurahan.map((a) => [a.name, a.kecamatan, a.participants, a.ratePer10k, a.callout])).toEqual([
      ["A1", "Alpha", 6, 5, "above"],
      ["A2", "Alpha", "< 5", null, null],
      ["B1", "Beta", "< 5", null, null],
      ["C1", "Gamma", "< 5", null, null],
    ]);
  });

  it("gives the participants without an area, suppressed (and without a share) when fewer than 5", async () => {
    expect((await figures()).participation!.noArea).toEqual({ count: "< 5", share: null });
  });

  it("compares a kecamatan's kelurahan with the kecamatan itself when filtered by it", async () => {
    const p = (await figures(await filtersOf(`kecamatan=${fx.areas.alpha.code}`))).participation!;
    expect(p.kecamatan.map((a) => a.name)).toEqual(["Alpha"]);
    expect(p.kelurahan.map((a) => a.name)).toEqual(["A1", "A2"]);
    // Alpha's own count is withheld (the rest of the city would be 3), so is the rate that gives it back.
    expect(p.referenceRate).toBeNull();
    expect(p.kelurahan.map((a) => a.participants)).toEqual([6, "< 5"]);
    expect(p.kelurahan.map((a) => a.callout)).toEqual([null, null]);
  });
});

describe("ballots by kecamatan", () => {
  it("tallies by the voter's area at casting time, aggregates only, small counts as < 5", async () => {
    // Seven ballots: a 0 beside a "< 5" would tell how a kecamatan voted ("0, 0, < 5" says every
    // ballot of Beta abstained), and Alpha's 5 would give the rest back from the public totals.
    expect((await figures()).tallies).toEqual([
      { code: fx.areas.alpha.code, name: "Alpha", support: "< 5", oppose: "< 5", abstain: "< 5", total: "x" },
      { code: fx.areas.beta.code, name: "Beta", support: "< 5", oppose: "< 5", abstain: "< 5", total: "< 5" },
      { code: fx.areas.gamma.code, name: "Gamma", support: "< 5", oppose: "< 5", abstain: "< 5", total: "< 5" },
      { code: null, name: null, support: "< 5", oppose: "< 5", abstain: "< 5", total: "< 5" },
    ]);
  });
});

describe("activity, stance, proposals and moderation", () => {
  it("counts activity per city day over the consultation window", async () => {
    const days = (await figures()).activity.days;
    expect(days.map((d) => d.date)).toEqual(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]);
    expect(days.map((d) => [d.threads, d.comments, d.proposals, d.supports, d.ballots, d.total])).toEqual([
      // Each kind's days add up to the public totals, and each day's kinds to its total: one thread,
      // one proposal, three supports on one day each would otherwise come out by subtraction.
      ["< 5", "< 5", "< 5", "< 5", 0, "< 5"],
      ["< 5", "< 5", "< 5", "< 5", "x", 10],
      [0, "< 5", 0, "< 5", "< 5", 7],
      [0, "< 5", 0, "< 5", 0, "x"],
      [0, 0, 0, 0, 0, 0],
    ]);
  });

  it("splits the comments by stance", async () => {
    expect((await figures()).stance).toEqual({
      total: 12,
      rows: [
        { stance: "support", count: 6, share: 0.5 },
        { stance: "oppose", count: "< 5", share: null },
        { stance: "neutral", count: "< 5", share: null },
        { stance: "none", count: "< 5", share: null },
      ],
    });
  });

  it("lists the most-supported published proposals with status and answer, never a hidden one", async () => {
    const top = (await figures()).topProposals;
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ id: fx.proposals.pr1.id, title: "Sumur resapan", supports: 3, status: "open", answer: null });
    expect(top[0]!.path).toBe(`/projects/${fx.project.slug}/proposals/${fx.proposals.pr1.id}`);
  });

  it("gives the project's held, hidden and rejected content", async () => {
    expect((await figures()).moderation).toEqual({
      held: { threads: 0, comments: "< 5", proposals: 0, total: "< 5" },
      hidden: { threads: "< 5", comments: 0, proposals: "< 5", total: "< 5" },
      rejected: { threads: 0, comments: "< 5", proposals: 0, total: "< 5" },
    });
  });

  it("says there is no feedback yet for a project without any, without dividing by zero", async () => {
    const empty = await reportFigures(db, fx.other, NO_FILTERS, { areaLabel: "B1", timeZone: TZ, now: NOW });
    expect(empty.hasFeedback).toBe(false);
    expect(empty.headline.ballotsByChoice.every((b) => b.share === null)).toBe(true);
    expect(empty.stance.rows.every((r) => r.share === null)).toBe(true);
    expect(empty.participation!.referenceRate).toBe(0);
    expect(empty.participation!.noArea).toEqual({ count: 0, share: null });
    expect(empty.activity.days).toEqual([]);
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
  });
});

describe("the < 5 rule", () => {
  it("shows 1–4 as < 5 and keeps 0 and 5 exact", async () => {
    expect([0, 1, 4, 5, 12].map(suppress)).toEqual([0, "< 5", "< 5", 5, 12]);
  });
});

describe("filters", () => {
  const parse = (query: string) => parseReportFilters(db, new URL(`http://x/r?${query}`), TZ);

  it("refuses a malformed or impossible date with a message, not an error", async () => {
    expect(await parse("from=2026-02-30")).toMatchObject({ ok: false, errors: { from: "reports.filters.dateInvalid" } });
    expect(await parse("to=kemarin")).toMatchObject({ ok: false, errors: { to: "reports.filters.dateInvalid" } });
  });

  it("refuses a reversed range", async () => {
    expect(await parse("from=2026-03-05&to=2026-03-01")).toMatchObject({ ok: false, errors: { to: "reports.filters.rangeReversed" } });
  });

  it("refuses an unknown kecamatan, and a kelurahan given as a kecamatan", async () => {
    expect(await parse("kecamatan=99.99")).toMatchObject({ ok: false, errors: { kecamatan: "reports.filters.kecamatanUnknown" } });
    expect(await parse(`kecamatan=${fx.areas.a1.code}`)).toMatchObject({ ok: false, errors: { kecamatan: "reports.filters.kecamatanUnknown" } });
  });

  it("accepts a one-day range and keeps what was typed", async () => {
    const parsed = await parse("from=2026-03-03&to=2026-03-03");
    expect(parsed.ok).toBe(true);
    expect(parsed.values).toEqual({ from: "2026-03-03", to: "2026-03-03", kecamatan: "" });
  });
});

describe("pseudonyms", () => {
  it("are the same for one resident within a project and different across projects", async () => {
    const secret = "rahasia-uji-yang-cukup-panjang";
    const a = pseudonymOf(secret, fx.project.id, fx.r[1]!.id);
    expect(a).toMatch(/^Warga-[0-9A-F]{8}$/);
    expect(pseudonymOf(secret, fx.project.id, fx.r[1]!.id)).toBe(a);
    expect(pseudonymOf(secret, fx.other.id, fx.r[1]!.id)).not.toBe(a);
    expect(pseudonymOf(secret, fx.project.id, fx.r[2]!.id)).not.toBe(a);
    expect(pseudonymOf("another-secret-entirely", fx.project.id, fx.r[1]!.id)).not.toBe(a);
  });

  it("come from a secret generated once, stored under its own settings key and kept across restarts", async () => {
    const first = await pseudonymSecret(db, {});
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await pseudonymSecret(db, {})).toBe(first);
    // Another connection (as after a restart) reads the same secret.
    const again = open();
    expect(await pseudonymSecret(again, {})).toBe(first);
    await closeAppDatabase(again);
    const [row] = await db.select().from(settings).where(eq(settings.key, PSEUDONYM_SECRET_KEY)).limit(1);
    expect(JSON.parse(row!.value)).toBe(first);
  });

  it("use REPORT_PSEUDONYM_SECRET when it is set", async () => {
    expect(await pseudonymSecret(db, { REPORT_PSEUDONYM_SECRET: "from-the-environment-123" })).toBe("from-the-environment-123");
  });
});

describe("who may read reports", () => {
  it("refuses residents and moderators (403) and answers planners and admins", async () => {
    await expectDomainError(() => reportProject(db, fx.r[1]!, fx.project.slug), 403);
    await expectDomainError(() => reportProject(db, fx.moderator, fx.project.slug), 403);
    await expectDomainError(() => reportProject(db, null, fx.project.slug), 403);
    expect((await reportProject(db, fx.planner, fx.project.slug)).project.id).toBe(fx.project.id);
    expect((await reportProject(db, fx.admin, fx.project.slug)).areaLabel).toBe("A1, Alpha");
  });

  it("answers an unknown project with 404", async () => {
    await expectDomainError(() => reportProject(db, fx.planner, "tidak-ada"), 404);
  });
});

describe("downloads over HTTP", () => {
  const context = (user: User | null): AppLoadContext =>
    ({
      db,
      session: user ? { sessionId: "s", user } : null,
      config: { siteUrl: null, cityTimezone: TZ, demo: true, production: false, secureCookies: false, databaseUrl: path },
      requestId: "t",
      cspNonce: "n",
      clientAddress: "127.0.0.1",
      locale: "id",
    }) as AppLoadContext;
  const get = (url: string, user: User | null) =>
    projectDownload({ request: new Request(`http://localhost${url}`), params: { slug: fx.project.slug }, context: context(user) }, "comments");

  async function status(fn: () => Promise<Response>) {
    try {
      return (await fn()).status;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  it("refuses a resident and a moderator with 403, and sends a visitor to sign in", async () => {
    expect(await status(() => get("/x", fx.r[1]!))).toBe(403);
    expect(await status(() => get("/x", fx.moderator))).toBe(403);
    expect(await status(() => get("/x", null))).toBe(302);
    expect(await status(() => cityDownload({ request: new Request("http://localhost/x"), context: context(fx.r[2]!) }, "comments"))).toBe(403);
  });

  it("answers bad filters with a translated 400", async () => {
    const response = await get("/x?from=2026-03-09&to=2026-03-01", fx.planner);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Tanggal akhir harus sama dengan atau setelah tanggal awal.");
  });

  it("writes each export to the moderation log with who, which file and which filters", async () => {
    const response = await get(`/x?from=2026-03-03`, fx.planner);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain(`${fx.project.slug}-comments.csv`);
    await response.arrayBuffer();
    const entry = (
      await db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "export"), eq(moderationLog.targetId, String(fx.project.id))))
    ).at(-1);
    expect(entry).toMatchObject({ actorId: fx.planner.id, targetType: "project" });
    expect(entry!.details).toEqual({
      file: "comments.csv",
      slug: fx.project.slug,
      filters: { from: "2026-03-03", to: null, kecamatan: null },
    });

    const city = await cityDownload({ request: new Request("http://localhost/x"), context: context(fx.admin) }, "projects");
    await city.arrayBuffer();
    const cityEntry = (await db.select().from(moderationLog).where(eq(moderationLog.targetType, "city"))).at(-1);
    expect(cityEntry).toMatchObject({ actorId: fx.admin.id, action: "export", targetId: null });
    expect(cityEntry!.details).toMatchObject({ file: "projects.csv" });
  });
});
