import type { ReportFigures } from "../../app/reports/figures.server";

/**
 * What someone holding a report (or several reports with different filters) can work out by
 * arithmetic alone. A published count is a number or a marker ("< 5", "x"); the attacks fill in
 * markers from totals and report every count of 1–4 they manage to pin down — the thing the
 * "< 5" rule exists to hide.
 */

export type Published = number | string;

/** One published cell; an attack may fill in its value. */
export interface Cell {
  value: Published;
  /** What the cell is, for the failure message. */
  name: string;
}

/** Parts that add up to a total. */
export interface Line {
  parts: Cell[];
  total: Cell;
  /** Whether the parts split a group by where its members live or how they voted. */
  private?: boolean;
}

export const cell = (value: Published, name: string): Cell => ({ value, name });
const known = (c: Cell) => typeof c.value === "number";

export interface Disclosure {
  attack: string;
  cell: string;
  value: number | string;
}

/**
 * Subtraction, repeated: wherever a line has exactly one unknown member, the total minus the
 * other parts (or the sum of the parts) gives it; what it gives is used in the next round.
 * Returns the cells of 1–4 that were withheld and came out exactly.
 */
export function subtractionAttack(lines: Line[]): Disclosure[] {
  const found: Disclosure[] = [];
  for (let progress = true; progress;) {
    progress = false;
    for (const line of lines) {
      const members = [...line.parts, line.total];
      const unknown = members.filter((c) => !known(c));
      if (unknown.length !== 1) continue;
      const target = unknown[0]!;
      const partsSum = line.parts.filter(known).reduce((s, c) => s + (c.value as number), 0);
      const value = target === line.total ? partsSum : (line.total.value as number) - partsSum;
      target.value = value;
      progress = true;
      if (value >= 1 && value <= 4) found.push({ attack: "subtraction", cell: target.name, value });
    }
  }
  return found;
}

/**
 * Homogeneity: a line that splits a group by a private attribute (area, choice), whose total is
 * not zero and whose parts are exact zeros but one, says that every member of the group has that
 * one attribute ("every ballot of this kecamatan is against").
 */
export function homogeneityAttack(lines: Line[]): Disclosure[] {
  const found: Disclosure[] = [];
  for (const line of lines) {
    if (!line.private || line.total.value === 0 || line.parts.length < 2) continue;
    const nonZero = line.parts.filter((c) => c.value !== 0);
    if (nonZero.length === 1 && typeof nonZero[0]!.value !== "number") found.push({ attack: "homogeneity", cell: nonZero[0]!.name, value: nonZero[0]!.value });
  }
  return found;
}

/** A rate per 10,000 gives its count back when the population is known. */
function fromRate(count: Published, rate: number | null, population: number): Published {
  if (typeof count === "number" || rate === null) return count;
  return Math.round((rate * population) / 10_000);
}

/**
 * Every line of one report: its tables' rows and columns, with the headline as the columns' totals,
 * participation by area with the participants in the headline, the reference rate's count.
 */
export function reportLines(f: ReportFigures): Line[] {
  const lines: Line[] = [];
  const h = f.headline;
  const head = Object.fromEntries(
    (["participants", "threads", "comments", "proposals", "supports", "ballots"] as const).map((k) => [k, cell(h[k] as Published, `headline.${k}`)]),
  ) as Record<"participants" | "threads" | "comments" | "proposals" | "supports" | "ballots", Cell>;

  // Ballots by choice, in the headline and by kecamatan.
  const byChoice = Object.fromEntries(h.ballotsByChoice.map((b) => [b.choice, cell(b.count as Published, `headline.${b.choice}`)]));
  if (h.ballotsByChoice.length) lines.push({ parts: Object.values(byChoice), total: head.ballots, private: true });
  const rows = f.tallies.map((r) => ({
    support: cell(r.support as Published, `tallies.${r.name}.support`),
    oppose: cell(r.oppose as Published, `tallies.${r.name}.oppose`),
    abstain: cell(r.abstain as Published, `tallies.${r.name}.abstain`),
    total: cell(r.total as Published, `tallies.${r.name}.total`),
  }));
  for (const r of rows) lines.push({ parts: [r.support, r.oppose, r.abstain], total: r.total, private: true });
  if (!f.filters.kecamatan && rows.length) {
    for (const choice of ["support", "oppose", "abstain"] as const) {
      if (byChoice[choice]) lines.push({ parts: rows.map((r) => r[choice]), total: byChoice[choice]!, private: true });
    }
    lines.push({ parts: rows.map((r) => r.total), total: head.ballots, private: true });
  }

  // Participation by area.
  const p = f.participation;
  if (p?.kecamatan.length) {
    const kecamatan = new Map(
      p.kecamatan.map((a) => [a.name, cell(fromRate(a.participants as Published, a.ratePer10k, a.population), `participation.${a.name}`)]),
    );
    const withArea = cell(
      p.referenceRate !== null && p.referencePopulation > 0
        ? Math.round((p.referenceRate * p.referencePopulation) / 10_000)
        : (p.participantsWithArea as Published),
      "participation.withArea",
    );
    if (!f.filters.kecamatan) {
      const noArea = cell(p.noArea.count as Published, "participation.noArea");
      lines.push({ parts: [...kecamatan.values(), noArea], total: head.participants, private: true });
      lines.push({ parts: [...kecamatan.values()], total: withArea, private: true });
      lines.push({ parts: [withArea, noArea], total: head.participants, private: true });
    }
    for (const [name, total] of kecamatan) {
      const kelurahan = p.kelurahan.filter((k) => k.kecamatan === name);
      // Every account of the test city names its kelurahan, as an attacker may well know.
      if (kelurahan.length) {
        lines.push({
          parts: kelurahan.map((k) => cell(fromRate(k.participants as Published, k.ratePer10k, k.population), `participation.${k.name}`)),
          total,
          private: true,
        });
      }
    }
  }

  // Stance, activity and moderation.
  if (f.stance.rows.length)
    lines.push({ parts: f.stance.rows.map((r) => cell(r.count as Published, `stance.${r.stance}`)), total: cell(f.stance.total as Published, "stance.total") });
  const kinds = ["threads", "comments", "proposals", "supports", "ballots"] as const;
  const days = f.activity.days.map((d) => ({
    date: d.date,
    ...Object.fromEntries(kinds.map((k) => [k, cell(d[k] as Published, `activity.${d.date}.${k}`)])),
    total: cell(d.total as Published, `activity.${d.date}.total`),
  })) as ({ date: string; total: Cell } & Record<(typeof kinds)[number], Cell>)[];
  for (const d of days) lines.push({ parts: kinds.map((k) => d[k]), total: d.total });
  if (!f.activity.truncated && days.length) for (const k of kinds) lines.push({ parts: days.map((d) => d[k]), total: head[k] });
  for (const status of ["held", "hidden", "rejected"] as const) {
    const m = f.moderation[status];
    lines.push({
      parts: [
        cell(m.threads as Published, `moderation.${status}.threads`),
        cell(m.comments as Published, `moderation.${status}.comments`),
        cell(m.proposals as Published, `moderation.${status}.proposals`),
      ],
      total: cell(m.total as Published, `moderation.${status}.total`),
    });
  }
  return lines;
}

/** Both attacks on one report. */
export function attackReport(f: ReportFigures): Disclosure[] {
  const lines = reportLines(f);
  return [...homogeneityAttack(lines), ...subtractionAttack(lines)];
}

/** Every published count of a report, by name, as the attacks read them. */
export function countsOf(f: ReportFigures): Map<string, Published> {
  const out = new Map<string, Published>();
  for (const line of reportLines(f)) for (const c of [...line.parts, line.total]) out.set(c.name, c.value);
  for (const k of ["followers"] as const) out.set(`headline.${k}`, f.headline[k] as Published);
  return out;
}

/**
 * Differencing: two reports whose filters nest (the coarser holds everything the finer holds).
 * Wherever both give a cell exactly, the coarser minus the finer counts the people in the one and
 * not the other; a difference of 1–4 singles them out. `only` narrows it to some cells.
 */
export function differencingAttack(coarser: ReportFigures, finer: ReportFigures, label: string, only?: RegExp): Disclosure[] {
  const a = countsOf(coarser);
  const b = countsOf(finer);
  const found: Disclosure[] = [];
  for (const [name, fine] of b) {
    if (only && !only.test(name)) continue;
    const coarse = a.get(name);
    if (typeof fine !== "number" || typeof coarse !== "number") continue;
    const d = coarse - fine;
    if (d >= 1 && d <= 4) found.push({ attack: `differencing ${label}`, cell: name, value: d });
  }
  return found;
}
