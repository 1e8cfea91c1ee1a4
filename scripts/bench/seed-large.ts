/**
 * Seeds a LARGE synthetic city into its own database file for the participation benchmark
 * (default data/bench.db, or BENCH_DB; never the demo database):
 *
 *   5 kecamatan × 10 kelurahan, 100,000 users, 1,000 projects, a few threads per project,
 *   1,000,000 comments (200,000 of them in project "proyek-besar", 5,000 in one of its threads,
 *   nested like real replies), 500,000 ballots, proposals with their supports and discussions.
 *
 * Rows go in through raw prepared better-sqlite3 statements in large transactions, with explicit
 * ids so sort keys can be computed up front. The full-text triggers are dropped for the load;
 * the index is filled with one INSERT … SELECT per kind afterwards and the triggers are
 * recreated from their own stored SQL. Every stored count is then computed from the rows with
 * UPDATE … FROM (SELECT …), by the same definitions as the demo seed (db/recount.ts).
 *
 * The city is built in `<file>.partial` and renamed into place when complete, next to a
 * `<file>.seed.json` that records its size, the migrations it was built with and how long it
 * took; a complete city is not seeded again unless `--fresh` is given or the migrations changed.
 *
 *   node --import tsx scripts/bench/seed-large.ts [--fresh] [--scale=0.01]
 */
import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { databasePath, migrateDatabase, MIGRATIONS_FOLDER, openDatabase } from "../../db/client";
import { recountStoredCounts } from "../../db/recount";
import { hashPassword } from "../../app/accounts/password.server";
import { cookMarkdown } from "../../app/content/markdown.server";
import { CATEGORIES, type Phase } from "../../db/schema/values";
import { ProgressBar } from "./progress-bar";
import {
  commentHtml,
  commentText,
  createRandom,
  FIRST_NAMES,
  KECAMATAN_NAMES,
  kelurahanName,
  LAST_NAMES,
  paragraphs,
  projectTitle,
  proposalTitle,
  slugify,
  threadTitle,
  type Random,
} from "./synthetic-city-text";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIG_PROJECT_SLUG = "proyek-besar";
export const BENCH_PASSWORD = "bench-rembug-2026";
/** Bumped whenever the shape of the city changes, so an older file is not mistaken for it. */
const SEED_VERSION = 1;

export interface LargeCitySize {
  users: number;
  projects: number;
  comments: number;
  bigProjectComments: number;
  bigThreadComments: number;
  votes: number;
}

export const FULL_SIZE: LargeCitySize = {
  users: 100_000,
  projects: 1_000,
  comments: 1_000_000,
  bigProjectComments: 204_000,
  bigThreadComments: 5_000,
  votes: 500_000,
};

export function scaledSize(scale: number): LargeCitySize {
  if (scale === 1) return FULL_SIZE;
  const s = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    users: s(FULL_SIZE.users, 200),
    projects: s(FULL_SIZE.projects, 20),
    comments: s(FULL_SIZE.comments, 2_000),
    bigProjectComments: s(FULL_SIZE.bigProjectComments, 600),
    bigThreadComments: s(FULL_SIZE.bigThreadComments, 150),
    votes: s(FULL_SIZE.votes, 1_000),
  };
}

export interface SeedInfo {
  version: number;
  size: LargeCitySize;
  seededAt: string;
  seconds: number;
  steps: { step: string; rows: number; seconds: number }[];
  counts: Record<string, number>;
  bigProjectSlug: string;
  bigThreadId: number;
  node: string;
  /** Fingerprint of the migrations the city was built with: a changed schema means seeding again. */
  migrations: string;
}

export function migrationsFingerprint(folder = MIGRATIONS_FOLDER): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(folder)
    .filter((n) => n.endsWith(".sql"))
    .sort())
    hash.update(name).update(readFileSync(resolve(folder, name)));
  return hash.digest("hex").slice(0, 16);
}

/** The benchmark's database file: BENCH_DB or data/bench.db, refusing the demo/app database. */
export function benchDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.BENCH_DB ? resolve(databasePath(env.BENCH_DB)) : resolve(ROOT, "data/bench.db");
  const appDatabases = [resolve(ROOT, "data/rembug.db"), resolve(databasePath(env.DATABASE_URL || "./data/rembug.db"))];
  if (appDatabases.includes(path)) throw new Error(`refusing to seed the benchmark city into the app's database ${path}: set BENCH_DB to another file`);
  return path;
}

const infoPath = (path: string) => `${path}.seed.json`;

/** The seed record of a complete large city at `path`, or null when the file does not hold one. */
export function largeCityPresent(path: string, size: LargeCitySize = FULL_SIZE): SeedInfo | null {
  if (!existsSync(path) || !existsSync(infoPath(path))) return null;
  let info: SeedInfo;
  try {
    info = JSON.parse(readFileSync(infoPath(path), "utf8")) as SeedInfo;
  } catch {
    return null;
  }
  if (info.version !== SEED_VERSION || JSON.stringify(info.size) !== JSON.stringify(size) || info.migrations !== migrationsFingerprint()) return null;
  const db = openDatabase(path);
  try {
    const row = db.$client.prepare("select comment_count as n from projects where slug = ?").get(BIG_PROJECT_SLUG) as { n: number } | undefined;
    return row && row.n >= size.bigProjectComments * 0.98 ? info : null;
  } finally {
    db.$client.close();
  }
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const pad = (id: number) => id.toString().padStart(10, "0");
const MAX_DEPTH = 2;
const STAFF = { admin: 1, planner: 2, moderator: 3 } as const;
const FIRST_RESIDENT = 4;

/** Integer shares of `total` in proportion to `weights`, summing exactly to `total`. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length) {
    if (weights[order[k]![1]]! > 0) {
      out[order[k]![1]]!++;
      rest--;
    }
  }
  return out;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const STRIDES = [7919, 10007, 15485, 31337, 49157, 65537, 86969, 104729, 130363, 155921];

/** A permutation of the residents walked by a stride: `count` distinct resident ids, no set needed. */
function distinctResidents(rnd: Random, residents: number, count: number): (k: number) => number {
  let stride = rnd.pick(STRIDES) % residents || 1;
  while (gcd(stride, residents) !== 1) stride++;
  const start = Math.floor(rnd.next() * residents);
  if (count > residents) throw new Error(`asked for ${count} distinct residents of ${residents}`);
  return (k) => FIRST_RESIDENT + ((start + k * stride) % residents);
}

interface ProjectRow {
  id: number;
  phase: Phase;
  opens: number | null;
  /** When its activity stopped: now for an open consultation, the close for the rest. */
  end: number;
  weight: number;
}

interface ThreadRow {
  id: number;
  projectId: number;
  createdAt: number;
  end: number;
  comments: number;
  /** The benchmark thread has no hidden or held comments, so exactly its size is listed. */
  allVisible: boolean;
}

class LargeCity {
  private readonly rnd = createRandom(0x62656e63);
  private readonly steps: SeedInfo["steps"] = [];
  private readonly userArea: Int32Array;
  private readonly kelurahanIds: number[] = [];
  private readonly kecamatanIds: number[] = [];
  private readonly areaNames = new Map<number, string>();
  private readonly projects: ProjectRow[] = [];
  private readonly threads: ThreadRow[] = [];
  private readonly proposals: { id: number; projectId: number; authorId: number; createdAt: number; end: number; published: boolean; big: boolean }[] = [];
  private readonly residents: number;
  bigThreadId = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly size: LargeCitySize,
    private readonly now: number,
    private readonly passwordHash: string,
  ) {
    this.userArea = new Int32Array(size.users + 1);
    this.residents = size.users - FIRST_RESIDENT + 1;
  }

  seed(): SeedInfo["steps"] {
    this.checkCommentHtml();
    const triggers = this.dropSearchTriggers();
    this.step("areas", () => this.insertAreas());
    this.step("users", () => this.insertUsers());
    this.step("projects", () => this.insertProjects());
    this.step("threads+proposals", () => this.insertThreadsAndProposals());
    this.step("supports", () => this.insertSupports());
    this.step("votes", () => this.insertVotes());
    this.step("comments", () => this.insertComments());
    this.step("follows", () => this.insertFollows());
    this.step("search index", () => this.fillSearchIndex(triggers));
    this.step("stored counts", () => recountStoredCounts(this.sqlite));
    this.step("checks", () => this.check());
    return this.steps;
  }

  private step(name: string, fn: () => number) {
    const started = performance.now();
    const rows = fn();
    const seconds = (performance.now() - started) / 1000;
    this.steps.push({ step: name, rows, seconds: Math.round(seconds * 10) / 10 });
  }

  /** Runs `fn` in transactions of `batch` calls, so no single transaction grows without bound. */
  private batched(label: string, total: number, batch: number, fn: (i: number) => number | void, unit = "rows"): number {
    const bar = new ProgressBar(label, total, unit);
    let rows = 0;
    for (let from = 0; from < total; from += batch) {
      this.sqlite.exec("BEGIN");
      const to = Math.min(total, from + batch);
      for (let i = from; i < to; i++) {
        const n = fn(i) ?? 1;
        rows += n;
        bar.tick(1, n);
      }
      this.sqlite.exec("COMMIT");
    }
    bar.finish();
    return rows;
  }

  /** commentHtml must be what the app's Markdown cooking makes of the same text. */
  private checkCommentHtml() {
    const rnd = createRandom(7);
    for (let i = 0; i < 2_000; i++) {
      const text = commentText(rnd);
      if (commentHtml(text) !== cookMarkdown(text)) throw new Error(`commentHtml differs from cookMarkdown for ${JSON.stringify(text)}`);
    }
  }

  private dropSearchTriggers(): { name: string; sql: string }[] {
    const triggers = this.sqlite
      .prepare(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name in ('projects', 'threads', 'comments', 'proposals') and name like 'search_%' order by name",
      )
      .all() as { name: string; sql: string }[];
    for (const t of triggers) this.sqlite.exec(`DROP TRIGGER ${t.name}`);
    return triggers;
  }

  private insertAreas(): number {
    const insert = this.sqlite.prepare("insert into areas (id, code, name, level, parent_id, population) values (?, ?, ?, ?, ?, ?)");
    this.sqlite.exec("BEGIN");
    let id = 1;
    insert.run(id++, "32.98", "Kota Besar Raya", "city", null, 0);
    KECAMATAN_NAMES.forEach((name, k) => {
      const kecId = id++;
      this.kecamatanIds.push(kecId);
      this.areaNames.set(kecId, name);
      insert.run(kecId, `32.98.0${k + 1}`, name, "kecamatan", 1, 0);
      for (let j = 0; j < 10; j++) {
        const kelId = id++;
        this.kelurahanIds.push(kelId);
        this.areaNames.set(kelId, kelurahanName(k * 10 + j));
        insert.run(kelId, `32.98.0${k + 1}.${1001 + j}`, kelurahanName(k * 10 + j), "kelurahan", kecId, this.rnd.int(8_000, 45_000));
      }
    });
    this.sqlite.exec(`update areas set population = (select sum(k.population) from areas k where k.parent_id = areas.id) where level = 'kecamatan'`);
    this.sqlite.exec(`update areas set population = (select sum(k.population) from areas k where k.parent_id = areas.id) where level = 'city'`);
    this.sqlite.exec("COMMIT");
    return id - 1;
  }

  private insertUsers(): number {
    const insert = this.sqlite.prepare(
      `insert into users (id, email, display_name, password_hash, role, area_id, locale, email_verified_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const staffSince = this.now - 1_100 * DAY;
    return this.batched("users", this.size.users, 20_000, (i) => {
      const id = i + 1;
      const rnd = this.rnd;
      if (id === STAFF.admin) return void insert.run(id, "admin@bench.rembug.id", "Admin Kota", this.passwordHash, "admin", null, "id", staffSince, staffSince);
      if (id === STAFF.planner)
        return void insert.run(id, "perencana@bench.rembug.id", "Perencana Kota", this.passwordHash, "planner", null, "id", staffSince, staffSince);
      if (id === STAFF.moderator)
        return void insert.run(id, "moderator@bench.rembug.id", "Moderator Kota", this.passwordHash, "moderator", null, "id", staffSince, staffSince);
      const area = rnd.chance(0.9) ? rnd.pick(this.kelurahanIds) : 0;
      this.userArea[id] = area;
      const createdAt = this.now - rnd.int(400, 1_000) * DAY + rnd.int(0, DAY);
      insert.run(
        id,
        `warga${id}@bench.rembug.id`,
        `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`,
        this.passwordHash,
        "resident",
        area || null,
        rnd.chance(0.05) ? "en" : "id",
        createdAt + rnd.int(2, 90) * MINUTE,
        createdAt,
      );
    });
  }

  private pickPhase(i: number): Phase {
    if (i === 0) return "consultation";
    const r = this.rnd.next();
    return r < 0.04
      ? "draft"
      : r < 0.64
        ? "consultation"
        : r < 0.74
          ? "review"
          : r < 0.82
            ? "decided"
            : r < 0.9
              ? "in_progress"
              : r < 0.96
                ? "completed"
                : "cancelled";
  }

  private insertProjects(): number {
    const insert = this.sqlite.prepare(
      `insert into projects (id, slug, title, summary, body_source, body_html, category, area_id, lat, lng, budget_rupiah, phase, outcome,
         outcome_reason, consultation_opens_at, consultation_closes_at, created_by, published_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertUpdate = this.sqlite.prepare(
      "insert into project_updates (project_id, author_id, kind, from_phase, to_phase, body_source, body_html, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const PATH: Record<Phase, Phase[]> = {
      draft: [],
      consultation: ["consultation"],
      review: ["consultation", "review"],
      decided: ["consultation", "review", "decided"],
      in_progress: ["consultation", "review", "decided", "in_progress"],
      completed: ["consultation", "review", "decided", "in_progress", "completed"],
      cancelled: ["consultation", "cancelled"],
    };
    const ACTIVITY: Record<Phase, number> = { draft: 0, consultation: 1, review: 0.8, decided: 0.6, in_progress: 0.5, completed: 0.5, cancelled: 0.3 };
    return this.batched(
      "projects",
      this.size.projects,
      1_000,
      (i) => {
        const rnd = this.rnd;
        const id = i + 1;
        const phase = this.pickPhase(i);
        const areaId = rnd.chance(0.1) ? rnd.pick(this.kecamatanIds) : rnd.pick(this.kelurahanIds);
        const areaName = this.areaNames.get(areaId)!;
        let { title, category } = projectTitle(rnd, i, areaName);
        if (i < CATEGORIES.length) category = CATEGORIES[i]!;
        if (id === 1) title = "Normalisasi Saluran dan Pelebaran Jalan Raya Sukamaju (proyek besar)";
        const slug = id === 1 ? BIG_PROJECT_SLUG : `${slugify(title)}-${id}`;
        let opens: number | null;
        let closes: number | null;
        if (phase === "draft") {
          opens = rnd.chance(0.5) ? this.now + rnd.int(10, 60) * DAY : null;
          closes = opens === null ? null : opens + rnd.int(30, 60) * DAY;
        } else if (phase === "consultation") {
          opens = this.now - (id === 1 ? 150 : rnd.int(5, 120)) * DAY;
          // Far in the future, so a benchmark database seeded today still has open windows months later.
          closes = this.now + rnd.int(180, 540) * DAY;
        } else {
          closes = this.now - rnd.int(1, 200) * DAY;
          opens = closes - rnd.int(30, 90) * DAY;
        }
        const end = phase === "consultation" ? this.now : (closes ?? this.now);
        const outcome =
          phase === "decided"
            ? rnd.pick(["approved", "approved", "rejected", "deferred"] as const)
            : phase === "in_progress" || phase === "completed"
              ? "approved"
              : null;
        const createdAt = (opens ?? this.now) - rnd.int(14, 60) * DAY;
        const body = paragraphs(rnd, 3);
        insert.run(
          id,
          slug,
          title,
          `${title}: ${commentText(rnd).split("\n")[0]}`.slice(0, 280),
          body,
          cookMarkdown(body),
          category,
          areaId,
          -6.9 + (rnd.next() - 0.5) * 0.1,
          107.6 + (rnd.next() - 0.5) * 0.1,
          rnd.int(50, 20_000) * 1_000_000,
          phase,
          outcome,
          outcome ? `Keputusan setelah menimbang ${rnd.int(20, 900)} masukan warga.` : null,
          opens,
          closes,
          STAFF.planner,
          phase === "draft" ? null : (opens ?? this.now) - 7 * DAY,
          createdAt,
          phase === "draft" ? null : end,
        );
        const weight = id === 1 ? 0 : ACTIVITY[phase] * -Math.log(1 - rnd.next());
        this.projects.push({ id, phase, opens, end, weight });
        // A phase change per step of its path, and now and then a news update.
        let rows = 1;
        let from: Phase = "draft";
        PATH[phase].forEach((to, k) => {
          const at = k === 0 ? opens! : Math.min(this.now, closes! + (k - 1) * 20 * DAY + DAY);
          const note = `Tahap berganti ke ${to}. ${commentText(rnd).split("\n")[0]}`;
          insertUpdate.run(id, STAFF.planner, "phase_change", from, to, note, cookMarkdown(note), at);
          from = to;
          rows++;
        });
        if (phase !== "draft" && rnd.chance(0.5)) {
          const note = paragraphs(rnd, 1);
          insertUpdate.run(id, STAFF.planner, "update", null, null, note, cookMarkdown(note), opens! + rnd.next() * (end - opens!));
          rows++;
        }
        return rows;
      },
      "projects",
    );
  }

  private insertThreadsAndProposals(): number {
    const insertThread = this.sqlite.prepare(
      `insert into threads (id, project_id, author_id, title, body_source, body_html, visibility, pinned, locked, proposal_id, last_activity_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertProposal = this.sqlite.prepare(
      `insert into proposals (id, project_id, author_id, title, body_source, body_html, status, visibility, answer_source, answer_html, answered_by, answered_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let threadId = 0;
    let proposalId = 0;
    const commentsOf = allocate(
      this.size.comments - this.size.bigProjectComments,
      this.projects.map((p) => p.weight),
    );
    commentsOf[0] = this.size.bigProjectComments;
    const resident = () => FIRST_RESIDENT + Math.floor(this.rnd.next() * this.residents);
    return this.batched(
      "threads",
      this.projects.length,
      200,
      (i) => {
        const rnd = this.rnd;
        const project = this.projects[i]!;
        if (project.phase === "draft") return 0;
        const big = project.id === 1;
        const opens = project.opens!;
        const span = project.end - opens;
        const threadsHere: (ThreadRow & { weight: number })[] = [];
        const regular = big ? 20 : rnd.int(1, 5);
        for (let k = 0; k < regular; k++) {
          const id = ++threadId;
          const pinned = k === 0 && (big || rnd.chance(0.1));
          const createdAt = big && k === 0 ? opens + DAY : opens + Math.floor(rnd.next() * span * 0.6);
          const title = big && k === 0 ? "Diskusi utama: pelebaran jalan dan saluran" : threadTitle(rnd);
          const body = paragraphs(rnd, rnd.int(1, 2));
          const hidden = !big && rnd.chance(0.01);
          insertThread.run(
            id,
            project.id,
            pinned ? STAFF.planner : resident(),
            title,
            body,
            cookMarkdown(body),
            hidden ? "hidden" : "published",
            pinned ? 1 : 0,
            !big && rnd.chance(0.02) ? 1 : 0,
            null,
            createdAt,
            createdAt,
          );
          threadsHere.push({
            id,
            projectId: project.id,
            createdAt,
            end: project.end,
            comments: 0,
            allVisible: big && k === 0,
            weight: big && k === 0 ? 0 : -Math.log(1 - rnd.next()),
          });
          if (big && k === 0) this.bigThreadId = id;
        }
        const proposalCount = big ? 40 : rnd.chance(0.6) ? rnd.int(1, 8) : 0;
        for (let k = 0; k < proposalCount; k++) {
          const id = ++proposalId;
          const authorId = resident();
          const createdAt = opens + Math.floor(rnd.next() * span * 0.7);
          const r = rnd.next();
          const status = r < 0.6 ? "open" : r < 0.85 ? "under_evaluation" : r < 0.93 ? "accepted" : r < 0.98 ? "rejected" : "withdrawn";
          const v = rnd.next();
          const visibility = v < 0.97 ? "published" : v < 0.99 ? "pending" : "hidden";
          const answered = status !== "open" && status !== "withdrawn" && rnd.chance(0.7);
          const answer = answered ? paragraphs(rnd, 1) : null;
          const title = proposalTitle(rnd);
          const body = paragraphs(rnd, rnd.int(1, 3));
          insertProposal.run(
            id,
            project.id,
            authorId,
            title,
            body,
            cookMarkdown(body),
            status,
            visibility,
            answer,
            answer ? cookMarkdown(answer) : null,
            answered ? STAFF.planner : null,
            answered ? Math.min(this.now, createdAt + rnd.int(1, 20) * DAY) : null,
            createdAt,
          );
          this.proposals.push({ id, projectId: project.id, authorId, createdAt, end: project.end, published: visibility === "published", big });
          // Its discussion, as insertThread makes it for a proposal: same title, empty body.
          const tid = ++threadId;
          insertThread.run(tid, project.id, authorId, title, "", "", "published", 0, 0, id, createdAt, createdAt);
          threadsHere.push({
            id: tid,
            projectId: project.id,
            createdAt,
            end: project.end,
            comments: 0,
            allVisible: false,
            weight: visibility === "published" ? 0.15 * -Math.log(1 - rnd.next()) : 0,
          });
        }
        const budget = commentsOf[i]! - (big ? this.size.bigThreadComments : 0);
        const shares = allocate(
          budget,
          threadsHere.map((t) => t.weight),
        );
        threadsHere.forEach((t, k) => {
          t.comments = t.allVisible ? this.size.bigThreadComments : shares[k]!;
          this.threads.push(t);
        });
        return regular + proposalCount * 2;
      },
      "projects",
    );
  }

  private insertSupports(): number {
    const insert = this.sqlite.prepare("insert into supports (proposal_id, user_id, project_id, created_at) values (?, ?, ?, ?)");
    const byProject = new Map<number, typeof this.proposals>();
    for (const p of this.proposals) byProject.set(p.projectId, [...(byProject.get(p.projectId) ?? []), p]);
    const groups = [...byProject.values()];
    return this.batched(
      "supports",
      groups.length,
      100,
      (g) => {
        const rnd = this.rnd;
        const list = groups[g]!;
        const targets = list.map((p) => (!p.published ? 0 : Math.floor((p.big ? 300 : 25) * rnd.next() * rnd.next() * 2)));
        const total = targets.reduce((a, b) => a + b, 0);
        // Each resident supports at most one proposal of a project: consecutive slices of one permutation.
        const who = distinctResidents(rnd, this.residents, Math.min(total, this.residents));
        let k = 0;
        let rows = 0;
        list.forEach((p, j) => {
          for (let n = 0; n < targets[j]! && k < this.residents; n++, k++) {
            const userId = who(k);
            if (userId === p.authorId) continue;
            insert.run(p.id, userId, p.projectId, p.createdAt + Math.floor(rnd.next() * (p.end - p.createdAt)));
            rows++;
          }
        });
        return rows;
      },
      "projects",
    );
  }

  private insertVotes(): number {
    const insert = this.sqlite.prepare("insert into votes (project_id, user_id, choice, area_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)");
    const bigVotes = Math.round(this.size.votes * 0.05);
    const shares = allocate(
      this.size.votes - bigVotes,
      this.projects.map((p) => (p.id === 1 || p.phase === "draft" ? 0 : 0.3 + p.weight)),
    );
    shares[0] = bigVotes;
    const bar = new ProgressBar("votes", this.size.votes);
    let rows = 0;
    for (const project of this.projects) {
      const count = Math.min(shares[project.id - 1]!, this.residents);
      if (count === 0) continue;
      const rnd = this.rnd;
      const support = 0.25 + 0.5 * rnd.next();
      const oppose = (1 - support) * (0.4 + 0.5 * rnd.next());
      const who = distinctResidents(rnd, this.residents, count);
      const opens = project.opens!;
      this.sqlite.exec("BEGIN");
      for (let k = 0; k < count; k++) {
        const userId = who(k);
        const r = rnd.next();
        const at = opens + Math.floor(rnd.next() * (project.end - opens));
        insert.run(
          project.id,
          userId,
          r < support ? "support" : r < support + oppose ? "oppose" : "abstain",
          this.userArea[userId] || null,
          at,
          rnd.chance(0.08) ? at + Math.floor(rnd.next() * (project.end - at)) : null,
        );
        bar.tick();
      }
      this.sqlite.exec("COMMIT");
      rows += count;
    }
    bar.finish();
    return rows;
  }

  /**
   * Thread by thread, in time order, so ids (and sort keys) grow with time as they do live.
   * A comment replies to an earlier published one about half the time, mostly to a recent one;
   * its depth and sort key follow postComment's rule (a reply under a depth-2 comment stays at
   * depth 2 and takes its ancestor's three-part prefix).
   */
  private insertComments(): number {
    const insert = this.sqlite.prepare(
      `insert into comments (id, thread_id, project_id, author_id, parent_id, depth, sort_key, stance, body_source, body_html, visibility, edited_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertRevision = this.sqlite.prepare(
      "insert into comment_revisions (comment_id, editor_id, body_source, body_html, visibility, created_at) values (?, ?, ?, ?, 'published', ?)",
    );
    const rnd = this.rnd;
    const bar = new ProgressBar("comments", this.size.comments);
    let id = 0;
    let inTransaction = 0;
    this.sqlite.exec("BEGIN");
    for (const thread of this.threads) {
      const n = thread.comments;
      if (n === 0) continue;
      const firstId = id + 1;
      const depthOf = new Uint8Array(n);
      const keyOf: string[] = new Array(n);
      const published = new Int32Array(n);
      let publishedCount = 0;
      const t0 = thread.createdAt + 10 * MINUTE;
      const step = Math.max(1, (thread.end - t0) / n);
      for (let k = 0; k < n; k++) {
        const cid = ++id;
        let parent = -1;
        if (publishedCount > 0 && rnd.chance(0.45)) {
          const recent = Math.min(30, publishedCount);
          parent = rnd.chance(0.6) ? published[publishedCount - 1 - Math.floor(rnd.next() * recent)]! : published[Math.floor(rnd.next() * publishedCount)]!;
        }
        let depth = 0;
        let sortKey = pad(cid);
        if (parent >= 0) {
          const parentDepth = depthOf[parent]!;
          depth = Math.min(parentDepth + 1, MAX_DEPTH);
          const prefix =
            parentDepth < MAX_DEPTH
              ? keyOf[parent]!
              : keyOf[parent]!.split(".")
                  .slice(0, MAX_DEPTH + 1)
                  .join(".");
          sortKey = `${prefix}.${pad(cid)}`;
        }
        depthOf[k] = depth;
        keyOf[k] = sortKey;
        const v = rnd.next();
        const visibility = v < 0.01 ? "deleted" : thread.allVisible ? "published" : v < 0.015 ? "hidden" : v < 0.017 ? "pending" : "published";
        if (visibility === "published") published[publishedCount++] = k;
        const createdAt = Math.floor(t0 + step * (k + rnd.next() * 0.9));
        const authorId = rnd.chance(0.002) ? STAFF.planner : FIRST_RESIDENT + Math.floor(rnd.next() * this.residents);
        const stance = rnd.chance(depth === 0 ? 0.6 : 0.1) ? (rnd.chance(0.45) ? "support" : rnd.chance(0.64) ? "oppose" : "neutral") : null;
        const text = commentText(rnd);
        const edited = visibility === "published" && rnd.chance(0.005);
        const editedAt = visibility === "deleted" || edited ? createdAt + rnd.int(5, 600) * MINUTE : null;
        insert.run(
          cid,
          thread.id,
          thread.projectId,
          authorId,
          parent >= 0 ? firstId + parent : null,
          depth,
          sortKey,
          stance,
          text,
          commentHtml(text),
          visibility,
          editedAt,
          createdAt,
        );
        if (edited) {
          const before = commentText(rnd);
          insertRevision.run(cid, authorId, before, commentHtml(before), createdAt);
        }
        bar.tick();
        if (++inTransaction >= 100_000) {
          this.sqlite.exec("COMMIT; BEGIN");
          inTransaction = 0;
        }
      }
    }
    this.sqlite.exec("COMMIT");
    bar.finish();
    return id;
  }

  /** Residents follow what they took part in, as postComment, castVote and supports make them do. */
  private insertFollows(): number {
    const bar = new ProgressBar("follows", 1, "statements");
    const result = this.sqlite
      .prepare(
        `insert into follows (user_id, project_id, active, created_at)
         select user_id, project_id, case when (user_id + project_id) % 41 = 0 then 0 else 1 end, min(created_at)
         from (select user_id, project_id, created_at from votes
               union all select author_id, project_id, created_at from comments
               union all select user_id, project_id, created_at from supports
               union all select author_id, project_id, created_at from threads
               union all select author_id, project_id, created_at from proposals)
         where user_id >= ${FIRST_RESIDENT}
         group by user_id, project_id`,
      )
      .run();
    bar.tick(1, result.changes);
    bar.finish();
    return result.changes;
  }

  /** The index rows the triggers would have written, one INSERT … SELECT per kind as in migration 0002; then the triggers again. */
  private fillSearchIndex(triggers: { name: string; sql: string }[]): number {
    const statements = [
      `INSERT INTO search_index (rowid, title, body, kind, project_id)
         SELECT id * 4 + 0, title, summary || char(10) || body_source, 'project', id FROM projects WHERE phase <> 'draft' ORDER BY id`,
      `INSERT INTO search_index (rowid, title, body, kind, project_id)
         SELECT id * 4 + 1, title, body_source, 'thread', project_id FROM threads WHERE visibility = 'published' AND proposal_id IS NULL ORDER BY id`,
      `INSERT INTO search_index (rowid, title, body, kind, project_id)
         SELECT id * 4 + 3, title, body_source, 'proposal', project_id FROM proposals WHERE visibility = 'published' ORDER BY id`,
      `INSERT INTO search_index (rowid, title, body, kind, project_id)
         SELECT id * 4 + 2, '', body_source, 'comment', project_id FROM comments WHERE visibility = 'published' ORDER BY id`,
    ];
    const bar = new ProgressBar("search index", statements.length, "statements");
    let rows = 0;
    this.sqlite.exec("BEGIN");
    for (const sql of statements) {
      const changes = this.sqlite.prepare(sql).run().changes;
      rows += changes;
      bar.tick(1, changes);
    }
    for (const t of triggers) this.sqlite.exec(t.sql);
    this.sqlite.exec("COMMIT");
    bar.finish();
    return rows;
  }

  /** Cheap invariants of the seeded city; a broken one stops the seed before the file is put in place. */
  private check(): number {
    const one = <T>(sql: string) => this.sqlite.prepare(sql).get() as T;
    const fails: string[] = [];
    const published = one<{ n: number }>("select count(*) as n from comments where visibility = 'published'").n;
    const stored = one<{ n: number }>("select sum(comment_count) as n from projects").n;
    if (published !== stored) fails.push(`projects.comment_count sums to ${stored}, ${published} published comments`);
    const big = one<{ n: number; c: number }>(`select count(*) as n, sum(visibility = 'published') as c from comments where thread_id = ${this.bigThreadId}`);
    if (big.n !== this.size.bigThreadComments) fails.push(`benchmark thread holds ${big.n} comments`);
    const bigProject = one<{ n: number }>(`select count(*) as n from comments where project_id = 1`).n;
    if (bigProject < this.size.bigProjectComments) fails.push(`${BIG_PROJECT_SLUG} holds ${bigProject} comments`);
    const votes = one<{ n: number; s: number }>(
      "select count(*) as n, (select sum(votes_support + votes_oppose + votes_abstain) from projects) as s from votes",
    );
    if (votes.n !== votes.s) fails.push(`tallies sum to ${votes.s}, ${votes.n} ballots`);
    // A reply: its parent's depth + 1 (at most 2) and the parent's key, cut to three parts, + its own padded id.
    const badKeys = one<{ n: number }>(
      `select count(*) as n from comments c left join comments p on p.id = c.parent_id
       where case when c.parent_id is null then c.depth <> 0 or c.sort_key <> printf('%010d', c.id)
             else p.id is null or p.thread_id <> c.thread_id or c.depth <> min(p.depth + 1, 2)
                  or c.sort_key <> substr(p.sort_key, 1, 32) || '.' || printf('%010d', c.id) end`,
    ).n;
    if (badKeys) fails.push(`${badKeys} replies with a wrong depth or sort key`);
    const fk = this.sqlite.pragma("foreign_key_check") as unknown[];
    if (fk.length) fails.push(`${fk.length} broken foreign keys, e.g. ${JSON.stringify(fk[0])}`);
    if (fails.length) throw new Error(`large city seed failed its checks:\n  ${fails.join("\n  ")}`);
    return 0;
  }
}

const COUNTED_TABLES = [
  "areas",
  "users",
  "projects",
  "project_updates",
  "threads",
  "comments",
  "comment_revisions",
  "proposals",
  "supports",
  "votes",
  "follows",
  "search_index",
] as const;

export function rowCounts(sqlite: Database.Database): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) counts[table] = (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return counts;
}

/**
 * Seeds the large city at `path` unless it is already there. Returns its seed record and whether
 * this call seeded it.
 */
export async function seedLargeCity(path: string, { fresh = false, size = FULL_SIZE } = {}): Promise<{ seeded: boolean; info: SeedInfo }> {
  if (!fresh) {
    const present = largeCityPresent(path, size);
    if (present) return { seeded: false, info: present };
    if (existsSync(path) && !existsSync(infoPath(path))) {
      throw new Error(`${path} exists but holds no benchmark city (no ${infoPath(path)}); pass --fresh to replace it`);
    }
  }
  const started = performance.now();
  const partial = `${path}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  const now = Date.now();
  const migrations = migrationsFingerprint();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const db = openDatabase(partial);
  migrateDatabase(db);
  const sqlite = db.$client;
  // A throwaway file until it is renamed into place, so durability is not needed while loading.
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("secure_delete = OFF");
  sqlite.pragma("cache_size = -2000000");
  sqlite.pragma("temp_store = MEMORY");
  const city = new LargeCity(sqlite, size, now, passwordHash);
  const steps = city.seed();
  const counts = rowCounts(sqlite);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  const info: SeedInfo = {
    version: SEED_VERSION,
    size,
    seededAt: new Date(now).toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    steps,
    counts,
    bigProjectSlug: BIG_PROJECT_SLUG,
    bigThreadId: city.bigThreadId,
    node: process.version,
    migrations,
  };
  for (const f of [path, `${path}-wal`, `${path}-shm`, infoPath(path)]) rmSync(f, { force: true });
  renameSync(partial, path);
  writeFileSync(infoPath(path), `${JSON.stringify(info, null, 2)}\n`);
  return { seeded: true, info };
}

function argValue(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const path = benchDatabasePath();
  const scale = Number(argValue("scale") ?? "1");
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
  const fresh = process.argv.includes("--fresh");
  if (fresh || !largeCityPresent(path, scaledSize(scale))) {
    console.log(`Seeding the large city into ${path} (${fresh ? "--fresh" : "none there yet, or built by another seed version or schema"}) …`);
  }
  const { seeded, info } = await seedLargeCity(path, { fresh, size: scaledSize(scale) });
  if (!seeded) console.log(`${path} already holds the large city (seeded ${info.seededAt} in ${info.seconds} s); --fresh to seed again.`);
  else {
    console.log(`Seeded the large city into ${path} in ${info.seconds} s.`);
    for (const s of info.steps) console.log(`  ${s.step.padEnd(18)} ${s.rows.toLocaleString("en-US").padStart(10)} rows ${s.seconds.toFixed(1).padStart(7)} s`);
    console.log(
      `  rows: ${Object.entries(info.counts)
        .map(([t, n]) => `${t} ${n.toLocaleString("en-US")}`)
        .join(", ")}`,
    );
  }
}
