import { and, asc, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { rows, tables, withReadSnapshot, type AppDb } from "~db/engine";
import type { Choice, ProposalStatus, Project, Stance } from "~db/schema";
import { CHOICES, STANCES } from "~db/schema/values";
import { describeFilters, type ReportFilters } from "./filters.server";
import {
  AreaIndex,
  cityDayFormatter,
  excludedThreads,
  inArea,
  inRange,
  kecamatanOfArea,
  PUBLISHED_PROPOSAL,
  PUBLISHED_THREAD,
  timeBucket,
  visibleCommentOf,
  type AreaInfo,
} from "./scope.server";
import { SMALL_COUNT, WITHHELD, type Count } from "./small-counts";
import { SuppressionTable, type CellKind } from "./suppression";
import { proposalPath } from "~/content/links";
import { publishedSql } from "~/content/visibility.server";

/**
 * Every figure of a project's report, computed from published content only, with the filters
 * applied and small counts protected (suppression.ts; docs/decisions/007). The page, summary.json,
 * tallies.csv and report.xlsx all show this one object, so they cannot disagree. The shape is
 * documented in docs/reports.md.
 *
 * Where people live and how they voted are the private attributes a report could give away, and
 * supports, ballots, follows and moderation decisions the contributions that are not on the public
 * pages one by one:
 * - Over the whole consultation, every figure is computed for each kecamatan (and for "no area")
 *   in one table whose lines tie each kecamatan to the city (suppression.ts). The city's report
 *   and every kecamatan's report are read from that one table, so they withhold the same cells,
 *   and a kecamatan's figures are withheld wherever the rest of the city would be 1–4 of something.
 * - A date range gives only what the public pages show one by one with its date: threads,
 *   comments, proposals, their stances, the most-supported proposals. Participants, supports,
 *   followers, ballots (and their choices), moderation, and anything by area are given for the
 *   whole consultation only: sliding a range a day at a time would give them by subtraction.
 *   A kecamatan's report gives nothing by day, and a kecamatan and a date range are never
 *   combined (filters.server.ts refuses it).
 * - The city's figures by day and by stance are a table of their own (ownTable), protected
 *   against subtraction from their totals like the rest.
 */

export const REPORT_SCHEMA_VERSION = 2;
export const TOP_PROPOSALS = 10;
/** An area is called out when its rate is below half, or above twice, the reference rate. */
export const FAR_BELOW = 0.5;
export const FAR_ABOVE = 2;
/** Days shown in the activity table at most (a consultation lasts weeks). */
export const MAX_ACTIVITY_DAYS = 400;

export type StanceKey = Stance | "none";
export const STANCE_KEYS: readonly StanceKey[] = [...STANCES, "none"];
export type Callout = "below" | "above" | null;
/**
 * What a report does not give for its filters: over a date range, anything by area (`areas`) or by
 * choice (`choices`), and participants, supports, followers, ballots and moderation
 * (`privateCounts`, shown as withheld); for a kecamatan, its activity by day (`activity`) and its
 * residents' most-supported proposals, each with its author's public name (`proposals`).
 */
export type Withheld = "areas" | "choices" | "privateCounts" | "activity" | "proposals";

const KINDS = ["threads", "comments", "proposals", "supports", "ballots"] as const;
type Kind = (typeof KINDS)[number];
const MODERATION_STATES = { held: "pending", hidden: "hidden", rejected: "rejected" } as const;
type ModerationState = keyof typeof MODERATION_STATES;
const MODERATED_KINDS = ["threads", "comments", "proposals"] as const;
type ModeratedKind = (typeof MODERATED_KINDS)[number];

export interface AreaFigure {
  code: string;
  name: string;
  /** The kecamatan of a kelurahan. */
  kecamatan: string | null;
  population: number;
  participants: Count;
  /** Participants per 10,000 inhabitants; null when the count is withheld or the population unknown. */
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

export interface ParticipationFigures {
  /** Participants per 10,000 inhabitants of the city (or of the filtered kecamatan); null when withheld or unknown. */
  referenceRate: number | null;
  /** The reference rate would give back a withheld count. */
  referenceWithheld: boolean;
  referencePopulation: number;
  participantsWithArea: Count;
  noArea: { count: Count; share: number | null };
  kecamatan: AreaFigure[];
  kelurahan: AreaFigure[];
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
  withheld: Withheld[];
  headline: {
    participants: Count;
    threads: Count;
    comments: Count;
    proposals: Count;
    supports: Count;
    followers: Count;
    ballots: Count;
    /** Empty when withheld (`choices`). */
    ballotsByChoice: { choice: Choice; count: Count; share: number | null }[];
  };
  /** null when withheld (`areas`). */
  participation: ParticipationFigures | null;
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

/** The raw counts of one group of people: one kecamatan, "no area", the city, or a date range. */
interface Tally {
  participants: number;
  followers: number;
  choice: Record<Choice, number>;
  /** Per city day. */
  days: Map<string, Record<Kind, number>>;
  stance: Record<StanceKey, number>;
  moderation: Record<ModerationState, Record<ModeratedKind, number>>;
}

const emptyKinds = (): Record<Kind, number> => ({ threads: 0, comments: 0, proposals: 0, supports: 0, ballots: 0 });
const emptyTally = (): Tally => ({
  participants: 0,
  followers: 0,
  choice: { support: 0, oppose: 0, abstain: 0 },
  days: new Map(),
  stance: { support: 0, oppose: 0, neutral: 0, none: 0 },
  moderation: {
    held: { threads: 0, comments: 0, proposals: 0 },
    hidden: { threads: 0, comments: 0, proposals: 0 },
    rejected: { threads: 0, comments: 0, proposals: 0 },
  },
});

export function reportFigures(db: AppDb, project: Project, filters: ReportFilters, options: FigureOptions): Promise<ReportFigures> {
  // One snapshot, so that every line of the table adds up even while residents keep writing.
  return withReadSnapshot(db, (snapshot) => computeFigures(snapshot, project, filters, options));
}

async function computeFigures(db: AppDb, project: Project, filters: ReportFilters, options: FigureOptions): Promise<ReportFigures> {
  const now = options.now ?? new Date();
  const areas = await AreaIndex.load(db);
  const visible = visibleCommentOf(await excludedThreads(db, project.id));
  const ranged = Boolean(filters.from || filters.to);
  const { tallies, byArea } = await readTallies(db, project, filters, areas, options.timeZone, visible);
  const window = activityWindow(project, filters, tallies, options.timeZone, now);

  const base = {
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
  };

  const all = sumTallies([...tallies.values()]);
  const own = ownTable(all, window, ranged);
  if (ranged) {
    // A date range: only what the public pages show one by one with its date (docs/decisions/007).
    const headline = {
      participants: WITHHELD,
      followers: WITHHELD,
      ...(Object.fromEntries(KINDS.map((k) => [k, own.t.count(own.head[k])])) as Record<Kind, Count>),
      ballotsByChoice: [],
    };
    return {
      ...base,
      hasFeedback: PUBLIC_KINDS.some((k) => own.t.value(own.head[k]) > 0),
      withheld: ["areas", "choices", "privateCounts"],
      headline,
      participation: null,
      tallies: [],
      activity: own.activity,
      stance: own.stance,
      topProposals: await topProposals(db, project, filters),
      moderation: withheldModeration(),
    };
  }

  const table = wholeConsultation(tallies, all, byArea, areas);
  const kecamatan = filters.kecamatan ? areas.byId.get(filters.kecamatan.id)! : null;
  const g = kecamatan ? table.groups.get(kecamatan.id)! : table.city;
  const headline = headlineOf(table.t, g);
  return {
    ...base,
    hasFeedback: hasFeedback(headline),
    withheld: kecamatan ? ["activity", "proposals"] : [],
    headline,
    participation: participationFigures(table, areas, kecamatan),
    tallies: kecamatan ? [tallyRow(table.t, table.groups.get(kecamatan.id)!, kecamatan)] : tallyRows(table, areas),
    activity: kecamatan ? { days: [], truncated: false } : own.activity,
    stance: kecamatan ? stanceOf(table.t, g) : own.stance,
    topProposals: kecamatan ? [] : await topProposals(db, project, filters),
    moderation: moderationOf(table.t, g),
  };
}

/** The area of the person (alias u) or ballot (alias v) a count is grouped by: its kecamatan, as `ka`. */
const areaJoin = (column: string) => sql.raw(`left join areas ka on ka.id = ${column}`);
const KEC = kecamatanOfArea("ka");

/** Activity is grouped in quarter hours in SQL, then by city day here: exact in every time zone. */
const BUCKET_MS = 15 * 60_000;

/**
 * Every raw count of the report within the date range, per kecamatan (null: no area, or an area
 * outside every kecamatan), and participants per area (for the kelurahan).
 */
async function readTallies(db: AppDb, project: Project, filters: ReportFilters, areas: AreaIndex, timeZone: string, visible: SQL) {
  const pid = project.id;
  const tallies = new Map<number | null, Tally>();
  const known = (kec: number | null) => (kec !== null && areas.byId.get(kec)?.level === "kecamatan" ? kec : null);
  const of = (kec: number | null) => {
    const key = known(kec);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = emptyTally()));
    return tally;
  };
  const range = (column: string) => inRange(db, column, filters);
  const bucket = (column: string) => timeBucket(db, column, BUCKET_MS);

  const byArea = await participantsByArea(db, pid, filters, null, visible);
  for (const [areaId, n] of byArea) of(areas.kecamatanOf(areaId)?.id ?? null).participants += n;

  for (const r of await rows<{ kec: number | null; n: number }>(
    db,
    sql`
    select ${KEC} as kec, count(*) as n from follows f join users u on u.id = f.user_id ${areaJoin("u.area_id")}
    where f.project_id = ${pid} and f.active = true${range("f.created_at")} group by kec`,
  )) {
    of(r.kec).followers += r.n;
  }

  // Ballots: by the voter's area when they voted (stored on the ballot), never by voter.
  for (const r of await rows<{ kec: number | null; choice: Choice; n: number }>(
    db,
    sql`
    select ${KEC} as kec, v.choice as choice, count(*) as n from votes v ${areaJoin("v.area_id")}
    where v.project_id = ${pid}${range("v.created_at")} group by kec, v.choice`,
  )) {
    of(r.kec).choice[r.choice] += r.n;
  }

  const dayOf = cityDayFormatter(timeZone);
  for (const r of await rows<{ kind: Kind; bucket: number; kec: number | null; n: number }>(
    db,
    sql`
    select 'comments' as kind, ${bucket("c.created_at")} as bucket, ${KEC} as kec, count(*) as n
      from comments c join users u on u.id = c.author_id ${areaJoin("u.area_id")}
      where c.project_id = ${pid} and ${visible}${range("c.created_at")} group by bucket, kec
    union all select 'threads', ${bucket("t.created_at")} as bucket, ${KEC} as kec, count(*)
      from threads t join users u on u.id = t.author_id ${areaJoin("u.area_id")}
      where t.project_id = ${pid} and ${PUBLISHED_THREAD} and t.proposal_id is null${range("t.created_at")} group by bucket, kec
    union all select 'proposals', ${bucket("p.created_at")} as bucket, ${KEC} as kec, count(*)
      from proposals p join users u on u.id = p.author_id ${areaJoin("u.area_id")}
      where p.project_id = ${pid} and ${PUBLISHED_PROPOSAL}${range("p.created_at")} group by bucket, kec
    union all select 'supports', ${bucket("s.created_at")} as bucket, ${KEC} as kec, count(*)
      from supports s join proposals p on p.id = s.proposal_id join users u on u.id = s.user_id ${areaJoin("u.area_id")}
      where s.project_id = ${pid} and ${PUBLISHED_PROPOSAL}${range("s.created_at")} group by bucket, kec
    union all select 'ballots', ${bucket("v.created_at")} as bucket, ${KEC} as kec, count(*)
      from votes v ${areaJoin("v.area_id")}
      where v.project_id = ${pid}${range("v.created_at")} group by bucket, kec`,
  )) {
    const days = of(r.kec).days;
    const day = dayOf(r.bucket * BUCKET_MS);
    const entry = days.get(day) ?? emptyKinds();
    entry[r.kind] += r.n;
    days.set(day, entry);
  }

  for (const r of await rows<{ stance: Stance | null; kec: number | null; n: number }>(
    db,
    sql`
    select c.stance as stance, ${KEC} as kec, count(*) as n from comments c join users u on u.id = c.author_id ${areaJoin("u.area_id")}
    where c.project_id = ${pid} and ${visible}${range("c.created_at")} group by c.stance, kec`,
  )) {
    of(r.kec).stance[r.stance ?? "none"] += r.n;
  }

  const moderated = await rows<{ kind: ModeratedKind; visibility: "pending" | "hidden" | "rejected"; kec: number | null; n: number }>(
    db,
    sql`
    select 'comments' as kind, c.visibility as visibility, ${KEC} as kec, count(*) as n
      from comments c join users u on u.id = c.author_id ${areaJoin("u.area_id")}
      where c.project_id = ${pid} and c.visibility in ('pending', 'hidden', 'rejected')${range("c.created_at")} group by c.visibility, kec
    union all select 'threads', t.visibility, ${KEC} as kec, count(*)
      from threads t join users u on u.id = t.author_id ${areaJoin("u.area_id")}
      where t.project_id = ${pid} and t.proposal_id is null and t.visibility in ('pending', 'hidden', 'rejected')${range("t.created_at")} group by t.visibility, kec
    union all select 'proposals', p.visibility, ${KEC} as kec, count(*)
      from proposals p join users u on u.id = p.author_id ${areaJoin("u.area_id")}
      where p.project_id = ${pid} and p.visibility in ('pending', 'hidden', 'rejected')${range("p.created_at")} group by p.visibility, kec`,
  );
  const state = (v: string) => (Object.keys(MODERATION_STATES) as ModerationState[]).find((k) => MODERATION_STATES[k] === v)!;
  for (const r of moderated) of(r.kec).moderation[state(r.visibility)][r.kind] += r.n;

  return { tallies, byArea };
}

function sumTallies(list: Tally[]): Tally {
  const out = emptyTally();
  for (const t of list) {
    out.participants += t.participants;
    out.followers += t.followers;
    for (const c of CHOICES) out.choice[c] += t.choice[c];
    for (const [day, kinds] of t.days) {
      const entry = out.days.get(day) ?? emptyKinds();
      for (const k of KINDS) entry[k] += kinds[k];
      out.days.set(day, entry);
    }
    for (const s of STANCE_KEYS) out.stance[s] += t.stance[s];
    for (const m of Object.keys(MODERATION_STATES) as ModerationState[]) for (const k of MODERATED_KINDS) out.moderation[m][k] += t.moderation[m][k];
  }
  return out;
}

const DAY_MS = 86_400_000;

interface ActivityWindow {
  days: string[];
  truncated: boolean;
}

/** The consultation window (up to today), narrowed by the date filters, widened to any activity in them outside it. */
function activityWindow(project: Project, filters: ReportFilters, tallies: Map<number | null, Tally>, timeZone: string, now: Date): ActivityWindow {
  const dayOf = cityDayFormatter(timeZone);
  const activeDays = [...new Set([...tallies.values()].flatMap((t) => [...t.days.keys()]))].sort();
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
  return { days: days.slice(0, MAX_ACTIVITY_DAYS).reverse(), truncated };
}

function kindTotals(tally: Tally): Record<Kind, number> {
  const totals = emptyKinds();
  for (const kinds of tally.days.values()) for (const k of KINDS) totals[k] += kinds[k];
  return totals;
}

/** Threads, comments and proposals: each is on the public pages with its date, its stance and its author's name. */
const PUBLIC_KINDS = ["threads", "comments", "proposals"] as const satisfies readonly Kind[];
const isPublicKind = (k: Kind) => (PUBLIC_KINDS as readonly Kind[]).includes(k);

interface OwnTable {
  t: SuppressionTable;
  head: Record<Kind, number>;
  stance: ReportFigures["stance"];
  activity: ReportFigures["activity"];
}

/**
 * The city's own figures by day and by stance, with the totals they add up to: each day's kinds
 * and its total, each kind's days and the headline (the public totals over the whole
 * consultation; over a date range, the range's counts, protected like any other cell).
 *
 * Solved twice on the same cells. First for a reader who also counts the public pages (every
 * thread, comment and proposal shows its date and stance), which decides what protects the
 * supports and ballots of each day; then for a reader of the report alone, which keeps what the
 * first withheld and protects the "< 5" of the public kinds too.
 *
 * Over a date range, supports, ballots and the day's total (which holds them) are withheld
 * outright: subtracting one range from another would give them exactly.
 */
function ownTable(tally: Tally, window: ActivityWindow, ranged: boolean): OwnTable {
  const build = (readerCountsPublicPages: boolean) => {
    const t = new SuppressionTable();
    const known = (k: Kind) => readerCountsPublicPages && isPublicKind(k);
    const totals = kindTotals(tally);
    const head = Object.fromEntries(KINDS.map((k) => [k, t.cell(totals[k], !ranged || known(k) ? "public" : "published")])) as Record<Kind, number>;
    const stance = STANCE_KEYS.map((s) => t.cell(tally.stance[s], readerCountsPublicPages ? "public" : "published"));
    t.line(stance, head.comments);
    const days = window.days.map((date) => {
      const e = tally.days.get(date) ?? emptyKinds();
      const cells = Object.fromEntries(KINDS.map((k) => [k, t.cell(e[k], known(k) ? "public" : "published")])) as Record<Kind, number>;
      const total = t.cell(
        KINDS.reduce((sum, k) => sum + e[k], 0),
        "published",
      );
      t.line(
        KINDS.map((k) => cells[k]),
        total,
      );
      if (ranged) for (const id of [cells.supports, cells.ballots, total]) t.withhold(id, WITHHELD);
      return { date, cells, total };
    });
    for (const k of KINDS) {
      const parts = days.map((d) => d.cells[k]);
      // Days beyond the table's limit: not shown, but part of the total.
      if (window.truncated) parts.push(t.cell(totals[k] - parts.reduce((sum, id) => sum + t.value(id), 0), "unpublished"));
      t.line(parts, head[k]);
    }
    if (ranged) for (const k of KINDS) if (!isPublicKind(k)) t.withhold(head[k], WITHHELD);
    return { t, head, stance, days };
  };
  const withPublicPages = build(true);
  const alone = build(false);
  // Both tables hold the same cells in the same order.
  for (let id = 0; id < alone.t.size; id++) {
    const count = withPublicPages.t.count(id);
    if (typeof count !== "number") alone.t.withhold(id, count);
  }
  const { t, head, stance, days } = alone;
  return {
    t,
    head,
    stance: {
      total: t.count(head.comments),
      rows: STANCE_KEYS.map((key, i) => ({ stance: key, count: t.count(stance[i]!), share: shareOf(t, stance[i]!, head.comments) })),
    },
    activity: {
      truncated: window.truncated,
      days: days.map(({ date, cells, total }) => ({
        date,
        ...(Object.fromEntries(KINDS.map((k) => [k, t.count(cells[k])])) as Record<Kind, Count>),
        total: t.count(total),
      })),
    },
  };
}

/** Moderation over a date range: withheld, as one range less another would name the day a contribution was refused. */
function withheldModeration(): ReportFigures["moderation"] {
  const none = (): ModerationFigure => ({ threads: WITHHELD, comments: WITHHELD, proposals: WITHHELD, total: WITHHELD });
  return { held: none(), hidden: none(), rejected: none() };
}

/** A group's cells in the table, by path: a kind (comments), or a choice, stance or moderation state under its own prefix (choice.oppose). */
type Group = Map<string, number>;

/**
 * Adds one group's cells and the lines between them: its ballots by choice and their total, its
 * comments by stance, each moderation state's kinds and their total.
 */
function addGroup(t: SuppressionTable, tally: Tally, kindOf: (path: string) => CellKind): Group {
  const g: Group = new Map();
  const add = (path: string, value: number) => {
    const id = t.cell(value, kindOf(path));
    g.set(path, id);
    return id;
  };
  const totals = kindTotals(tally);
  add("participants", tally.participants);
  add("followers", tally.followers);
  for (const k of KINDS) add(k, totals[k]);
  t.line(
    CHOICES.map((c) => add(`choice.${c}`, tally.choice[c])),
    g.get("ballots")!,
    { private: true },
  );
  t.line(
    STANCE_KEYS.map((s) => add(`stance.${s}`, tally.stance[s])),
    g.get("comments")!,
  );
  for (const m of Object.keys(MODERATION_STATES) as ModerationState[]) {
    const total = add(
      `moderation.${m}.total`,
      MODERATED_KINDS.reduce((s, k) => s + tally.moderation[m][k], 0),
    );
    t.line(
      MODERATED_KINDS.map((k) => add(`moderation.${m}.${k}`, tally.moderation[m][k])),
      total,
    );
  }
  return g;
}

interface WholeTable {
  t: SuppressionTable;
  city: Group;
  /** Per kecamatan id, and null for "no area". */
  groups: Map<number | null, Group>;
  withArea: number;
  /** Per kelurahan id: its participants' cell. */
  kelurahan: Map<number, number>;
}

/**
 * The whole consultation: a group per kecamatan and one for "no area", the city as their sum.
 * The city's headline is the public totals (exact), and so are its stances (every comment shows
 * its own); a kecamatan's every figure is published (its report); "no area" shows only its
 * participants and its ballots (a row of the city's tables). Every figure of a kecamatan is also
 * tied to the rest of the city (the city's minus that kecamatan's), which nobody is shown but
 * anyone holding both reports could work out — so it is protected like a shown count.
 */
function wholeConsultation(tallies: Map<number | null, Tally>, all: Tally, byArea: Map<number | null, number>, areas: AreaIndex): WholeTable {
  const t = new SuppressionTable();
  const atoms: (number | null)[] = [...areas.kecamatan.map((k) => k.id), null];
  const PUBLIC = new Set(["participants", "followers", ...KINDS, ...CHOICES.map((c) => `choice.${c}`), ...STANCE_KEYS.map((s) => `stance.${s}`)]);
  const city = addGroup(t, all, (path) => (PUBLIC.has(path) ? "public" : "published"));
  const NO_AREA_SHOWN = new Set(["participants", "ballots", ...CHOICES.map((c) => `choice.${c}`)]);
  const groups = new Map<number | null, Group>();
  for (const atom of atoms) {
    const kindOf = (path: string): CellKind => (atom !== null || NO_AREA_SHOWN.has(path) ? "published" : "unpublished");
    groups.set(atom, addGroup(t, tallies.get(atom) ?? emptyTally(), kindOf));
  }

  // Each figure of the city is the sum of its kecamatan and "no area"; each kecamatan's, the city's minus the rest.
  const splitByArea = (path: string, total: number, parts: (number | null)[]) => {
    t.line(
      parts.map((a) => groups.get(a)!.get(path)!),
      total,
      { private: true },
    );
    for (const a of parts) {
      if (a === null) continue;
      const own = groups.get(a)!.get(path)!;
      const rest = t.cell(t.value(total) - t.value(own), "unpublished");
      t.line([own, rest], total, { private: true });
    }
  };
  for (const [path, total] of city) splitByArea(path, total, atoms);

  // Participants with an area (the reference rate's numerator), and each kecamatan's kelurahan.
  const kecamatanIds = areas.kecamatan.map((k) => k.id);
  const withArea = t.cell(
    kecamatanIds.reduce((s, k) => s + t.value(groups.get(k)!.get("participants")!), 0),
    "published",
  );
  splitByArea("participants", withArea, kecamatanIds);
  t.line([withArea, groups.get(null)!.get("participants")!], city.get("participants")!, { private: true });
  const kelurahan = new Map<number, number>();
  for (const k of areas.kecamatan) {
    const own = groups.get(k.id)!.get("participants")!;
    const cells = areas.kelurahan
      .filter((l) => l.parentId === k.id)
      .map((l) => {
        const id = t.cell(byArea.get(l.id) ?? 0, "published");
        kelurahan.set(l.id, id);
        return id;
      });
    if (!cells.length) continue;
    // Residents who named only their kecamatan: never shown, but taken as known (a reader may know there are none).
    const atKecamatan = t.cell(t.value(own) - cells.reduce((s, id) => s + t.value(id), 0), "public");
    t.line([...cells, atKecamatan], own, { private: true });
  }
  return { t, city, groups, withArea, kelurahan };
}

function hasFeedback(h: Pick<ReportFigures["headline"], Kind>): boolean {
  return KINDS.some((k) => h[k] !== 0);
}

/** A share that may be published: both counts exact, something to divide by. */
function shareOf(t: SuppressionTable, part: number, whole: number): number | null {
  return t.visible(part) && t.visible(whole) && t.value(whole) > 0 ? t.value(part) / t.value(whole) : null;
}

function headlineOf(t: SuppressionTable, g: Group): ReportFigures["headline"] {
  const c = (path: string) => t.count(g.get(path)!);
  return {
    participants: c("participants"),
    threads: c("threads"),
    comments: c("comments"),
    proposals: c("proposals"),
    supports: c("supports"),
    followers: c("followers"),
    ballots: c("ballots"),
    ballotsByChoice: CHOICES.map((choice) => ({ choice, count: c(`choice.${choice}`), share: shareOf(t, g.get(`choice.${choice}`)!, g.get("ballots")!) })),
  };
}

function stanceOf(t: SuppressionTable, g: Group): ReportFigures["stance"] {
  return {
    total: t.count(g.get("comments")!),
    rows: STANCE_KEYS.map((stance) => ({
      stance,
      count: t.count(g.get(`stance.${stance}`)!),
      share: shareOf(t, g.get(`stance.${stance}`)!, g.get("comments")!),
    })),
  };
}

function moderationOf(t: SuppressionTable, g: Group): ReportFigures["moderation"] {
  const c = (path: string) => t.count(g.get(path)!);
  const of = (m: ModerationState): ModerationFigure => ({
    threads: c(`moderation.${m}.threads`),
    comments: c(`moderation.${m}.comments`),
    proposals: c(`moderation.${m}.proposals`),
    total: c(`moderation.${m}.total`),
  });
  return { held: of("held"), hidden: of("hidden"), rejected: of("rejected") };
}

function tallyRow(t: SuppressionTable, g: Group, area: AreaInfo | null): TallyRow {
  return {
    code: area?.code ?? null,
    name: area?.name ?? null,
    support: t.count(g.get("choice.support")!),
    oppose: t.count(g.get("choice.oppose")!),
    abstain: t.count(g.get("choice.abstain")!),
    total: t.count(g.get("ballots")!),
  };
}

/** One row per kecamatan, then ballots without an area unless there are (exactly, visibly) none. */
function tallyRows(table: WholeTable, areas: AreaIndex): TallyRow[] {
  const rows = areas.kecamatan.map((k) => tallyRow(table.t, table.groups.get(k.id)!, k));
  const none = tallyRow(table.t, table.groups.get(null)!, null);
  if (none.total !== 0) rows.push(none);
  return rows;
}

function rateOf(n: number, population: number) {
  return population > 0 ? (n / population) * 10_000 : null;
}

interface Reference {
  lo: number;
  hi: number;
  population: number;
}

/**
 * Far below or above the reference rate, judged on what a reader can tell of both counts (their
 * bounds), so that a callout never says more than the published cells.
 */
function calloutOf([lo, hi]: [number, number], population: number, reference: Reference): Callout {
  if (population <= 0 || reference.population <= 0) return null;
  const refLo = (reference.lo / reference.population) * 10_000;
  const refHi = (reference.hi / reference.population) * 10_000;
  if (refHi <= 0) return null;
  if ((hi / population) * 10_000 < refLo * FAR_BELOW) return "below";
  if ((lo / population) * 10_000 > refHi * FAR_ABOVE) return "above";
  return null;
}

function participationFigures(table: WholeTable, areas: AreaIndex, kecamatan: AreaInfo | null): ParticipationFigures {
  const { t } = table;
  const participantsOf = (k: AreaInfo) => table.groups.get(k.id)!.get("participants")!;
  const inScope = kecamatan ? [kecamatan] : areas.kecamatan;
  const reference = kecamatan ? participantsOf(kecamatan) : table.withArea;
  const referencePopulation = inScope.reduce((s, k) => s + k.population, 0);
  const [lo, hi] = t.bounds(reference);
  const ref: Reference = { lo, hi, population: referencePopulation };
  const figure = (area: AreaInfo, id: number, kecamatanName: string | null): AreaFigure => ({
    code: area.code,
    name: area.name,
    kecamatan: kecamatanName,
    population: area.population,
    participants: t.count(id),
    ratePer10k: t.visible(id) ? rateOf(t.value(id), area.population) : null,
    callout: calloutOf(t.bounds(id), area.population, ref),
  });
  const scopeIds = new Set(inScope.map((k) => k.id));
  const kelurahan = areas.kelurahan.filter((l) => l.parentId !== null && scopeIds.has(l.parentId) && table.kelurahan.has(l.id));
  const noArea = table.groups.get(null)!.get("participants")!;
  return {
    referenceRate: t.visible(reference) ? rateOf(t.value(reference), referencePopulation) : null,
    referenceWithheld: !t.visible(reference) && referencePopulation > 0,
    referencePopulation,
    participantsWithArea: t.count(reference),
    noArea: kecamatan ? { count: 0, share: null } : { count: t.count(noArea), share: shareOf(t, noArea, table.city.get("participants")!) },
    kecamatan: inScope.map((k) => figure(k, participantsOf(k), null)),
    kelurahan: kelurahan.map((l) => figure(l, table.kelurahan.get(l.id)!, areas.byId.get(l.parentId!)?.name ?? null)),
  };
}

/**
 * Distinct residents who did anything published on the project (a thread, comment, proposal,
 * support or ballot) within the filters, counted per their account's area. Staff accounts are not
 * participants; ballots of erased accounts cannot be told apart and are counted only as ballots.
 */
export async function participantsByArea(
  db: AppDb,
  projectId: number,
  filters: ReportFilters,
  areaIds: number[] | null,
  visible?: SQL,
): Promise<Map<number | null, number>> {
  const published = visible ?? visibleCommentOf(await excludedThreads(db, projectId));
  const range = (column: string) => inRange(db, column, filters);
  const found = await rows<{ areaId: number | null; n: number }>(
    db,
    sql`
    select u.area_id as "areaId", count(*) as n from (
      select c.author_id as uid from comments c
        where c.project_id = ${projectId} and ${published}${range("c.created_at")}
      union select t.author_id from threads t
        where t.project_id = ${projectId} and ${PUBLISHED_THREAD} and t.proposal_id is null${range("t.created_at")}
      union select p.author_id from proposals p
        where p.project_id = ${projectId} and ${PUBLISHED_PROPOSAL}${range("p.created_at")}
      union select s.user_id from supports s join proposals p on p.id = s.proposal_id
        where s.project_id = ${projectId} and ${PUBLISHED_PROPOSAL}${range("s.created_at")}
      union select v.user_id from votes v
        where v.project_id = ${projectId} and v.user_id is not null${range("v.created_at")}
    ) x join users u on u.id = x.uid
    where u.role = 'resident'${inArea("u.area_id", areaIds)}
    group by u.area_id`,
  );
  return new Map(found.map((r) => [r.areaId, r.n]));
}

/** The most supported published proposals, within the date range (never by their authors' area). */
async function topProposals(db: AppDb, project: Project, filters: ReportFilters): Promise<ProposalFigure[]> {
  const { proposals } = tables(db);
  const found = await db
    .select({
      id: proposals.id,
      title: proposals.title,
      supports: proposals.supportCount,
      status: proposals.status,
      answer: proposals.answerSource,
      answeredAt: proposals.answeredAt,
      createdAt: proposals.createdAt,
    })
    .from(proposals)
    .where(
      and(
        eq(proposals.projectId, project.id),
        publishedSql({ kind: "proposal", visibility: proposals.visibility, authorId: proposals.authorId }),
        filters.from ? gte(proposals.createdAt, filters.from) : undefined,
        filters.to ? lt(proposals.createdAt, filters.to) : undefined,
      ),
    )
    .orderBy(desc(proposals.supportCount), asc(proposals.createdAt), asc(proposals.id))
    .limit(TOP_PROPOSALS);
  return found.map((r) => ({
    id: r.id,
    title: r.title,
    supports: r.supports,
    status: r.status,
    answer: r.answer,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    path: proposalPath(project.slug, r.id),
  }));
}
