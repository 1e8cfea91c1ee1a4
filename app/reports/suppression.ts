import { SMALL_COUNT, SUPPRESSED, WITHHELD, type Count } from "./small-counts";

/**
 * Which cells of a report are published exactly, so that no count of 1–4 can be read or worked
 * out — from one table, from the public totals, or by subtracting one filtered report from
 * another (docs/decisions/007).
 *
 * A table is cells and lines: a line says that some cells (its parts) add up to another (its
 * total) — a kecamatan's ballots by choice and their total, a choice's ballots over every
 * kecamatan and the public tally, a kecamatan's comments and the city's. The rules:
 *
 * 1. A count of 1–4 is withheld ("< 5").
 * 2. In a line that splits a group by where its members live or how they voted (a private line),
 *    a 0 beside a withheld count of 1–4 is withheld too ("< 5"): "0 for, < 5 against, 0 abstain"
 *    would say that every ballot there is against.
 * 3. What a reader can work out from the lines — each total is the sum of its parts, a "< 5" is
 *    0 to 4 — is followed to the end (interval propagation). Where a withheld count of 1–4 (or a
 *    zero of rule 2) comes out exactly, the smallest exact cell of one of its lines is withheld as
 *    well ("< 5" if under 5, otherwise "x"), and the reasoning starts again.
 *
 * Cells are published (shown when safe), public (the public totals: always exact, never
 * withheld), or unpublished (never shown, but a reader could reach them by subtraction — the rest
 * of the city outside a kecamatan — so they are protected like a shown count).
 */

export type CellKind = "published" | "public" | "unpublished";

const VISIBLE = 0;
const SMALL = 1;
const HIDDEN = 2;
const UNSHOWN = 3;

interface Line {
  parts: number[];
  total: number;
  private: boolean;
}

const isSmall = (v: number) => v >= 1 && v < SMALL_COUNT;

export class SuppressionTable {
  private values: number[] = [];
  private kinds: CellKind[] = [];
  private state: number[] = [];
  private lines: Line[] = [];
  private linesOf: number[][] = [];
  private preset = new Map<number, typeof SUPPRESSED | typeof WITHHELD>();
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private solved = false;

  /** A cell holding `value`; returns its id. */
  cell(value: number, kind: CellKind = "published"): number {
    this.values.push(value);
    this.kinds.push(kind);
    this.linesOf.push([]);
    return this.values.length - 1;
  }

  /** `parts` add up to `total`; `private` when they split a group by area or by choice (rule 2). */
  line(parts: number[], total: number, options: { private?: boolean } = {}): void {
    if (!parts.length) return;
    const index = this.lines.length;
    this.lines.push({ parts, total, private: options.private ?? false });
    for (const id of [...parts, total]) this.linesOf[id]!.push(index);
  }

  /**
   * Withholds a cell whatever its value, as another table (or another view of the same figures)
   * decided: the rules then protect what this cell leaves open, and never show it.
   */
  withhold(id: number, as: typeof SUPPRESSED | typeof WITHHELD): void {
    this.preset.set(id, as);
  }

  /** How many cells the table holds (their ids are 0 to size − 1). */
  get size(): number {
    return this.values.length;
  }

  value(id: number): number {
    return this.values[id]!;
  }

  /** The cell as published. */
  count(id: number): Count {
    this.solve();
    const state = this.state[id];
    if (state === VISIBLE) return this.values[id]!;
    return state === SMALL ? SUPPRESSED : WITHHELD;
  }

  visible(id: number): boolean {
    this.solve();
    return this.state[id] === VISIBLE;
  }

  /** What a reader of the published cells can tell of this one: its least and greatest possible value. */
  bounds(id: number): [number, number] {
    this.solve();
    return [this.lo[id]!, this.hi[id]!];
  }

  solve(): this {
    if (this.solved) return this;
    this.solved = true;
    this.state = this.values.map((v, i) => {
      const preset = this.preset.get(i);
      if (preset) return preset === SUPPRESSED && v < SMALL_COUNT ? SMALL : HIDDEN;
      return this.kinds[i] === "unpublished" ? UNSHOWN : this.kinds[i] === "published" && isSmall(v) ? SMALL : VISIBLE;
    });
    const unresolved = new Set<number>();
    const secondary: number[] = [];
    for (let round = 0; round < this.values.length + 1; round++) {
      this.zeroRule();
      this.propagate();
      const pinned = this.pinned(unresolved);
      if (!pinned.length) break;
      const touched = new Set<number>();
      for (const id of pinned) {
        // One change per line and round: the next round sees whether it was enough.
        if (this.linesOf[id]!.some((l) => touched.has(l))) continue;
        const candidate = this.candidateFor(id);
        if (candidate >= 0) {
          this.state[candidate] = this.values[candidate]! < SMALL_COUNT ? SMALL : HIDDEN;
          secondary.push(candidate);
          for (const l of this.linesOf[candidate]!) touched.add(l);
        } else if (this.state[id] === SMALL) {
          // Nothing left to withhold beside it: "< 5" itself says too much (two "< 5" that make 8).
          this.state[id] = HIDDEN;
          for (const l of this.linesOf[id]!) touched.add(l);
        } else {
          unresolved.add(id);
        }
      }
    }
    // Greedy choices can overshoot: give back each extra cell, largest first, whose showing gives nothing away.
    for (const id of secondary.sort((a, b) => this.values[b]! - this.values[a]! || b - a)) {
      const state = this.state[id]!;
      this.state[id] = VISIBLE;
      this.propagate();
      if (this.pinned(unresolved).length) this.state[id] = state;
    }
    this.propagate();
    return this;
  }

  private hiddenSmallPart(line: Line, except = -1) {
    return line.parts.some((p) => p !== except && this.state[p] !== VISIBLE && isSmall(this.values[p]!));
  }

  /** Rule 2. */
  private zeroRule() {
    for (const line of this.lines) {
      if (!line.private || !this.hiddenSmallPart(line)) continue;
      for (const p of line.parts) if (this.state[p] === VISIBLE && this.kinds[p] === "published" && this.values[p] === 0) this.state[p] = SMALL;
    }
  }

  /** Rule 3's reasoning: every bound that follows from the lines, until nothing changes. */
  private propagate() {
    const n = this.values.length;
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = this.state[i];
      this.lo[i] = s === VISIBLE ? this.values[i]! : 0;
      this.hi[i] = s === VISIBLE ? this.values[i]! : s === SMALL ? SMALL_COUNT - 1 : Infinity;
    }
    const queued = new Uint8Array(this.lines.length).fill(1);
    const queue = this.lines.map((_, i) => i);
    let head = 0;
    let budget = this.lines.length * 200;
    while (head < queue.length && budget-- > 0) {
      const index = queue[head++]!;
      if (head > 65_536) {
        queue.splice(0, head);
        head = 0;
      }
      queued[index] = 0;
      for (const id of this.tighten(this.lines[index]!)) {
        for (const l of this.linesOf[id]!) {
          if (!queued[l]) {
            queued[l] = 1;
            queue.push(l);
          }
        }
      }
    }
  }

  /** Narrows the bounds of one line's cells; returns the cells that changed. */
  private tighten(line: Line): number[] {
    const { lo, hi } = this;
    const changed: number[] = [];
    let sumLo = 0;
    let sumHiFinite = 0;
    let infinite = 0;
    for (const p of line.parts) {
      sumLo += lo[p]!;
      if (hi[p] === Infinity) infinite++;
      else sumHiFinite += hi[p]!;
    }
    const set = (id: number, newLo: number, newHi: number) => {
      let l = Math.max(lo[id]!, newLo);
      let h = Math.min(hi[id]!, newHi);
      // Figures read in one snapshot always add up; if they ever did not, take the cell as known.
      if (l > h) l = h = this.values[id]!;
      if (l !== lo[id] || h !== hi[id]) {
        lo[id] = l;
        hi[id] = h;
        changed.push(id);
      }
    };
    const t = line.total;
    set(t, sumLo, infinite ? Infinity : sumHiFinite);
    for (const p of line.parts) {
      const othersHi = infinite - (hi[p] === Infinity ? 1 : 0) > 0 ? Infinity : sumHiFinite - (hi[p] === Infinity ? 0 : hi[p]!);
      const othersLo = sumLo - lo[p]!;
      set(p, lo[t]! - othersHi, hi[t]! - othersLo);
    }
    return changed;
  }

  /** Withheld cells whose value can be worked out and must not be. */
  private pinned(unresolved: Set<number>): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.values.length; i++) {
      if (this.state[i] === VISIBLE || unresolved.has(i) || this.lo[i] !== this.hi[i]) continue;
      const v = this.values[i]!;
      const matters =
        isSmall(v) ||
        (v === 0 && this.linesOf[i]!.some((l) => this.lines[l]!.private && this.lines[l]!.parts.includes(i) && this.hiddenSmallPart(this.lines[l]!, i)));
      if (matters) out.push(i);
    }
    return out;
  }

  /** What one line alone says of one of its cells, given what is known of the others. */
  private lineBounds(line: Line, id: number): [number, number] {
    const { lo, hi } = this;
    const sum = (cells: number[], bound: Float64Array) => cells.reduce((s, c) => s + bound[c]!, 0);
    if (id === line.total) return [sum(line.parts, lo), sum(line.parts, hi)];
    const others = line.parts.filter((p) => p !== id);
    return [lo[line.total]! - sum(others, hi), hi[line.total]! - sum(others, lo)];
  }

  /**
   * The cell to withhold so that `id` no longer comes out: the smallest exact, published cell of
   * a line that pins it down; failing that, of a line that pins down a withheld cell it is worked
   * out from, and so on; failing that, of any of its lines. -1 when there is none.
   */
  private candidateFor(id: number): number {
    const exact = (m: number) => this.state[m] === VISIBLE && this.kinds[m] === "published";
    const better = (m: number, best: number) => best < 0 || this.values[m]! < this.values[best]! || (this.values[m] === this.values[best] && m < best);
    const seen = new Set([id]);
    let frontier = [id];
    for (let depth = 0; depth < 8 && frontier.length; depth++) {
      let best = -1;
      const next: number[] = [];
      for (const x of frontier) {
        for (const l of this.linesOf[x]!) {
          const line = this.lines[l]!;
          const [lo, hi] = this.lineBounds(line, x);
          if (lo < this.lo[x]! || hi > this.hi[x]!) continue;
          for (const m of [...line.parts, line.total]) {
            if (m === x) continue;
            if (exact(m)) {
              if (better(m, best)) best = m;
            } else if (!seen.has(m) && this.lo[m] === this.hi[m]) {
              seen.add(m);
              next.push(m);
            }
          }
        }
      }
      if (best >= 0) return best;
      frontier = next;
    }
    let best = -1;
    for (const l of this.linesOf[id]!) {
      const line = this.lines[l]!;
      for (const m of [...line.parts, line.total]) if (m !== id && exact(m) && better(m, best)) best = m;
    }
    return best;
  }
}
