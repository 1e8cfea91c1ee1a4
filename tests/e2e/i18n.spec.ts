import { checkA11y, expect, test } from "./fixtures";

const ID_HEADING = "Suarakan pendapat Anda tentang pembangunan kota";
const EN_HEADING = "Have your say on your city's planned works";

test("the language switch turns the page into English and back, and is remembered", async ({ page }) => {
  await page.goto("/");
  const html = page.locator("html");
  await expect(html).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ID_HEADING);

  await page.getByRole("button", { name: "English" }).click();
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(EN_HEADING);
  expect(new URL(page.url()).pathname).toBe("/");
  await expect(page.getByRole("navigation", { name: "Main navigation" })).toBeVisible();
  await checkA11y(page);

  await page.reload();
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(EN_HEADING);

  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
  await expect(html).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ID_HEADING);
  expect(new URL(page.url()).pathname).toBe("/");
});

test("the switch keeps the page the visitor is on", async ({ page }) => {
  await page.goto("/projects");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/projects$/);
});

test("projects show rupiah budgets and dates the Indonesian way", async ({ page }) => {
  await page.goto("/projects");
  await expect(page.getByRole("heading", { level: 1, name: "Rencana pembangunan" })).toBeVisible();
  const cards = page.getByRole("article");
  expect(await cards.count()).toBeGreaterThan(0);
  await expect(page.getByRole("status")).toHaveText(/^\d+ rencana ditemukan$/);

  const budgets = page.getByRole("definition").filter({ hasText: /^Rp / });
  expect(await budgets.count()).toBeGreaterThan(0);
  for (const text of await budgets.allTextContents()) expect(text).toMatch(/^Rp \d{1,3}(\.\d{3})+$/);

  // e.g. "Dibuka sampai 28 November 2026 pukul 10.00 WIB"
  const MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember";
  await expect(page.getByText(new RegExp(`^Dibuka sampai \\d{1,2} (${MONTHS}) \\d{4} pukul \\d{2}\\.\\d{2} WIB$`)).first()).toBeVisible();
  await checkA11y(page);
});
