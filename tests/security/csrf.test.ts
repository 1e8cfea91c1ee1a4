/**
 * Cross-site request forgery, over every action the build serves (route × intent), against the
 * built server running as a deployment behind a TLS proxy (SITE_URL=https://city.example.test).
 *
 * The server checks every unsafe request in one place (server/app.ts, before Remix): its Origin
 * must be exactly SITE_URL; without an Origin, `Sec-Fetch-Site` must say `same-origin`. So a
 * request with neither is refused too: every browser that runs our forms sends one of them, and
 * a client that sends none is not a page of this site. Each cell below is a real case of the
 * action (an actor allowed to do it, real ids and tokens): the same post with the site's Origin
 * succeeds, and every forged variant is refused with 403 and writes nothing — not a row, not a
 * rate-limit counter (the database's data_version stays where it was).
 *
 * The one exemption is the one-click unsubscribe (RFC 8058), which mail clients post without our
 * Origin; it is authenticated by the signed token in its URL, so there a forged variant with a
 * token that is not valid must be refused and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "../../db/engine";
import { startSecurityServer, type SecurityServer } from "./support/server";
import { readRouteTable, type RouteRow } from "./support/route-table";
import { World, type Actor } from "./support/world";
import { POST_ROWS, rowName, type Cell, type PostRow } from "./support/scenarios";
import { formBody, joinCookies, postForm, send } from "./support/http";

const SITE = "https://city.example.test";

let server: SecurityServer;
let world: World;
let routes: RouteRow[];

/** Changes whenever another connection (the server) commits a write to the database. */
const dataVersion = () => server.reader.pragma("data_version", { simple: true }) as number;

async function quiet() {
  // The server's mail sender runs its housekeeping at start; wait until the database is still.
  let last = dataVersion();
  for (let still = 0; still < 3;) {
    await new Promise((r) => setTimeout(r, 700));
    const now = dataVersion();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/**
 * Waits until the server has sent every message the set-up queued (enrolling a second factor
 * mails its owner), so its sender's writes are not taken for a forged post's.
 */
async function mailSent() {
  const unsent = async () => (await rows<{ n: number }>(server.db, sql`select count(*) as n from outbox where sent_at is null`))[0]!.n;
  const deadline = Date.now() + 15_000;
  while ((await unsent()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  server = await startSecurityServer({ siteUrl: SITE });
  world = await new World(server.db, server.cookieName).init();
  routes = readRouteTable();
  await quiet();
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

/** Headers of a forged request (Content-Type added by the sender); undefined: the header is absent. */
interface Forgery {
  name: string;
  method?: string;
  headers: Record<string, string>;
}

const FORGERIES: Forgery[] = [
  { name: "foreign Origin", headers: { Origin: "https://evil.test" } },
  { name: "no Origin, no Sec-Fetch-Site", headers: {} },
  { name: "Origin: null", headers: { Origin: "null" } },
  { name: "Origin: null, Sec-Fetch-Site: same-origin", headers: { Origin: "null", "Sec-Fetch-Site": "same-origin" } },
  { name: "Sec-Fetch-Site: cross-site", headers: { "Sec-Fetch-Site": "cross-site" } },
  { name: "Sec-Fetch-Site: same-site (a sibling subdomain)", headers: { "Sec-Fetch-Site": "same-site" } },
  { name: "Sec-Fetch-Site: none", headers: { "Sec-Fetch-Site": "none" } },
  { name: "foreign Origin claiming Sec-Fetch-Site: same-origin", headers: { Origin: "https://evil.test", "Sec-Fetch-Site": "same-origin" } },
  { name: "suffix: the site's host under another domain", headers: { Origin: `${SITE}.evil.test` } },
  { name: "prefix: another host ending in the site's host", headers: { Origin: "https://evilcity.example.test" } },
  { name: "subdomain of the site", headers: { Origin: "https://evil.city.example.test" } },
  { name: "http instead of https", headers: { Origin: "http://city.example.test" } },
  { name: "another port", headers: { Origin: `${SITE}:8443` } },
  { name: "explicit default port", headers: { Origin: `${SITE}:443` } },
  { name: "userinfo", headers: { Origin: `${SITE}@evil.test` } },
  { name: "trailing slash", headers: { Origin: `${SITE}/` } },
  { name: "two origins in one header", headers: { Origin: `${SITE}, https://evil.test` } },
  { name: "the site's origin as Referer only", headers: { Referer: `${SITE}/projects` } },
  { name: "PUT without Origin", method: "PUT", headers: {} },
  { name: "DELETE from a foreign Origin", method: "DELETE", headers: { Origin: "https://evil.test" } },
];

const EXEMPT = new Set(["routes/unsubscribe.$token"]);

/** One real case per route × intent: the first expectation row of each, as an actor it allows. */
function actionCells(): PostRow[] {
  const seen = new Set<string>();
  const rows: PostRow[] = [];
  for (const row of POST_ROWS) {
    const key = `${row.route} ${row.intent}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}

describe("cross-site request forgery", () => {
  it("covers every action and intent the build serves", () => {
    const covered = new Set(actionCells().map((r) => `${r.route} ${r.intent}`));
    const missing: string[] = [];
    for (const route of routes) {
      if (!route.hasAction) continue;
      const intents = route.intents?.length ? route.intents : [""];
      for (const intent of intents) if (!covered.has(`${route.id} ${intent}`)) missing.push(`${route.id} · ${intent || "(no intent)"}`);
    }
    expect(missing).toEqual([]);
  });

  it("refuses every forged post to every action with 403 and writes nothing, while the site's own post goes through", async () => {
    const problems: string[] = [];
    let cells = 0;
    const fieldsOf = (row: PostRow, fields: Record<string, string | string[]> = {}) => ({ ...(row.intent ? { intent: row.intent } : {}), ...fields });
    const kindFor = (row: PostRow) => (row.allowed.includes("resident") ? "resident" : (row.allowed[0] ?? "resident"));
    for (const row of actionCells()) {
      const kind = kindFor(row);

      // Every forgery's case is set up first, and the mail their set-up queued sent, then each is tried.
      const cases: { forgery: Forgery; actor: Actor; cell: Cell }[] = [];
      for (const forgery of FORGERIES) {
        const actor = await world.actor(kind);
        cases.push({ forgery, actor, cell: await row.setup(world, actor) });
      }
      await mailSent();
      for (const { forgery, actor, cell } of cases) {
        // The exempt unsubscribe: a forged post must at least carry a valid token; this one does not.
        const path = EXEMPT.has(row.route) ? cell.path.replace(/[^/]+$/, (token) => `${token.slice(0, -4)}AAAA`) : cell.path;
        const before = dataVersion();
        const answer = await send(server.origin + path, {
          method: forgery.method ?? "POST",
          cookie: joinCookies(actor.cookie, cell.cookie),
          headers: { "Content-Type": "application/x-www-form-urlencoded", ...forgery.headers },
          body: formBody(fieldsOf(row, cell.fields)),
        });
        cells++;
        const wrote = dataVersion() !== before || ((await cell.wrote?.()) ?? false);
        // The exempt path refuses a token that is not valid (400); any other method there is no
        // mail client's one-click and may be refused either way, never with a 500.
        const exempt = EXEMPT.has(row.route);
        const expected = exempt && (forgery.method ?? "POST") === "POST" ? 400 : 403;
        const refused = exempt && expected === 403 ? answer.status >= 400 && answer.status < 500 : answer.status === expected;
        if (!refused || wrote) {
          problems.push(`${rowName(row)} as ${kind}, ${forgery.name}: ${answer.status} (expected ${expected})${wrote ? ", and something was written" : ""}`);
        }
      }
    }
    // The control: the same cases from the site's own page are allowed, so the refusals above are
    // the Origin check's. Last, so the mail they queue is not sent while a forgery is measured.
    for (const row of actionCells()) {
      if (row.allowed.length === 0) continue;
      const kind = kindFor(row);
      const actor = await world.actor(kind);
      const cell = await row.setup(world, actor);
      const answer = await postForm(server, cell.path, fieldsOf(row, cell.fields), joinCookies(actor.cookie, cell.cookie));
      if (answer.status >= 400 || (cell.wrote && !(await cell.wrote())))
        problems.push(`${rowName(row)} as ${kind}: the site's own post was not allowed (${answer.status})`);
    }
    console.log(`CSRF: ${cells} forged posts over ${actionCells().length} actions × intents, ${FORGERIES.length} forgeries each`);
    expect(problems).toEqual([]);
  }, 600_000);

  it("answered no request with a 500", () => {
    expect(server.errors()).toEqual([]);
  });
});
