import type { Page } from "@playwright/test";
import { checkA11y, expect, expectStatus, test, unique } from "./fixtures";

const PAGES = [
  { path: "/", heading: "Suarakan pendapat Anda tentang pembangunan kota" },
  { path: "/projects", heading: "Rencana pembangunan" },
  { path: "/login", heading: "Masuk" },
  { path: "/register", heading: "Daftar akun" },
];

async function failSignIn(page: Page) {
  await page.goto("/login");
  expectStatus(page, 400);
  await page.getByLabel("Alamat e-mail").fill(`${unique("tidak-ada")}@contoh.id`);
  await page.getByLabel("Kata sandi", { exact: true }).fill("bukan-kata-sandinya-99");
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("E-mail atau kata sandi salah.");
}

async function expectNoHorizontalOverflow(page: Page) {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    // What sticks out, to make a failure easy to fix.
    wide: Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).replace(/\s+/g, ".") : ""}`),
  }));
  expect(widths.scroll, `horizontal overflow on ${page.url()}: ${widths.wide.join(", ")}`).toBeLessThanOrEqual(360);
}

test.describe("axe finds no violations", () => {
  for (const { path, heading } of PAGES) {
    test(`on ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
      await checkA11y(page);
    });
  }

  test("on /login after a failed sign-in", async ({ page }) => {
    await failSignIn(page);
    await checkA11y(page);
  });
});

test.describe("at 360 × 740 nothing overflows sideways", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  for (const { path, heading } of PAGES) {
    test(`on ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
      await expectNoHorizontalOverflow(page);
      await checkA11y(page);
    });
  }

  test("on /login after a failed sign-in", async ({ page }) => {
    await failSignIn(page);
    await expectNoHorizontalOverflow(page);
  });
});
