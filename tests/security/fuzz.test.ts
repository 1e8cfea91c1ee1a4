/**
 * Property-based fuzzing of every action (route × intent) over HTTP against the built server:
 * random, oversized, wrongly typed and repeated fields, invalid UTF-8 and percent-encoding, and
 * bodies that are not a form at all (JSON, text/plain, XML, no Content-Type, broken multipart),
 * from a few kinds of actor, each with the site's own Origin so the body reaches the action.
 *
 * Each case starts from a real one (the matrix's set-up: real ids and tokens), so mutations reach
 * the rules rather than stopping at "not found". The properties:
 * - never a 500 (status, and no unexpected error in the server's log);
 * - never a partial write: after each action's batch, SQLite's integrity and foreign-key checks
 *   pass and every stored count equals a recount from the rows (db/recount.ts).
 *
 * fast-check runs with a fixed seed and a bounded number of runs per action, so a failure repeats
 * exactly (the seed and the case are printed) and the suite stays within a couple of minutes.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedCountMismatches } from "../../db/recount";
import { startSecurityServer, type SecurityServer } from "./support/server";
import { World, type ActorKind } from "./support/world";
import { POST_ROWS, rowName, type PostRow } from "./support/scenarios";
import { joinCookies, send, type Fields } from "./support/http";

const SEED = 20_251_207;
const RUNS_PER_ACTION = Number(process.env.REMBUG_FUZZ_RUNS ?? 14);
const ACTORS: readonly ActorKind[] = ["visitor", "resident", "suspendedResident", "moderator", "planner", "admin"];

let server: SecurityServer;
let world: World;

beforeAll(async () => {
  server = await startSecurityServer();
  world = await new World(server.db, server.cookieName).init();
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

// ------------------------------------------------------------------------------ arbitraries

/** Values a field should never be given, typed wrong or crafted. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "-1",
    "0",
    " 7 ",
    "0x10",
    "1e309",
    "NaN",
    "Infinity",
    "9007199254740993",
    "1.5",
    "true",
    "null",
    "undefined",
    "[object Object]",
    '{"$gt":""}',
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u0000",
    "\u202e\u200b",
    "\ud800",
    "🙂".repeat(50),
    "> ".repeat(3000),
    "[".repeat(5000),
    "a".repeat(10_001),
    "x".repeat(70_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.integer().map(String),
  fc.double().map(String),
);

type Mutation = { kind: "keep" } | { kind: "drop" } | { kind: "replace"; value: string } | { kind: "repeat"; values: string[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "keep" } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: "drop" } as const) },
  { weight: 3, arbitrary: hostileValue.map((value) => ({ kind: "replace", value }) as const) },
  { weight: 1, arbitrary: fc.array(hostileValue, { minLength: 2, maxLength: 4 }).map((values) => ({ kind: "repeat", values }) as const) },
);

/** How the fields travel: a well-formed form, or something that is not one. */
type Encoding =
  | "urlencoded"
  | "multipart"
  | "json"
  | "text/plain"
  | "xml"
  | "no content-type"
  | "urlencoded, invalid utf-8"
  | "urlencoded, invalid percent"
  | "urlencoded, claims utf-16"
  | "multipart, no boundary"
  | "multipart, truncated"
  | "multipart, wrong boundary";

const encoding = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Encoding>("urlencoded") },
  { weight: 2, arbitrary: fc.constant<Encoding>("multipart") },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Encoding>(
      "json",
      "text/plain",
      "xml",
      "no content-type",
      "urlencoded, invalid utf-8",
      "urlencoded, invalid percent",
      "urlencoded, claims utf-16",
      "multipart, no boundary",
      "multipart, truncated",
      "multipart, wrong boundary",
    ),
  },
);

interface FuzzCase {
  actor: ActorKind;
  mutations: Mutation[];
  extra: [string, string][];
  intent: Mutation;
  encoding: Encoding;
}

const fuzzCase = (fieldCount: number): fc.Arbitrary<FuzzCase> =>
  fc.record({
    actor: fc.constantFrom(...ACTORS),
    mutations: fc.array(mutation, { minLength: fieldCount, maxLength: fieldCount }),
    extra: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom("intent", "id", "userId", "role", "redirectTo", "__proto__", "constructor"), fc.string({ maxLength: 12 })),
        hostileValue,
      ),
      { maxLength: 3 },
    ),
    intent: fc.oneof({ weight: 5, arbitrary: fc.constant({ kind: "keep" } as const) }, { weight: 1, arbitrary: mutation }),
    encoding,
  });

// ------------------------------------------------------------------------------ bodies

function mutate(fields: Fields, names: string[], c: FuzzCase, intent: string): [string, string][] {
  const out: [string, string][] = [];
  const apply = (name: string, values: string[], m: Mutation) => {
    if (m.kind === "keep") for (const v of values) out.push([name, v]);
    else if (m.kind === "replace") out.push([name, m.value]);
    else if (m.kind === "repeat") for (const v of m.values) out.push([name, v]);
  };
  if (intent) apply("intent", [intent], c.intent);
  names.forEach((name, i) => {
    const value = fields[name]!;
    apply(name, Array.isArray(value) ? value : [value], c.mutations[i]!);
  });
  return [...out, ...c.extra];
}

const BOUNDARY = "----rembugfuzz7MA4YWxkTrZu0gW";
const utf8 = (text: string) => new TextEncoder().encode(text);

function multipart(pairs: [string, string][], boundary = BOUNDARY): string {
  const parts = pairs.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, "_")}"\r\n\r\n${value}\r\n`);
  return `${parts.join("")}--${boundary}--\r\n`;
}

function bodyOf(pairs: [string, string][], enc: Encoding): { headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> } {
  const form = () => new URLSearchParams(pairs).toString();
  switch (enc) {
    case "urlencoded":
      return { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form() };
    case "multipart":
      return { headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart(pairs) };
    case "json":
      return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(Object.fromEntries(pairs)) };
    case "text/plain":
      return { headers: { "Content-Type": "text/plain" }, body: pairs.map(([k, v]) => `${k}=${v}`).join("\r\n") };
    case "xml":
      return {
        headers: { "Content-Type": "application/xml" },
        body: `<?xml version="1.0"?><form>${pairs.map(([k]) => `<f n="${k.length}"/>`).join("")}</form>`,
      };
    case "no content-type":
      return { headers: {}, body: utf8(form()) };
    case "urlencoded, invalid utf-8": {
      // Raw bytes that are not UTF-8 (a lone continuation byte, an overlong form, 0xff).
      const text = utf8(form());
      const body = new Uint8Array(text.length + 6);
      body.set(text);
      body.set([0x26, 0x61, 0x3d, 0x80, 0xc0, 0xff], text.length);
      return { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body };
    }
    case "urlencoded, invalid percent":
      return { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `${form()}&body=%E0%A4%A&x=%ZZ%C3%28%ED%A0%80` };
    case "urlencoded, claims utf-16":
      return { headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-16" }, body: form() };
    case "multipart, no boundary":
      return { headers: { "Content-Type": "multipart/form-data" }, body: multipart(pairs) };
    case "multipart, truncated": {
      const whole = multipart(pairs);
      return { headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` }, body: whole.slice(0, Math.max(10, Math.floor(whole.length / 2))) };
    }
    case "multipart, wrong boundary":
      return { headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart(pairs, "something-else") };
  }
}

// ------------------------------------------------------------------------------ integrity

/** Checked on the test's read connection, which sees every committed write (the server's too). */
function integrityProblems(): string[] {
  const sqlite = server.reader;
  const problems: string[] = [];
  // The file itself, on a connection of its own: FTS5's part of integrity_check reuses the index
  // structure its connection read the last time, and reports another connection's later commits as
  // corruption (searches do notice them: tests/sqlite-writer.test.ts).
  const own = new Database(server.databaseFile, { readonly: true });
  try {
    const integrity = own.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") problems.push(`integrity_check: ${String(integrity)}`);
  } finally {
    own.close();
  }
  const fk = sqlite.pragma("foreign_key_check") as unknown[];
  if (fk.length) problems.push(`foreign_key_check: ${fk.length} rows, e.g. ${JSON.stringify(fk[0])}`);
  for (const m of storedCountMismatches(sqlite, 5)) problems.push(`${m.table}.${m.column} of ${m.id}: stored ${m.stored}, recounted ${m.expected}`);
  return problems;
}

/** One row per route × intent, with the fields of its real case. */
function actions(): PostRow[] {
  const seen = new Set<string>();
  return POST_ROWS.filter((row) => {
    const key = `${row.route} ${row.intent}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe("fuzzing every action", () => {
  it("starts from stored counts that match a recount", () => {
    expect(integrityProblems()).toEqual([]);
  });

  it("never answers 500 and never leaves a partial write", async () => {
    const problems: string[] = [];
    let requests = 0;
    const statuses = new Map<number, number>();
    const rows = actions();
    for (const [index, row] of rows.entries()) {
      // The field names of the real case; fast-check decides what becomes of each.
      const sample = await row.setup(world, await world.actor("resident"));
      const names = Object.keys(sample.fields ?? {});
      const seed = SEED + index;
      let last = "";
      const result = await fc.check(
        fc.asyncProperty(fuzzCase(names.length), async (c) => {
          const actor = await world.actor(c.actor);
          const cell = await row.setup(world, actor);
          const pairs = mutate(cell.fields ?? {}, names, c, row.intent);
          const { headers, body } = bodyOf(pairs, c.encoding);
          const answer = await send(server.origin + cell.path, {
            method: "POST",
            cookie: joinCookies(actor.cookie, cell.cookie),
            headers: { Origin: server.siteOrigin, ...headers },
            body,
          });
          requests++;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          last = `${answer.status} as ${c.actor}, ${c.encoding}`;
          return answer.status < 500;
        }),
        { seed, numRuns: RUNS_PER_ACTION, endOnFailure: true },
      );
      if (result.failed) {
        const reason = result.errorInstance instanceof Error ? result.errorInstance.message.split("\n")[0] : last;
        problems.push(`${rowName(row)}: ${reason} (seed ${seed}, case ${JSON.stringify(result.counterexample)?.slice(0, 400)})`);
      }
      for (const p of integrityProblems()) problems.push(`${rowName(row)}, after its batch: ${p}`);
    }
    const errors = server.errors();
    console.log(
      `fuzz: ${requests} requests over ${rows.length} actions × intents (seed ${SEED}, ${RUNS_PER_ACTION} runs each), ${errors.length} server errors; answers ${[
        ...statuses,
      ]
        .sort(([a], [b]) => a - b)
        .map(([k, n]) => `${k}×${n}`)
        .join(" ")}`,
    );
    expect([...problems, ...errors.slice(0, 20)]).toEqual([]);
  }, 600_000);
});
