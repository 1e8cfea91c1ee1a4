/**
 * Route × role × action matrix, over HTTP against the built server on a fresh seeded database.
 *
 * Rows come from the build's route manifest and from each action's exported `intents`, so a new
 * route or intent without expectations fails here ("add its expectations"). Every cell sets up a
 * real case (fresh accounts with sessions minted in the database, content made through the
 * domain) and checks the answer and, where something is stored, whether it was written:
 * - allow: 2xx or a redirect elsewhere than sign-in, and the change is in the database;
 * - refuse: 4xx (403, 404, 409, a 400 refusal), a redirect to set up a second factor first, or
 *   a 2xx that changed nothing; visitors on signed-in pages and actions must be sent to sign in;
 * - a 500, or a refusal that still wrote, fails whatever was expected.
 * The server runs as a deployment, so the admin actors have a confirmed second factor (decision
 * 010); one case below checks what an admin without one meets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENROL_PATH } from "../../app/http/guards.server";
import { startSecurityServer, type SecurityServer } from "./support/server";
import { readRouteTable, type RouteRow } from "./support/route-table";
import { ACTOR_KINDS, World, type Actor, type ActorKind } from "./support/world";
import { GET_ROWS, POST_ROWS, getFixtures, rowName, type GetFixtures, type GetRow, type PostRow } from "./support/scenarios";
import { joinCookies, postForm, send, verdictOf, type Verdict } from "./support/http";

let server: SecurityServer;
let world: World;
let routes: RouteRow[];

beforeAll(async () => {
  server = await startSecurityServer();
  world = await new World(server.db, server.cookieName).init();
  routes = readRouteTable();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

interface CellResult {
  row: string;
  actor: ActorKind;
  expected: "allow" | "refuse";
  got: Verdict | "refuse-in-body";
  status: number;
  problem: string | null;
}

/** What was expected of `actor` on `row`, and what is wrong with what happened (null: nothing). */
function judge(row: GetRow | PostRow, actor: ActorKind, status: number, verdict: Verdict, wrote: boolean | null): CellResult {
  const expected = row.allowed.includes(actor) ? "allow" : "refuse";
  // A change that ends on the sign-in page (a password reset) happened: judge it as allowed.
  let got: CellResult["got"] = verdict === "login" && wrote === true ? "allow" : verdict;
  let problem: string | null = null;
  if (verdict === "error") problem = `500 (status ${status})`;
  else if (got !== "allow" && wrote === true) problem = `refused with ${status} but the change was written`;
  else {
    if (got === "allow" && wrote === false) got = "refuse-in-body";
    const allowed = got === "allow";
    if (expected === "refuse" && allowed) problem = `UNEXPECTED ALLOW (${status})`;
    else if (expected === "allow" && !allowed) problem = `unexpected refusal (${status}${got === "refuse-in-body" ? ", nothing written" : ""})`;
    else if (expected === "refuse" && actor === "visitor" && (row.visitor ?? "login") === "login" && verdict !== "login") {
      problem = `a visitor should be sent to sign in, got ${status}`;
    }
  }
  return { row: rowName(row), actor, expected, got, status, problem };
}

function printMatrix(title: string, results: CellResult[]) {
  const rows = [...new Set(results.map((r) => r.row))];
  const width = Math.max(...rows.map((r) => r.length));
  const head = ACTOR_KINDS.map((k) => k.replace("suspended", "s.").slice(0, 9).padEnd(9)).join(" ");
  const lines = [`${title}: ${results.length} cells`, `${"".padEnd(width)}  ${head}`];
  for (const name of rows) {
    const cells = ACTOR_KINDS.map((k) => {
      const r = results.find((x) => x.row === name && x.actor === k);
      if (!r) return "".padEnd(9);
      const mark = r.got === "allow" ? "✓" : r.got === "login" ? "→login" : r.got === "enrol" ? "→2fa" : r.got === "error" ? "500" : "·";
      return `${r.problem ? "!" : " "}${mark}`.padEnd(9);
    }).join(" ");
    lines.push(`${name.padEnd(width)}  ${cells}`);
  }
  console.log(lines.join("\n"));
}

const failures = (results: CellResult[]) => results.filter((r) => r.problem).map((r) => `${r.row} as ${r.actor}: ${r.problem} (expected ${r.expected})`);

describe("route × role × action matrix", () => {
  it("has expectations for every route and every intent the build serves", () => {
    const problems: string[] = [];
    const ids = new Set(routes.map((r) => r.id));
    for (const route of routes) {
      if (!GET_ROWS.some((g) => g.route === route.id))
        problems.push(`${route.id} (${route.pattern}): no GET expectations — add its expectations to tests/security/support/scenarios.ts`);
      if (!route.hasAction) continue;
      if (route.intents === null) {
        problems.push(`${route.id}: has an action but exports no \`intents\` — export the names its action dispatches on`);
        continue;
      }
      const names = route.intents.length ? route.intents : [""];
      for (const intent of names) {
        if (!POST_ROWS.some((p) => p.route === route.id && p.intent === intent)) {
          problems.push(`${route.id} · ${intent || "(no intent)"}: no POST expectations — add its expectations to tests/security/support/scenarios.ts`);
        }
      }
    }
    for (const row of [...GET_ROWS, ...POST_ROWS]) if (!ids.has(row.route)) problems.push(`${rowName(row)}: no such route in the build (stale expectation)`);
    for (const row of POST_ROWS) {
      const route = routes.find((r) => r.id === row.route);
      if (route && !route.hasAction) problems.push(`${rowName(row)}: the route has no action`);
      if (route?.intents && !(route.intents.length ? route.intents : [""]).includes(row.intent))
        problems.push(`${rowName(row)}: the route does not export this intent`);
    }
    expect(problems).toEqual([]);
  });

  it("reads as expected: every route for every actor", async () => {
    const fixtures: GetFixtures = await getFixtures(world);
    // Reading changes no account: one actor of each kind serves every GET cell.
    const actors = new Map<ActorKind, Actor>();
    for (const k of ACTOR_KINDS) actors.set(k, await world.actor(k));
    const results: CellResult[] = [];
    for (const row of GET_ROWS) {
      for (const kind of ACTOR_KINDS) {
        const actor = actors.get(kind)!;
        const target = row.setup(world, fixtures, actor);
        const { path, cookie } = typeof target === "string" ? { path: target, cookie: "" } : target;
        const answer = await send(server.origin + path, { cookie: joinCookies(actor.cookie, cookie) });
        results.push(judge(row, kind, answer.status, verdictOf(answer), null));
      }
    }
    printMatrix("GET", results);
    expect(failures(results)).toEqual([]);
  }, 300_000);

  it("acts as expected: every intent of every action for every actor", async () => {
    const results: CellResult[] = [];
    for (const row of POST_ROWS) {
      for (const kind of ACTOR_KINDS) {
        const actor = await world.actor(kind);
        const cell = await row.setup(world, actor);
        const fields = { ...(row.intent ? { intent: row.intent } : {}), ...cell.fields };
        const answer = await postForm(server, cell.path, fields, joinCookies(actor.cookie, cell.cookie));
        results.push(judge(row, kind, answer.status, verdictOf(answer), cell.wrote ? await cell.wrote() : null));
      }
    }
    printMatrix("POST", results);
    console.log(`matrix: ${GET_ROWS.length * ACTOR_KINDS.length} GET + ${results.length} POST cells`);
    expect(failures(results)).toEqual([]);
  }, 600_000);

  it("refuses an intent that is not in the action's list with 400, writing nothing", async () => {
    const problems: string[] = [];
    let cells = 0;
    for (const route of routes) {
      if (!route.hasAction || !route.intents?.length) continue;
      const row = POST_ROWS.find((p) => p.route === route.id);
      if (!row) continue;
      // The first actor the row allows passes every guard before the intent is read.
      const kind = row.allowed[0] ?? "admin";
      for (const intent of ["not-an-intent", ""]) {
        const actor = await world.actor(kind);
        const cell = await row.setup(world, actor);
        const answer = await postForm(server, cell.path, { ...cell.fields, intent }, joinCookies(actor.cookie, cell.cookie));
        cells++;
        const wrote = (await cell.wrote?.()) ?? false;
        if (answer.status !== 400 || wrote)
          problems.push(`${rowName(row)} with intent=${JSON.stringify(intent)} as ${kind}: ${answer.status}${wrote ? ", and it wrote" : ""}`);
      }
    }
    console.log(`unknown intents: ${cells} cells`);
    expect(problems).toEqual([]);
  }, 300_000);

  it("sends an admin without a second factor to set one up from staff pages and actions, writing nothing", async () => {
    const problems: string[] = [];
    const enrolFrom = (path: string) => `${ENROL_PATH}?redirectTo=${encodeURIComponent(path)}`;
    for (const path of ["/staff/settings", "/staff/moderation"]) {
      const actor = await world.actor("admin", { factor: false });
      const answer = await send(server.origin + path, { cookie: actor.cookie });
      if (answer.status !== 302 || answer.location !== enrolFrom(path))
        problems.push(`GET ${path}: ${answer.status} → ${answer.location} (expected 302 → ${enrolFrom(path)})`);
    }
    const staffActions = POST_ROWS.filter(
      (r) => !r.variant && ["routes/staff.settings", "routes/staff.users", "routes/staff.moderation.suspensions"].includes(r.route),
    );
    for (const row of staffActions) {
      const actor = await world.actor("admin", { factor: false });
      const cell = await row.setup(world, actor);
      const answer = await postForm(server, cell.path, { intent: row.intent, ...cell.fields }, actor.cookie);
      const wrote = (await cell.wrote?.()) ?? false;
      if (answer.status !== 302 || answer.location !== enrolFrom(cell.path) || wrote) {
        problems.push(
          `${rowName(row)}: ${answer.status} → ${answer.location}${wrote ? ", and it wrote" : ""} (expected 302 → ${enrolFrom(cell.path)}, nothing written)`,
        );
      }
    }
    // The one page such an admin may use is the set-up page itself; with a factor confirmed, the staff page opens.
    const admin = await world.actor("admin", { factor: false });
    const setUp = await send(`${server.origin}${ENROL_PATH}`, { cookie: admin.cookie });
    if (setUp.status !== 200) problems.push(`GET ${ENROL_PATH} without a factor: ${setUp.status} (expected 200)`);
    await world.enrol(admin.user!);
    const after = await send(`${server.origin}/staff/settings`, { cookie: admin.cookie });
    if (after.status !== 200) problems.push(`GET /staff/settings after enrolling: ${after.status} (expected 200)`);
    expect(staffActions.length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  }, 120_000);

  it("answered no request with a 500", () => {
    expect(server.errors()).toEqual([]);
  });
});
