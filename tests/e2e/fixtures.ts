import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import type { AxeResults } from "axe-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DEMO_PASSWORD } from "../../db/seed";

/**
 * Journeys fail on any console error or uncaught page error. The one exception is Chromium's own
 * "Failed to load resource: the server responded with a status of 4xx" line, for a status the
 * test has declared with `expectStatus(page, status)`.
 */
const expectedStatuses = new WeakMap<Page, Set<number>>();

/** Declares that `page` will receive `status` (4xx) in this test, so the browser's line about it is not a failure. */
export function expectStatus(page: Page, status: number) {
  if (status < 400 || status > 499) throw new Error(`expectStatus is for 4xx answers, not ${status}`);
  const set = expectedStatuses.get(page) ?? new Set<number>();
  set.add(status);
  expectedStatuses.set(page, set);
  base.info().annotations.push({ type: "expected status", description: String(status) });
}

const RESOURCE_STATUS = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

function isExpected(message: ConsoleMessage) {
  const match = RESOURCE_STATUS.exec(message.text());
  if (!match) return false;
  const status = Number(match[1]);
  const page = message.page();
  return status >= 400 && status <= 499 && page !== null && (expectedStatuses.get(page)?.has(status) ?? false);
}

type Problems = { watch(context: BrowserContext): void };

type Fixtures = {
  /** Collects console errors and page errors from every context of the test; fails it if any. */
  browserProblems: Problems;
  /** Opens another browser context ("another device") with the project's options, watched the same way. */
  newContext: () => Promise<BrowserContext>;
};

export const test = base.extend<Fixtures>({
  // Depends on no context of its own: a test that opens only contexts of its own (the audit) pays
  // for no unused default one. The default context, when a test asks for it, is watched below.
  browserProblems: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, testInfo) => {
      const problems: string[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on("console", (message) => {
          if (message.type() !== "error" || isExpected(message)) return;
          problems.push(`console error on ${message.page()?.url() ?? "?"}: ${message.text()}`);
        });
        ctx.on("weberror", (error) => {
          // Remix's router aborts a navigation that another one supersedes (a click while a
          // revalidation is in flight, on a loaded machine) and the browser reports the abort as a
          // page error (react-router issue 14203). The app's own code aborts nothing.
          if (error.error().name === "AbortError" && /signal is aborted without reason/.test(error.error().message)) return;
          problems.push(`page error on ${error.page()?.url() ?? "?"}: ${error.error().stack ?? error.error().message}`);
        });
      };
      await use({ watch });
      if (problems.length && testInfo.status === testInfo.expectedStatus) {
        throw new Error(`The browser reported ${problems.length} error(s):\n  ${problems.join("\n  ")}`);
      } else if (problems.length) {
        await testInfo.attach("browser errors", { body: problems.join("\n"), contentType: "text/plain" });
      }
    },
    { auto: true },
  ],

  context: async ({ context, browserProblems }, use) => {
    browserProblems.watch(context);
    await use(context);
  },

  newContext: async ({ browser, browserProblems }, use) => {
    const opened: BrowserContext[] = [];
    await use(async () => {
      // Inside a test, browser.newContext() starts from the project's options (baseURL, JavaScript…).
      const context = await browser.newContext();
      browserProblems.watch(context);
      opened.push(context);
      return context;
    });
    for (const context of opened) await context.close();
  },
});

export { expect };

/** The text the header shows to a signed-in person. */
export const signedInAs = (name: string) => `Masuk sebagai ${name}`;

/** Something unique per run, per project and per call, for e-mail addresses and names. */
export function unique(label: string) {
  const project = base.info().project.name;
  return `${label}-${project}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Through the form, as a person signs in: for the journeys about signing in, and wherever the form's own answer matters. */
export async function signIn(page: Page, email: string, password: string) {
  if (new URL(page.url(), "http://x").pathname !== "/login") await page.goto("/login");
  await page.getByLabel("Alamat e-mail").fill(email);
  await page.getByLabel("Kata sandi", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page.getByText(/^Masuk sebagai /)).toBeVisible();
}

type Cookie = Awaited<ReturnType<BrowserContext["cookies"]>>[number];

/** Session cookies signed in by `signInByApi`, per account: module state, so one set per worker. */
const sessions = new Map<string, Cookie[]>();

/**
 * Starts a browser context (or a page's) signed in as `email` without loading the sign-in form: one
 * POST /login with our Origin, the request the form sends, which must answer with the redirect
 * of a successful sign-in. For journeys that are not about signing in (accounts.spec.ts and
 * two-factor.spec.ts sign in through the form). The session is kept for the worker's later
 * journeys with the same account; `fresh` signs in anew and keeps nothing, for a journey that
 * ends or changes the account's sessions. The page stays where it is: the next `goto` is signed in.
 */
export async function signInByApi(
  where: Page | BrowserContext,
  email: string,
  { password = DEMO_PASSWORD, fresh = false }: { password?: string; fresh?: boolean } = {},
) {
  const context = "goto" in where ? where.context() : where;
  const key = `${email.toLowerCase()} ${password}`;
  const kept = fresh ? undefined : sessions.get(key);
  if (kept) {
    await context.addCookies(kept);
    return;
  }
  const origin = new URL(String(base.info().project.use.baseURL)).origin;
  const response = await context.request.post("/login", { form: { email, password, redirectTo: "/" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status(), `signing ${email} in through POST /login`).toBe(302);
  const cookies = (await context.cookies()).filter((c) => /rembug_session$/.test(c.name));
  expect(cookies, `a session cookie for ${email}`).toHaveLength(1);
  if (!fresh) sessions.set(key, cookies);
}

export interface Registration {
  displayName: string;
  email: string;
  password: string;
  /** Visible text of a kelurahan option; none chosen when absent. */
  kelurahan?: string;
}

/** Fills the registration form and sends it, without judging the outcome. */
export async function submitRegistration(page: Page, values: Partial<Registration>) {
  if (new URL(page.url(), "http://x").pathname !== "/register") await page.goto("/register");
  if (values.displayName !== undefined) await page.getByLabel("Nama tampilan").fill(values.displayName);
  if (values.email !== undefined) await page.getByLabel("Alamat e-mail").fill(values.email);
  if (values.password !== undefined) await page.getByLabel("Kata sandi").fill(values.password);
  if (values.kelurahan !== undefined) await page.getByLabel("Kelurahan").selectOption({ label: values.kelurahan });
  await page.getByRole("button", { name: "Daftar", exact: true }).click();
}

/** The page sign-up answers for any address, new or registered: no session, "check your inbox". */
export const CHECK_INBOX_HEADING = "Periksa kotak masuk Anda";

/**
 * Registers a new resident: sign-up answers "check your inbox" (the same for an address that has
 * an account already, so it signs no one in), then they sign in with their new password.
 */
export async function register(page: Page, values: Registration) {
  await submitRegistration(page, values);
  await expect(page.getByRole("heading", { level: 1, name: CHECK_INBOX_HEADING })).toBeVisible();
  await signIn(page, values.email, values.password);
  await expect(page.getByText(signedInAs(values.displayName))).toBeVisible();
}

/**
 * Registers a new resident and signs them in on `page`'s context without loading the forms: the
 * POST /register and POST /login the forms send (the forms themselves are the journeys of
 * accounts.spec.ts and keyboard.spec.ts). For journeys where a new account is where they start,
 * not what they are about. Sign-up must give its "check your inbox" answer.
 */
export async function registerByApi(page: Page, values: Registration) {
  const origin = new URL(String(base.info().project.use.baseURL)).origin;
  const response = await page.context().request.post("/register", {
    form: { displayName: values.displayName, email: values.email, password: values.password, areaId: "" },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(response.status(), `registering ${values.email} through POST /register`).toBe(200);
  expect(await response.text(), `the sign-up answer for ${values.email}`).toContain(CHECK_INBOX_HEADING);
  await signInByApi(page, values.email, { password: values.password, fresh: true });
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Keluar", exact: true }).click();
  await expect(page.getByRole("link", { name: "Masuk", exact: true })).toBeVisible();
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * The axe-core that @axe-core/playwright itself runs (its own dependency, so the very same
 * version), in its minified build: the same code as the `source` AxeBuilder injects, in half the
 * bytes to send and parse.
 */
const axeCore = createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"));
const axeSource = readFileSync(axeCore.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = (axeCore("axe-core/package.json") as { version: string }).version;

type AxeInPage = { version: string; run: (context: Document, options: object) => Promise<{ violations: AxeResults["violations"] }> };

/**
 * axe's run of a page without frames, in the page itself: what AxeBuilder does in its legacy mode
 * (axe.run on the document with the same tags). AxeBuilder's default, made for frames from other
 * origins, runs axe in each frame and then opens a second page to inject axe again and merge the
 * results there: it costs about twice as long and reads nothing more on a page without frames.
 * A document that has axe already (a second check after a client-side navigation) keeps it.
 */
async function axeViolations(page: Page): Promise<AxeResults["violations"]> {
  if (page.frames().length > 1) return (await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()).violations;
  const injected = await page.evaluate((version) => (window as unknown as { axe?: AxeInPage }).axe?.version === version, axeVersion);
  if (!injected) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: AxeInPage }).axe;
    return (await axe.run(document, { runOnly: { type: "tag", values: tags } })).violations;
  }, WCAG_TAGS);
}

/**
 * axe with the WCAG 2.0–2.2 A and AA rules; zero violations expected. Only in the `js` project:
 * axe runs as an injected script, which a page without JavaScript never executes.
 */
export async function checkA11y(page: Page) {
  if (base.info().project.name !== "js") return;
  const violations = await axeViolations(page);
  const report = violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `      ${n.target.join(" ")}\n        ${(n.failureSummary ?? "").replace(/\n/g, "\n        ")}`).join("\n");
      return `  [${v.impact ?? "?"}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join("\n");
  expect(
    violations.map((v) => v.id),
    `accessibility violations on ${page.url()}:\n${report}`,
  ).toEqual([]);
}

/**
 * The e-mail address of one of the demo city's seeded residents (db/seed.ts: "Asep Saepudin" →
 * asep.saepudin@warga.demo.rembug.id). They share DEMO_PASSWORD and are established accounts
 * with published contributions, so what they post is published at once.
 */
export function residentEmail(displayName: string) {
  return `${displayName.toLowerCase().replace(/[^a-z]+/g, ".")}@warga.demo.rembug.id`;
}
