import { expect, signInByApi, test } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";

/**
 * Only in the PostgreSQL smoke run (playwright.pg.config.ts; the SQLite run ignores this file):
 * the address in front of the two app servers hands requests to both, and a session begun on one
 * is honoured by the other.
 */
test("both app servers answer, and a session begun on one is signed in on the other", { tag: "@postgresql" }, async ({ page }) => {
  await signInByApi(page, DEMO_ACCOUNTS.resident, { fresh: true });
  const answeredBy = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const response = await page.goto("/account");
    expect(response?.status()).toBe(200);
    await expect(page.getByText(/^Masuk sebagai /)).toBeVisible();
    answeredBy.add(response!.headers()["x-rembug-upstream"] ?? "?");
  }
  expect([...answeredBy].sort()).toEqual(["1", "2"]);
});
