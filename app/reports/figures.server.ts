import { sql } from "drizzle-orm";
import type { Db } from "~db/client";
import type { Choice, ProposalStatus, Project, Stance } from "~db/schema";
import { CHOICES } from "~db/schema/values";
import { describeFilters, hasFilters, type ReportFilters } from "./filters.server";
import { AreaIndex, cityDayFormatter, excludedThreads, inArea, inRange, visibleCommentOf, type AreaInfo } from "./scope.server";
import { SMALL_COUNT, suppress, type Count } from "./small-counts";

/**
 * Every figure of a project's report, computed from published content only, with the filters
 * applied and small counts suppressed. The page, summary.json and report.xlsx all show this one
 * object, so they cannot disagree. The shape is documented in docs/reports.md.
 */

export const REPORT_SCHEMA_VERSION = 1;
export const TOP_PROPOSALS = 10;
/** An area is called out when its rate is below half, or above twice, the reference rate. */
export const FAR_BELOW = 0.5;
export const FAR_ABOVE = 2;
/** Days shown in the activity table at most (a consultation lasts weeks). */
export const MAX_ACTIVITY_DAYS = 400;

export type StanceKey = Stance | "none";
export const STANCE_KEYS: readonly StanceKey[] = ["support", "oppose", "neutral", "none"];
export type Callout = "below" | "above" | null;

export interface AreaFigure {
  code: string;
  name: string;
  /** The kecamatan of a kelurahan. */
  kecamatan: string | null;
  population: number;
  participants: Count;
  /** Participants per 10,000 inhabitants; null when the count is suppressed or the population unknown. */
  ratePer10k: number | null;
  callout: Callout;
}

export interface TallyRow {
  /** null for ballots cast without an area. */
  code: string | null;
  name: string | null;
  support: Count;
  oppose: Count;
  abstain: Count;
  total: Count;
}

export interface ActivityDay {
  date: string;
  threads: Count;
  comments: Count;
  proposals: Count;
  supports: Count;
  ballots: Count;
  total: Count;
}

export interface ProposalFigure {
  id: number;
  title: string;
  supports: number;
  status: ProposalStatus;
  answer: string | null;
  answeredAt: string | null;
  createdAt: string;
  path: string;
}

export interface ModerationFigure {
  threads: Count;
  comments: Count;
  proposals: Count;
  total: Count;
}

export interface ReportFigures {
  schemaVersion: number;
  generatedAt: string;
  project: {
    id: number;
    slug: string;
    title: string;
    phase: Project["phase"];
    area: string;
    consultationOpensAt: string | null;
    consultationClosesAt: string | null;
  };
  filters: ReturnType<typeof describeFilters>;
  smallCountThreshold: number;
  /** False when there is nothing to report yet: no thread, comment, proposal, support or ballot. */
  hasFeedback: boolean;
  headline: {
    participants: Count;
    threads: Count;
    comments: Count;
    proposals: Count;
    supports: Count;
    followers: Count;
    ballots: Count;
    ballotsByChoice: { choice: Choice; count: Count; share: number | null }[];
  };
  participation: {
    /** Participants per 10,000 inhabitants of the city (or of the filtered kecamatan). */
    referenceRate: number | null;
    referencePopulation: number;
    participantsWithArea: Count;
    noArea: { count: Count; share: number | null };
    kecamatan: AreaFigure[];
    kelurahan: AreaFigure[];
  };
  tallies: TallyRow[];
  activity: { days: ActivityDay[]; truncated: boolean };
  stance: { total: Count; rows: { stance: StanceKey; count: Count; share: number | null }[] };
  topProposals: ProposalFigure[];
  moderation: { held: ModerationFigure; hidden: ModerationFigure; rejected: ModerationFigure };
}

export interface FigureOptions {
  areaLabel: string;
  timeZone: string;
  now?: Date;
}

export function reportFigures(db: Db, project: Project, filters: ReportFilters, options: FigureOptions): ReportFigures {
  const now = options.now ?? new Date();
  const areas = AreaIndex.load(db);
  const areaIds = filters.kecamatan ? areas.idsWithin(filters.kecamatan.id) : null;
  const pid = project.id;
  const filtered = hasFilters(filters);
  // The unfiltered headline is the project's public totals; any filter makes it a breakdown.
  const headlineCount = (n: number): Count => (filtered ? suppress(n) : n);
  const userJoin = (column: string) => (areaIds ? sql.raw(` join users u on u.id = ${column}`) : sql``);

  const one = (query: ReturnType<typeof sql>) => db.get<{ n: number }>(query)?.n ?? 0;
  const visible = visibleCommentOf(excludedThreads(db, pid));

  const threads = one(sql`select count(*) as n from threads t${userJoin("t.author_id")}
    where t.project_id = ${pid} and t.visibility = 'published' and t.proposal_id is null${inRange("t.created_at", filters)}${inArea("u.area_id", areaIds)}`);
  const commentCount = one(sql`select count(*) as n from comments c${userJoin("c.author_id")}
    where c.project_id = ${pid} and ${visible}${inRange("c.created_at", filters)}${inArea("u.area_id", areaIds)}`);
  const proposalCount = one(sql`select count(*) as n from proposals p${userJoin("p.author_id")}
    where p.project_id = ${pid} and p.visibility = 'published'${inRange("p.created_at", filters)}${inArea("u.area_id", areaIds)}`);
  const supportCount = one(sql`select count(*) as n from supports s join proposals p on p.id = s.proposal_id${userJoin("s.user_id")}
    where s.project_id = ${pid} and p.visibility = 'published'${inRange("s.created_at", filters)}${inArea("u.area_id", areaIds)}`);
  const followers = one(sql`select count(*) as n from follows f${userJoin("f.user_id")}
    where f.project_id = ${pid} and f.active = 1${inRange("f.created_at", filters)}${inArea("u.area_id", areaIds)}`);

  // Ballots: by the voter's area when they voted (stored on the ballot), never by voter.
  const ballotRows = db.all<{ areaId: number | null; choice: Choice; n: number }>(sql`
    select v.area_id as areaId, v.choice as choice, count(*) as n from votes v
    where v.project_id = ${pid}${inRange("v.created_at", filters)}${inArea("v.area_id", areaIds)}
    group by v.area_id, v.choice`);
  const ballotsByChoice = Object.fromEntries(CHOICES.map((c) => [c, 0])) as Record<Choice, number>;
  for (const r of ballotRows) ballotsByChoice[r.choice] += r.n;
  const ballots = CHOICES.reduce((sum, c) => sum + ballotsByChoice[c], 0);

  const participants = participantsByArea(db, pid, filters, areaIds, visible);
  const participantTotal = [...participants.values()].reduce((a, b) => a + b, 0);

  const hasFeedback = threads + commentCount + proposalCount + supportCount + ballots > 0;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    project: {
      id: project.id,
      slug: project.slug,
      title: project.title,
      phase: project.phase,
      area: options.areaLabel,
      consultationOpensAt: project.consultationOpensAt?.toISOString() ?? null,
      consultationClosesAt: project.consultationClosesAt?.toISOString() ?? null,
    },
    filters: describeFilters(filters),
    smallCountThreshold: SMALL_COUNT,
    hasFeedback,
    headline: {
      participants: headlineCount(participantTotal),
      threads: headlineCount(threads),
      comments: headlineCount(commentCount),
      proposals: headlineCount(proposalCount),
      supports: headlineCount(supportCount),
      followers: headlineCount(followers),
      ballots: headlineCount(ballots),
      ballotsByChoice: CHOICES.map((choice) => {
        const count = headlineCount(ballotsByChoice[choice]);
        return { choice, count, share: typeof count === "number" && ballots > 0 ? ballotsByChoice[choice] / ballots : null };
      }),
    },
    participation: participationFigures(areas, participants, filters),
    tallies: talliesByKecamatan(areas, ballotRows, areaIds !== null),
    activity: activityByDay(db, project, filters, areaIds, options.timeZone, now, visible),
    stance: stanceSplit(db, pid, filters, areaIds, visible),
    topProposals: topProposals(db, project, filters, areaIds),
    moderation: moderationFigures(db, pid, filters, areaIds),
  };
}

/**
 * Distinct residents who did anything published on the project (a thread, comment, proposal,
 * support or ballot) within the filters, counted per their account's area. Staff accounts are not
 * participants; ballots of erased accounts cannot be told apart and are counted only as ballots.
 */
export function participantsByArea(
  db: Db,
  projectId: number,
  filters: ReportFilters,
  areaIds: number[] | null,
  visible = visibleCommentOf(excludedThreads(db, projectId)),
): Map<number | null, number> {
  const rows = db.all<{ areaId: number | null; n: number }>(sql`
    select u.area_id as areaId, count(*) as n from (
      select c.author_id as uid from comments c
        where c.project_id = ${projectId} and ${visible}${inRange("c.created_at", filters)}
      union select t.author_id from threads t
        where t.project_id = ${projectId} and t.visibility = 'published' and t.proposal_id is null${inRange("t.created_at", filters)}
      union select p.author_id from proposals p
        where p.project_id = ${projectId} and p.visibility = 'published'${inRange("p.created_at", filters)}
      union select s.user_id from supports s join proposals p on p.id = s.proposal_id
        where s.project_id = ${projectId} and p.visibility = 'published'${inRange("s.created_at", filters)}
      union select v.user_id from votes v
        where v.project_id = ${projectId} and v.user_id is not null${inRange("v.created_at", filters)}
    ) x join users u on u.id = x.uid
    where u.role = 'resident'${inArea("u.area_id", areaIds)}
    group by u.area_id`);
  return new Map(rows.map((r) => [r.areaId, r.n]));
}

function rateOf(n: number, population: number) {
  return population > 0 ? (n / population) * 10_000 : null;
}

/** Far below or above the reference rate; a suppressed count (1–4) is judged by its bounds. */
function calloutOf(n: number, population: number, reference: number | null): Callout {
  if (reference === null || reference <= 0 || population <= 0) return null;
  const [low, high] = n > 0 && n < SMALL_COUNT ? [1, SMALL_COUNT - 1] : [n, n];
  if ((high / population) * 10_000 < reference * FAR_BELOW) return "below";
  if ((low / population) * 10_000 > reference * FAR_ABOVE) return "above";
  return null;
}

function participationFigures(areas: AreaIndex, participants: Map<number | null, number>, filters: ReportFilters): ReportFigures["participation"] {
  const perKecamatan = new Map<number, number>();
  const perKelurahan = new Map<number, number>();
  let noArea = 0;
  let total = 0;
  for (const [areaId, n] of participants) {
    total += n;
    const kecamatan = areas.kecamatanOf(areaId);
    if (!kecamatan) {
      noArea += n;
      continue;
    }
    perKecamatan.set(kecamatan.id, (perKecamatan.get(kecamatan.id) ?? 0) + n);
    const kelurahan = areas.kelurahanOf(areaId);
    if (kelurahan) perKelurahan.set(kelurahan.id, (perKelurahan.get(kelurahan.id) ?? 0) + n);
  }
  const kecamatanInScope = filters.kecamatan ? areas.kecamatan.filter((k) => k.id === filters.kecamatan!.id) : areas.kecamatan;
  const scopeIds = new Set(kecamatanInScope.map((k) => k.id));
  const kelurahanInScope = areas.kelurahan.filter((k) => k.parentId !== null && scopeIds.has(k.parentId));
  const withArea = total - noArea;
  const referencePopulation = kecamatanInScope.reduce((sum, k) => sum + k.population, 0);
  const referenceRate = rateOf(withArea, referencePopulation);
  const figure = (area: AreaInfo, n: number, kecamatanName: string | null): AreaFigure => {
    const count = suppress(n);
    return {
      code: area.code,
      name: area.name,
      kecamatan: kecamatanName,
      population: area.population,
      participants: count,
      ratePer10k: typeof count === "number" ? rateOf(n, area.population) : null,
      callout: calloutOf(n, area.population, referenceRate),
    };
  };
  const noAreaCount = suppress(noArea);
  return {
    referenceRate,
    referencePopulation,
    participantsWithArea: suppress(withArea),
    noArea: { count: noAreaCount, share: typeof noAreaCount === "number" && total > 0 ? noArea / total : null },
    kecamatan: kecamatanInScope.map((k) => figure(k, perKecamatan.get(k.id) ?? 0, null)),
    kelurahan: kelurahanInScope.map((k) => figure(k, perKelurahan.get(k.id) ?? 0, areas.byId.get(k.parentId!)?.name ?? null)),
  };
}

function talliesByKecamatan(areas: AreaIndex, rows: { areaId: number | null; choice: Choice; n: number }[], filtered: boolean): TallyRow[] {
  const byKecamatan = new Map<number | null, Record<Choice, number>>();
  for (const r of rows) {
    const kecamatan = areas.kecamatanOf(r.areaId);
    const key = kecamatan?.id ?? null;
    const entry = byKecamatan.get(key) ?? { support: 0, oppose: 0, abstain: 0 };
    entry[r.choice] += r.n;
    byKecamatan.set(key, entry);
  }
  const row = (area: AreaInfo | null, e: Record<Choice, number> | undefined): TallyRow => {
    const v = e ?? { support: 0, oppose: 0, abstain: 0 };
    return {
      code: area?.code ?? null,
      name: area?.name ?? null,
      support: suppress(v.support),
      oppose: suppress(v.oppose),
      abstain: suppress(v.abstain),
      total: suppress(v.support + v.oppose + v.abstain),
    };
  };
  const inScope = filtered ? areas.kecamatan.filter((k) => byKecamatan.has(k.id)) : areas.kecamatan;
  const out = inScope.map((k) => row(k, byKecamatan.get(k.id)));
  if (byKecamatan.has(null)) out.push(row(null, byKecamatan.get(null)));
  return out;
}

const DAY_MS = 86_400_000;
/** Activity is grouped in quarter hours in SQL, then by city day here: exact in every time zone. */
const BUCKET_MS = 15 * 60_000;

function activityByDay(
  db: Db,
  project: Project,
  filters: ReportFilters,
  areaIds: number[] | null,
  timeZone: string,
  now: Date,
  visible: ReturnType<typeof visibleCommentOf>,
): ReportFigures["activity"] {
  const pid = project.id;
  const userJoin = (column: string) => (areaIds ? sql.raw(` join users u on u.id = ${column}`) : sql``);
  const rows = db.all<{ kind: keyof Omit<ActivityDay, "date" | "total">; bucket: number; n: number }>(sql`
    select 'comments' as kind, c.created_at / ${BUCKET_MS} as bucket, count(*) as n from comments c${userJoin("c.author_id")}
      where c.project_id = ${pid} and ${visible}${inRange("c.created_at", filters)}${inArea("u.area_id", areaIds)} group by bucket
    union all select 'threads', t.created_at / ${BUCKET_MS} as bucket, count(*) from threads t${userJoin("t.author_id")}
      where t.project_id = ${pid} and t.visibility = 'published' and t.proposal_id is null${inRange("t.created_at", filters)}${inArea("u.area_id", areaIds)} group by bucket
    union all select 'proposals', p.created_at / ${BUCKET_MS} as bucket, count(*) from proposals p${userJoin("p.author_id")}
      where p.project_id = ${pid} and p.visibility = 'published'${inRange("p.created_at", filters)}${inArea("u.area_id", areaIds)} group by bucket
    union all select 'supports', s.created_at / ${BUCKET_MS} as bucket, count(*) from supports s join proposals p on p.id = s.proposal_id${userJoin("s.user_id")}
      where s.project_id = ${pid} and p.visibility = 'published'${inRange("s.created_at", filters)}${inArea("u.area_id", areaIds)} group by bucket
    union all select 'ballots', v.created_at / ${BUCKET_MS} as bucket, count(*) from votes v
      where v.project_id = ${pid}${inRange("v.created_at", filters)}${inArea("v.area_id", areaIds)} group by bucket`);
  const dayOf = cityDayFormatter(timeZone);
  const counts = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const day = dayOf(r.bucket * BUCKET_MS);
    const entry = counts.get(day) ?? { threads: 0, comments: 0, proposals: 0, supports: 0, ballots: 0 };
    entry[r.kind] = (entry[r.kind] ?? 0) + r.n;
    counts.set(day, entry);
  }
  // The consultation window (up to today), narrowed by the filters, widened to any activity outside it.
  const activeDays = [...counts.keys()].sort();
  const windowEnd = project.consultationClosesAt && project.consultationClosesAt < now ? project.consultationClosesAt : now;
  let start = filters.from ? dayOf(filters.from) : project.consultationOpensAt ? dayOf(project.consultationOpensAt) : activeDays[0];
  let end = filters.to ? dayOf(filters.to.getTime() - 1) : project.consultationOpensAt ? dayOf(windowEnd) : activeDays.at(-1);
  if (activeDays.length) {
    if (!start || activeDays[0]! < start) start = activeDays[0];
    if (!end || activeDays.at(-1)! > end) end = activeDays.at(-1);
  }
  if (!start || !end || !activeDays.length) return { days: [], truncated: false };
  const days: string[] = [];
  for (let t = Date.parse(`${end}T00:00:00Z`), first = Date.parse(`${start}T00:00:00Z`); t >= first; t -= DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
    if (days.length > MAX_ACTIVITY_DAYS) break;
  }
  const truncated = days.length > MAX_ACTIVITY_DAYS;
  return {
    truncated,
    days: days
      .slice(0, MAX_ACTIVITY_DAYS)
      .reverse()
      .map((date) => {
        const e = counts.get(date) ?? { threads: 0, comments: 0, proposals: 0, supports: 0, ballots: 0 };
        return {
          date,
          threads: suppress(e.threads!),
          comments: suppress(e.comments!),
          proposals: suppress(e.proposals!),
          supports: suppress(e.supports!),
          ballots: suppress(e.ballots!),
          total: suppress(e.threads! + e.comments! + e.proposals! + e.supports! + e.ballots!),
        };
      }),
  };
}

function stanceSplit(db: Db, pid: number, filters: ReportFilters, areaIds: number[] | null, visible: ReturnType<typeof visibleCommentOf>): ReportFigures["stance"] {
  const userJoin = areaIds ? sql.raw(" join users u on u.id = c.author_id") : sql``;
  const rows = db.all<{ stance: Stance | null; n: number }>(sql`
    select c.stance as stance, count(*) as n from comments c${userJoin}
    where c.project_id = ${pid} and ${visible}${inRange("c.created_at", filters)}${inArea("u.area_id", areaIds)}
    group by c.stance`);
  const counts: Record<StanceKey, number> = { support: 0, oppose: 0, neutral: 0, none: 0 };
  for (const r of rows) counts[r.stance ?? "none"] += r.n;
  const total = STANCE_KEYS.reduce((s, k) => s + counts[k], 0);
  return {
    total: suppress(total),
    rows: STANCE_KEYS.map((stance) => {
      const count = suppress(counts[stance]);
      return { stance, count, share: typeof count === "number" && total > 0 ? counts[stance] / total : null };
    }),
  };
}

function topProposals(db: Db, project: Project, filters: ReportFilters, areaIds: number[] | null): ProposalFigure[] {
  const userJoin = areaIds ? sql.raw(" join users u on u.id = p.author_id") : sql``;
  const rows = db.all<{ id: number; title: string; supports: number; status: ProposalStatus; answer: string | null; answeredAt: number | null; createdAt: number }>(sql`
    select p.id, p.title, p.support_count as supports, p.status, p.answer_source as answer, p.answered_at as answeredAt, p.created_at as createdAt
    from proposals p${userJoin}
    where p.project_id = ${project.id} and p.visibility = 'published'${inRange("p.created_at", filters)}${inArea("u.area_id", areaIds)}
    order by p.support_count desc, p.created_at asc, p.id asc
    limit ${TOP_PROPOSALS}`);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    supports: r.supports,
    status: r.status,
    answer: r.answer,
    answeredAt: r.answeredAt === null ? null : new Date(r.answeredAt).toISOString(),
    createdAt: new Date(r.createdAt).toISOString(),
    path: `/projects/${project.slug}/proposals/${r.id}`,
  }));
}

/** Held (waiting for review), hidden and rejected contributions: counts only. */
function moderationFigures(db: Db, pid: number, filters: ReportFilters, areaIds: number[] | null): ReportFigures["moderation"] {
  const userJoin = (column: string) => (areaIds ? sql.raw(` join users u on u.id = ${column}`) : sql``);
  const rows = db.all<{ kind: "threads" | "comments" | "proposals"; visibility: "pending" | "hidden" | "rejected"; n: number }>(sql`
    select 'comments' as kind, c.visibility as visibility, count(*) as n from comments c${userJoin("c.author_id")}
      where c.project_id = ${pid} and c.visibility in ('pending', 'hidden', 'rejected')${inRange("c.created_at", filters)}${inArea("u.area_id", areaIds)}
      group by c.visibility
    union all select 'threads', t.visibility, count(*) from threads t${userJoin("t.author_id")}
      where t.project_id = ${pid} and t.proposal_id is null and t.visibility in ('pending', 'hidden', 'rejected')${inRange("t.created_at", filters)}${inArea("u.area_id", areaIds)}
      group by t.visibility
    union all select 'proposals', p.visibility, count(*) from proposals p${userJoin("p.author_id")}
      where p.project_id = ${pid} and p.visibility in ('pending', 'hidden', 'rejected')${inRange("p.created_at", filters)}${inArea("u.area_id", areaIds)}
      group by p.visibility`);
  const figure = (visibility: "pending" | "hidden" | "rejected"): ModerationFigure => {
    const n = (kind: string) => rows.filter((r) => r.kind === kind && r.visibility === visibility).reduce((s, r) => s + r.n, 0);
    return {
      threads: suppress(n("threads")),
      comments: suppress(n("comments")),
      proposals: suppress(n("proposals")),
      total: suppress(n("threads") + n("comments") + n("proposals")),
    };
  };
  return { held: figure("pending"), hidden: figure("hidden"), rejected: figure("rejected") };
}
