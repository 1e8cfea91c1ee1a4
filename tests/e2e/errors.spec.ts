import { checkA11y, expect, expectStatus, signIn, test } from "./fixtures";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed";

test("an unknown path is a translated 404 page", async ({ page }) => {
  expectStatus(page, 404);
  const response = await page.goto("/jalan-yang-tidak-ada");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Halaman tidak ditemukan" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Kembali ke beranda" })).toBeVisible();
  await checkA11y(page);
});

test.describe("cross-site requests", () => {
  const form = { email: "siapa@contoh.id", password: "apa-saja-boleh-1" };

  test("a POST without an Origin is refused", async ({ playwright, baseURL }) => {
    // A separate client without the configured Origin header (it would inherit it otherwise).
    const bare = await playwright.request.newContext({ baseURL, extraHTTPHeaders: {} });
    try {
      const response = await bare.post("/login", { form });
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain("Akses ditolak");
    } finally {
      await bare.dispose();
    }
  });

  test("a POST from a foreign Origin is refused, the same POST from ours is not", async ({ request }) => {
    const foreign = await request.post("/login", { form, headers: { Origin: "https://evil.example" } });
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain("Akses ditolak");

    const own = await request.post("/login", { form });
    expect(own.status()).toBe(400);
    expect(await own.text()).toContain("E-mail atau kata sandi salah.");
  });
});

test("a body over 64 KB is refused with a translated 413", async ({ request }) => {
  const response = await request.post("/login", {
    form: { email: "siapa@contoh.id", password: "x".repeat(70 * 1024) },
  });
  expect(response.status()).toBe(413);
  const body = await response.text();
  expect(body).toContain("Kiriman terlalu besar");
  expect(body).toContain("Data yang dikirim melebihi 64 KB.");
});

test("pages carry the security headers and every inline script carries the CSP nonce", async ({ request }) => {
  const response = await request.get("/");
  expect(response.status()).toBe(200);
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'(;|$)/.exec(csp)?.[1];
  expect(nonce, `CSP: ${csp}`).toBeTruthy();
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();

  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]!);
  const inline = scripts.filter((attrs) => !/\bsrc=/.test(attrs));
  expect(inline.length).toBeGreaterThan(0);
  for (const attrs of inline) expect(attrs, `<script${attrs}>`).toContain(`nonce="${nonce}"`);

  // A fresh nonce for every response.
  const again = (await request.get("/")).headers()["content-security-policy"];
  expect(again).not.toContain(`'nonce-${nonce}'`);
});

test("hashed assets are cached for a year and responses are compressed", async ({ request }) => {
  const page = await request.get("/", { headers: { "Accept-Encoding": "gzip" } });
  expect(page.headers()["content-encoding"]).toBe("gzip");
  const html = await page.text();
  expect(html).toContain("<html");

  const assets = [...new Set([...html.matchAll(/\/assets\/[\w.-]+\.(?:js|css)/g)].map((m) => m[0]))];
  expect(assets.length, "the page links hashed scripts and styles").toBeGreaterThan(1);
  for (const asset of assets) {
    const served = await request.get(asset);
    expect(served.status(), asset).toBe(200);
    const cacheControl = served.headers()["cache-control"] ?? "";
    expect(cacheControl, asset).toContain("max-age=31536000");
    expect(cacheControl, asset).toContain("immutable");
  }

  // Without gzip in Accept-Encoding the page goes out as it is.
  const plain = await request.get("/", { headers: { "Accept-Encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();
});

test("residents' browsers are sent the residents' strings, staff the staff strings, both compressed once", async ({ page }) => {
  const stringsLink = page.locator("link#i18n-resource");
  await page.goto("/");
  const residentHref = await stringsLink.getAttribute("href");
  expect(residentHref).toMatch(/^\/i18n\/id-public-[0-9a-f]{12}\.json$/);
  const residentStrings = await page.request.get(residentHref!, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
  expect(residentStrings.headers()["content-encoding"]).toBe("br");
  expect(residentStrings.headers()["cache-control"]).toContain("immutable");
  const publicJson = await residentStrings.json();
  expect(publicJson.nav.projects).toBe("Rencana pembangunan");
  expect(publicJson.moderation.queue, "the moderation queue's strings stay on staff devices").toBeUndefined();
  expect(publicJson.reports).toBeUndefined();
  expect(publicJson.mail, "e-mail text never leaves the server").toBeUndefined();

  // A moderator signs in (with JavaScript: a new document loads the staff strings) and works.
  await signIn(page, DEMO_ACCOUNTS.moderator, DEMO_PASSWORD);
  const staffHref = await stringsLink.getAttribute("href");
  expect(staffHref).toMatch(/^\/i18n\/id-staff-[0-9a-f]{12}\.json$/);
  const staffJson = await (await page.request.get(staffHref!)).json();
  expect(staffJson.moderation.queue).toBeTruthy();
  expect(staffJson.mail).toBeUndefined();
  await page.getByRole("link", { name: "Moderasi" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main")).not.toContainText("moderation.");

  // A stale hash from before a deploy still gets strings, without the year-long cache.
  const stale = await page.request.get("/i18n/id-public-000000000000.json");
  expect(stale.status()).toBe(200);
  expect(stale.headers()["cache-control"]).toBe("no-cache");
  expect((await page.request.get("/i18n/xx-public-000000000000.json")).status()).toBe(404);
});

test("/healthz answers ok", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok" });
});
