import type { Page } from "@playwright/test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { checkA11y, expect, expectStatus, registerByApi, signInByApi, signedInAs, signOut, test, unique } from "./fixtures";
import { waitForMail } from "./mailbox";
import { DEMO_ACCOUNTS } from "../../db/seed";

/**
 * A code an authenticator app would show. The server accepts the 30-second step before its own,
 * its own and the one after, and never a step at or before the last one it accepted: so each code
 * here is of a step later than the previous one (`used`), and no earlier than the current step —
 * the current step first, the next one for a second code in the same half-minute. Two codes in
 * one test stay within the window however slowly the machine runs (the test lasts under a minute).
 */
function codeAfter(secret: Uint8Array, used: { step: number }) {
  const step = Math.max(used.step + 1, Math.floor(Date.now() / 30_000));
  used.step = step;
  return generateHOTP(secret, BigInt(step), 6);
}

/** An admin makes `email` a moderator on the user administration (the demo admin needs no second factor). */
async function makeModerator(page: Page, person: { email: string; displayName: string }) {
  await signInByApi(page, DEMO_ACCOUNTS.admin);
  await page.goto(`/staff/users?q=${encodeURIComponent(person.email)}`);
  const row = page.getByRole("row", { name: new RegExp(person.displayName) });
  await row.getByRole("combobox", { name: `Peran ${person.displayName}` }).selectOption({ label: "Moderator" });
  await row.getByRole("button", { name: `Simpan peran ${person.displayName}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Peran sudah diubah" })).toBeVisible();
}

/** The password step of signing in, which now leads to the code page instead of a session. */
async function passwordStep(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Alamat e-mail").fill(email);
  await page.getByLabel("Kata sandi", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/code(\?|$)/);
  await expect(page.getByRole("heading", { level: 1, name: "Masukkan kode Anda" })).toBeVisible();
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
}

test("a moderator turns on two-step sign-in, signs out, and signs in with a code and then a recovery code", async ({ page, newContext }) => {
  const id = unique("2fa");
  const person = { displayName: `Moderator ${id}`, email: `${id}@contoh.id`, password: "lampu-jalan-gang-mawar-42" };
  // Registration is the journey of accounts.spec.ts; this one starts with the new account.
  await registerByApi(page, person);
  const admin = await (await newContext()).newPage();
  await makeModerator(admin, person);

  // The account page offers it to staff.
  await page.goto("/account");
  await expect(page.getByText("Verifikasi dua langkah tidak aktif.")).toBeVisible();
  await page.getByRole("link", { name: "Aktifkan", exact: true }).click();
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await expect(page.getByRole("heading", { level: 1, name: "Verifikasi dua langkah" })).toBeVisible();
  await checkA11y(page);

  // The key is shown as text for typing in, and as an otpauth link holding the same key.
  const link = page.getByRole("link", { name: /^otpauth:\/\/totp\// });
  const uri = new URL((await link.getAttribute("href"))!);
  const secretText = uri.searchParams.get("secret")!;
  expect(secretText).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByText(secretText.replace(/(.{4})(?=.)/g, "$1 "), { exact: true })).toBeVisible();
  const secret = decodeBase32IgnorePadding(secretText);
  const used = { step: 0 };

  // A wrong code is refused, and what was typed stays in the field.
  expectStatus(page, 400);
  await page.getByLabel("Kode", { exact: true }).fill("000000");
  await page.getByRole("button", { name: "Konfirmasi dan aktifkan" }).click();
  await expect(page.getByRole("alert")).toContainText("Kode itu salah");
  await expect(page.getByLabel("Kode", { exact: true })).toHaveValue("000000");

  // The code from the app turns it on and shows ten recovery codes, once.
  await page.getByLabel("Kode", { exact: true }).fill(codeAfter(secret, used));
  await page.getByRole("button", { name: "Konfirmasi dan aktifkan" }).click();
  await expect(page.getByRole("heading", { name: "Verifikasi dua langkah sudah aktif" })).toBeVisible();
  const codes = await page
    .getByRole("listitem")
    .filter({ hasText: /^[a-z2-7]{5}-[a-z2-7]{5}$/ })
    .allTextContents();
  expect(codes).toHaveLength(10);
  await expect(page.getByText("Verifikasi dua langkah aktif. Tersisa 10 kode pemulihan.")).toBeVisible();
  await checkA11y(page);
  const notice = await waitForMail(person.email, { subject: /Verifikasi dua langkah diaktifkan/ });
  expect(notice.text).not.toContain(secretText);

  // Reloaded, the page no longer shows the key or the codes.
  await page.goto("/account/two-factor");
  await expect(page.getByRole("link", { name: /^otpauth:/ })).toHaveCount(0);
  await expect(page.getByText(codes[0]!)).toHaveCount(0);

  await signOut(page);

  // The password alone no longer signs in: the code page asks for the app's code.
  await passwordStep(page, person.email, person.password);
  await checkA11y(page);
  await page.getByLabel("Kode", { exact: true }).fill("123 456");
  await page.getByRole("button", { name: "Verifikasi", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Kode itu salah");
  await expect(page.getByLabel("Kode", { exact: true })).toHaveValue("123 456");
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
  await page.getByLabel("Kode", { exact: true }).fill(codeAfter(secret, used));
  await page.getByRole("button", { name: "Verifikasi", exact: true }).click();
  await expect(page.getByText(`${signedInAs(person.displayName)} · Moderator`)).toBeVisible();

  // A lost phone: a recovery code signs in once.
  await signOut(page);
  await passwordStep(page, person.email, person.password);
  await page.getByLabel("Kode", { exact: true }).fill(codes[0]!);
  await page.getByRole("button", { name: "Verifikasi", exact: true }).click();
  await expect(page.getByText(`${signedInAs(person.displayName)} · Moderator`)).toBeVisible();
  await page.goto("/account");
  await expect(page.getByText("Verifikasi dua langkah aktif. Tersisa 9 kode pemulihan.")).toBeVisible();

  await signOut(page);
  await passwordStep(page, person.email, person.password);
  await page.getByLabel("Kode", { exact: true }).fill(codes[0]!);
  await page.getByRole("button", { name: "Verifikasi", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Kode itu salah");
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
});

test("the code page without a half sign-in sends the visitor to the password", async ({ page }) => {
  await page.goto("/login/code");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Masuk" })).toBeVisible();
});
