import type { Page, Response } from "@playwright/test";
import { checkA11y, expect, expectStatus, signInByApi, test as base } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";

/**
 * An accessibility audit of every page route (app/routes/), signed out and as each demo role:
 * axe (WCAG 2.0–2.2 A/AA, `js` project only; see AXE_VIEWS) and, in both projects, the page's structure —
 * exactly one h1, heading levels that never skip, a main, a nav and a footer landmark, and an
 * accessible name on every form control. Each role also meets the 403 page on one page it may
 * not open. Read-only: nothing is posted, so the audit shares the seeded city with every spec.
 *
 * One test per role and group of pages, in one browser context (signed in once per worker and
 * role, through the sign-in endpoint), each page in a page of its own and a step of its own: a
 * failure names the page, and the pages after it are still checked.
 */

type Role = keyof typeof DEMO_ACCOUNTS;
type Who = "signed out" | Role;

const PROJECT = "pelebaran-jalan-raya-sindanglaya";

/** Paths whose id is read from the seeded project page, resolved inside the test. */
type Target = { name: string; path: string | ((ids: SeedIds) => string); status?: number };
type SeedIds = { thread: string; proposal: string };

const PUBLIC: Target[] = [
  { name: "home", path: "/" },
  { name: "projects", path: "/projects" },
  { name: "project page", path: `/projects/${PROJECT}` },
  { name: "thread page", path: (ids) => ids.thread },
  { name: "proposal page", path: (ids) => ids.proposal },
  { name: "search", path: "/search?q=banjir" },
  { name: "moderation policy", path: "/moderation" },
  { name: "privacy", path: "/privacy" },
  { name: "404 page", path: "/halaman-ini-tidak-ada", status: 404 },
];
const SIGNED_OUT_ONLY: Target[] = [
  { name: "login", path: "/login" },
  { name: "register", path: "/register" },
  { name: "forgot password", path: "/forgot-password" },
];
const OWN: Target[] = [
  { name: "new thread", path: `/projects/${PROJECT}/threads/new` },
  { name: "new proposal", path: `/projects/${PROJECT}/proposals/new` },
  { name: "account", path: "/account" },
  { name: "account e-mail", path: "/account/email" },
  { name: "account data", path: "/account/data" },
  { name: "account delete", path: "/account/delete" },
  { name: "account decisions", path: "/account/decisions" },
  { name: "notifications", path: "/notifications" },
];
/** Staff only: setting up two-step sign-in (opening it leaves an unconfirmed key, which changes nothing at sign-in). */
const STAFF_OWN: Target[] = [{ name: "two-step sign-in", path: "/account/two-factor" }];
const MODERATION: Target[] = [
  { name: "moderation queue", path: "/staff/moderation" },
  { name: "moderation log", path: "/staff/moderation/log" },
  { name: "suspensions", path: "/staff/moderation/suspensions" },
];
const PLANNING: Target[] = [
  { name: "staff projects", path: "/staff/projects" },
  { name: "staff new project", path: "/staff/projects/new" },
  { name: "staff project", path: `/staff/projects/${PROJECT}` },
  { name: "staff project report", path: `/staff/projects/${PROJECT}/report` },
  { name: "staff reports", path: "/staff/reports" },
];
const ADMINISTRATION: Target[] = [
  { name: "users", path: "/staff/users" },
  { name: "settings", path: "/staff/settings" },
];
const forbidden = (name: string, path: string): Target => ({ name: `403 page (${name})`, path, status: 403 });

/** What each role visits, in groups: one test per group. */
const VISITS: Record<Who, Record<string, Target[]>> = {
  "signed out": { "public pages": PUBLIC, "signed-out pages": SIGNED_OUT_ONLY },
  resident: { "public pages": PUBLIC, "own pages": [...OWN, forbidden("moderation queue", "/staff/moderation")] },
  moderator: { "public pages": PUBLIC, "own pages": [...OWN, ...STAFF_OWN], "staff pages": [...MODERATION, forbidden("staff projects", "/staff/projects")] },
  planner: { "public pages": PUBLIC, "own pages": [...OWN, ...STAFF_OWN], "staff pages": [...PLANNING, forbidden("users", "/staff/users")] },
  // The admin may open every page; their refusal is only shown to the roles above.
  admin: { "public pages": PUBLIC, "own pages": [...OWN, ...STAFF_OWN], "staff pages": [...MODERATION, ...PLANNING, ...ADMINISTRATION] },
};

/**
 * Whose view of a page axe reads. A moderator's or a planner's view of a page is the admin's
 * without some staff tools (the admin holds every power), and the public pages differ only by
 * what a signed-in resident or staff member is offered; so axe reads each page signed out, as a
 * resident and as the admin, and every 403 page. The structure checks still run for every role.
 */
const AXE_VIEWS: readonly Who[] = ["signed out", "resident", "admin"];

let seedIds: SeedIds | undefined;

const test = base.extend<{ visitor: (who: Who) => Promise<() => Promise<Page>>; ids: SeedIds }>({
  /** A browser context for `who`, signed in unless signed out; returns a function that opens a new page in it. */
  visitor: async ({ newContext }, use) => {
    await use(async (who) => {
      const context = await newContext();
      if (who !== "signed out") await signInByApi(context, DEMO_ACCOUNTS[who]);
      return () => context.newPage();
    });
  },
  ids: async ({ request }, use) => {
    if (!seedIds) {
      const response = await request.get(`/projects/${PROJECT}`);
      expect(response.status()).toBe(200);
      const html = await response.text();
      const thread = new RegExp(`/projects/${PROJECT}/threads/\\d+(?=")`).exec(html)?.[0];
      const proposal = new RegExp(`/projects/${PROJECT}/proposals/\\d+(?=")`).exec(html)?.[0];
      expect(thread, "a thread link on the project page").toBeTruthy();
      expect(proposal, "a proposal link on the project page").toBeTruthy();
      seedIds = { thread: thread!, proposal: proposal! };
    }
    await use(seedIds);
  },
});

/** Runs in the page: headings, landmarks and form controls without an accessible name. */
function structure() {
  const shown = (el: Element) => {
    if (el.closest("[hidden], [aria-hidden='true']")) return false;
    for (let e: Element | null = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.visibility === "hidden") return false;
    }
    return true;
  };
  const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
  const describe = (el: Element) =>
    `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("name") ? ` name=${el.getAttribute("name")}` : ""}${el.getAttribute("type") ? ` type=${el.getAttribute("type")}` : ""}>`;

  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter(shown)
    .map((h) => ({ level: Number(h.tagName[1]), text: text(h).slice(0, 60) }));

  const nameOf = (el: HTMLElement): string => {
    const labelledBy = el.getAttribute("aria-labelledby");
    if (labelledBy) {
      const joined = labelledBy
        .split(/\s+/)
        .map((id) => text(document.getElementById(id)))
        .join(" ")
        .trim();
      if (joined) return joined;
    }
    const aria = el.getAttribute("aria-label")?.trim();
    if (aria) return aria;
    const labels = (el as HTMLInputElement).labels;
    if (labels) {
      const joined = Array.from(labels).map(text).join(" ").trim();
      if (joined) return joined;
    }
    if (el.tagName === "BUTTON") {
      const own =
        text(el) ||
        Array.from(el.querySelectorAll("img[alt]"))
          .map((i) => i.getAttribute("alt"))
          .join(" ")
          .trim();
      if (own) return own;
    }
    if (el.tagName === "INPUT") {
      const type = (el as HTMLInputElement).type;
      if (["submit", "button", "reset"].includes(type)) return (el as HTMLInputElement).value.trim() || (type === "submit" ? "Submit" : "");
      if (type === "image") return el.getAttribute("alt")?.trim() ?? "";
    }
    return el.getAttribute("title")?.trim() ?? "";
  };
  const unnamed = Array.from(document.querySelectorAll<HTMLElement>("input:not([type=hidden]), select, textarea, button"))
    .filter(shown)
    .filter((el) => !nameOf(el))
    .map(describe);

  const count = (selector: string) => Array.from(document.querySelectorAll(selector)).filter(shown).length;
  return {
    headings,
    main: count("main, [role=main]"),
    nav: count("nav, [role=navigation]"),
    footer: count("footer, [role=contentinfo]"),
    unnamed,
  };
}

async function checkStructure(page: Page) {
  const s = await page.evaluate(structure);
  const where = page.url();
  const outline = s.headings.map((h) => `h${h.level} ${h.text}`).join(" | ");
  expect(s.headings.filter((h) => h.level === 1).length, `exactly one h1 on ${where}: ${outline}`).toBe(1);
  let previous = 0;
  for (const h of s.headings) {
    expect(h.level, `heading levels skip on ${where} at "h${h.level} ${h.text}" after h${previous}: ${outline}`).toBeLessThanOrEqual(previous + 1);
    previous = h.level;
  }
  expect(s.main, `one <main> on ${where}`).toBe(1);
  expect(s.nav, `a <nav> on ${where}`).toBeGreaterThanOrEqual(1);
  expect(s.footer, `a <footer> on ${where}`).toBeGreaterThanOrEqual(1);
  expect(s.unnamed, `form controls without an accessible name on ${where}`).toEqual([]);
}

// Its tests are independent (read-only), so both workers share them instead of one taking the whole file.
test.describe.configure({ mode: "parallel" });

type Loaded = { page: Page; path: string; response: Response | null };

/** Opens `target` in a page of its own (its expected 4xx is its own), sharing the context's session and cache. */
async function load(newPage: () => Promise<Page>, target: Target, ids: SeedIds): Promise<Loaded> {
  const page = await newPage();
  const path = typeof target.path === "string" ? target.path : target.path(ids);
  if (target.status) expectStatus(page, target.status);
  return { page, path, response: await page.goto(path) };
}

async function audit({ page, path, response }: Loaded, who: Who, target: Target) {
  expect(response?.status(), `${path} as ${who}`).toBe(target.status ?? 200);
  // Signed-in pages stay where they were asked for (no redirect to /login).
  expect(new URL(page.url()).pathname).toBe(new URL(path, "http://x").pathname);
  if (target.status === 403) await expect(page.getByRole("heading", { level: 1, name: "Akses ditolak" })).toBeVisible();
  await checkStructure(page);
  if (AXE_VIEWS.includes(who) || target.status === 403) await checkA11y(page);
}

/** A promise that never rejects: its outcome, to be read (and thrown) later, in the step it belongs to. */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error }),
  );

for (const [who, groups] of Object.entries(VISITS) as [Who, Record<string, Target[]>][]) {
  test.describe(`audit, ${who}`, () => {
    for (const [group, targets] of Object.entries(groups)) {
      test(`${group}: ${targets.map((t) => t.name).join(", ")}`, async ({ visitor, ids }) => {
        // The budget a page had when each was a test of its own, less the browser's start-up.
        test.setTimeout(targets.length * 30_000);
        const newPage = await visitor(who);
        const failed: string[] = [];
        // While one page is checked the next one loads: the server renders while the browser runs axe.
        let next = settle(load(newPage, targets[0]!, ids));
        for (const [i, target] of targets.entries()) {
          const current = await next;
          if (i + 1 < targets.length) next = settle(load(newPage, targets[i + 1]!, ids));
          await test
            .step(target.name, async () => {
              if ("error" in current) throw current.error;
              await audit(current.value, who, target);
            })
            .catch((error: Error) => failed.push(`${target.name}: ${error.message}`))
            .finally(() => ("value" in current ? current.value.page.close() : undefined));
        }
        expect(failed, `pages that failed the audit as ${who}`).toEqual([]);
      });
    }
  });
}
