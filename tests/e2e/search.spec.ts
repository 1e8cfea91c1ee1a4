import type { Page } from "@playwright/test";
import { checkA11y, expect, test } from "./fixtures";

/** A handwritten comment of the demo city (db/seed.ts), in "Titik genangan yang belum masuk peta rencana". */
const SEEDED = {
  word: "digendong",
  comment: "Depan SDN 3 memang parah. Minggu lalu anak saya harus digendong ke kelas karena airnya sebetis.",
  thread: "Titik genangan yang belum masuk peta rencana",
  project: "Normalisasi Saluran Drainase Jalan Cibeureum",
};

async function search(page: Page, query: string) {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Navigasi utama" }).getByRole("link", { name: "Cari", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cari" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Kata yang dicari" }).fill(query);
  await page.getByRole("search").getByRole("button", { name: "Cari", exact: true }).click();
  await expect(page).toHaveURL(/\/search\?/);
}

test("a visitor searches for a word from a comment and lands on that comment in its thread", async ({ page }) => {
  await search(page, SEEDED.word);
  await expect(page.getByRole("status")).toHaveText(`1 hasil untuk “${SEEDED.word}”`);
  const results = page.getByRole("list").filter({ has: page.getByRole("heading", { level: 2 }) });
  const hit = results.getByRole("listitem");
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText(`Komentar · ${SEEDED.project}`);
  // The snippet marks the word that matched.
  await expect(hit.locator("mark")).toHaveText(SEEDED.word);
  await checkA11y(page);

  await hit.getByRole("link", { name: SEEDED.thread }).click();
  await expect(page.getByRole("heading", { level: 1, name: SEEDED.thread })).toBeVisible();
  await expect(page).toHaveURL(/\/threads\/\d+\?comment=(\d+)#comment-\1$/);
  const id = /#comment-(\d+)$/.exec(page.url())![1];
  const comment = page.locator(`#comment-${id}`);
  await expect(comment).toContainText(SEEDED.comment);
  await expect(comment).toBeInViewport();
  // The permalink's target is the comment that holds the word.
  await expect(comment.getByRole("link", { name: /^Tautan/ })).toHaveAttribute("href", new RegExp(`\\?comment=${id}#comment-${id}$`));
  await checkA11y(page);
});

test("a search without hits says so", async ({ page }) => {
  await search(page, "qzxwvkjhtr");
  await expect(page.getByRole("status")).toHaveText("0 hasil untuk “qzxwvkjhtr”");
  await expect(page.getByRole("heading", { level: 2 })).toHaveCount(0);
  await expect(page.getByRole("searchbox", { name: "Kata yang dicari" })).toHaveValue("qzxwvkjhtr");
  await checkA11y(page);
});

test("full-text query syntax is read as plain words", async ({ page }) => {
  for (const query of ['"AND (', 'NEAR(banjir "', "banjir* OR -", "^:*"]) {
    const response = await page.goto(`/search?q=${encodeURIComponent(query)}`);
    expect(response?.status(), query).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Cari" })).toBeVisible();
    await expect(page.getByRole("status")).toHaveText(new RegExp(`^[\\d.]+ hasil untuk “${query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}”$`));
    await expect(page.getByRole("searchbox", { name: "Kata yang dicari" })).toHaveValue(query);
  }
  // The words inside still find what they name.
  await page.goto(`/search?q=${encodeURIComponent('"digendong AND (')}`);
  await expect(page.getByRole("link", { name: SEEDED.thread })).toBeVisible();
  await checkA11y(page);
});
