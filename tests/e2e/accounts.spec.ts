import { CHECK_INBOX_HEADING, checkA11y, expect, expectStatus, register, signIn, signedInAs, signOut, submitRegistration, test, unique } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";
import { verifyByMail, waitForMail } from "./mailbox";

const PASSWORD = "payung-hijau-sore-17";

function newResident(label: string) {
  const id = unique(label);
  return { displayName: `Warga ${id}`, email: `${id}@contoh.id`, password: PASSWORD };
}

test("a new resident registers, signs out and signs in again", async ({ page }) => {
  const resident = newResident("daftar");
  await page.goto("/");
  await page.getByRole("link", { name: "Daftar", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Daftar akun" })).toBeVisible();
  await checkA11y(page);
  await register(page, resident);
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("link", { name: "Akun saya" })).toBeVisible();
  // The new resident confirms their address through the mail the SMTP server received.
  await verifyByMail(page, resident.email);

  await signOut(page);
  await expect(page.getByRole("link", { name: "Daftar", exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Masuk", exact: true }).click();
  await signIn(page, resident.email, resident.password);
  await expect(page.getByText(signedInAs(resident.displayName))).toBeVisible();
  await page.getByRole("link", { name: "Akun saya" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Akun saya" })).toBeVisible();
  await expect(page.getByText(resident.email)).toBeVisible();
  await expect(page.getByText("terkonfirmasi", { exact: true })).toBeVisible();
  await checkA11y(page);
});

test("a wrong password is refused with a message and the e-mail kept", async ({ page, javaScriptEnabled }) => {
  const resident = newResident("salah");
  await register(page, resident);
  await signOut(page);

  await page.goto("/login");
  expectStatus(page, 400);
  await page.getByLabel("Alamat e-mail").fill(resident.email);
  await page.getByLabel("Kata sandi", { exact: true }).fill("bukan-kata-sandinya-99");
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login"));
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  const response = await answer;
  if (javaScriptEnabled) {
    // With JavaScript, Remix sends the form itself (single fetch) instead of loading a new document.
    expect(new URL(response.url()).pathname).toBe("/login.data");
  } else {
    expect(response.status()).toBe(400);
  }

  await expect(page.getByRole("alert")).toContainText("E-mail atau kata sandi salah.");
  await expect(page.getByLabel("Alamat e-mail")).toHaveValue(resident.email);
  await expect(page.getByLabel("Kata sandi", { exact: true })).toHaveValue("");
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
  await checkA11y(page);

  // The right password still works afterwards.
  await signIn(page, resident.email, resident.password);
  await expect(page.getByText(signedInAs(resident.displayName))).toBeVisible();
});

test.describe("registration errors keep what was typed", () => {
  test("an empty form marks every required field", async ({ page }) => {
    await page.goto("/register");
    expectStatus(page, 400);
    await submitRegistration(page, {});
    await expect(page.getByRole("alert")).toContainText("Ada yang perlu diperbaiki");
    for (const label of ["Nama tampilan", "Alamat e-mail", "Kata sandi"]) {
      const field = page.getByLabel(label, { exact: true });
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveAccessibleDescription(/Wajib diisi\./);
    }
    await expect(page.getByText("Wajib diisi.", { exact: true })).toHaveCount(3);
    await checkA11y(page);
  });

  test("a malformed e-mail address is explained", async ({ page }) => {
    const resident = newResident("format");
    await page.goto("/register");
    expectStatus(page, 400);
    await submitRegistration(page, { ...resident, email: "warga-at-contoh.id" });
    const email = page.getByLabel("Alamat e-mail");
    await expect(email).toHaveAccessibleDescription(/Alamat e-mail tidak valid\. Contoh: nama@contoh\.id/);
    await expect(email).toHaveValue("warga-at-contoh.id");
    await expect(page.getByLabel("Nama tampilan")).toHaveValue(resident.displayName);
    await expect(page.getByLabel("Kata sandi")).toHaveValue("");
    await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
  });

  test("an address already registered is answered like a new one, and its owner is told by mail", async ({ page }) => {
    // Sign-up used to answer 409 "already registered", telling anyone which addresses have accounts.
    const resident = newResident("ganda");
    await page.goto("/register");
    await submitRegistration(page, { ...resident, email: DEMO_ACCOUNTS.resident });
    await expect(page.getByRole("heading", { level: 1, name: CHECK_INBOX_HEADING })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(`Kami telah mengirim pesan ke ${DEMO_ACCOUNTS.resident}.`);
    await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
    await checkA11y(page);
    const mail = await waitForMail(DEMO_ACCOUNTS.resident, { subject: /Seseorang mencoba mendaftar dengan alamat Anda/ });
    expect(mail.text).toContain("/forgot-password");
    expect(mail.text).not.toContain(resident.displayName);

    // A new address gets the very same page.
    await page.goto("/register");
    await submitRegistration(page, resident);
    await expect(page.getByRole("heading", { level: 1, name: CHECK_INBOX_HEADING })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(`Kami telah mengirim pesan ke ${resident.email.toLowerCase()}.`);
    await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
  });
});

test("changing the password ends the account's other sessions", async ({ page, newContext }) => {
  const resident = newResident("sandi");
  const newPassword = "lampu-jalan-biru-42";
  await register(page, resident);
  await verifyByMail(page, resident.email);

  // The same account on another device.
  const other = await (await newContext()).newPage();
  await signIn(other, resident.email, resident.password);
  await expect(other.getByText(signedInAs(resident.displayName))).toBeVisible();

  await page.goto("/account");
  await page.getByLabel("Kata sandi saat ini").fill(resident.password);
  await page.getByLabel("Kata sandi baru").fill(newPassword);
  await page.getByRole("button", { name: "Simpan kata sandi baru" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Kata sandi sudah diganti." })).toContainText("Semua sesi lain telah dikeluarkan.");
  await checkA11y(page);

  // This device stays signed in; the other one is signed out.
  await page.goto("/");
  await expect(page.getByText(signedInAs(resident.displayName))).toBeVisible();
  await other.reload();
  await expect(other.getByRole("link", { name: "Masuk", exact: true })).toBeVisible();
  await expect(other.getByText(/^Masuk sebagai /)).toHaveCount(0);

  // Only the new password opens the account now.
  await other.goto("/login");
  expectStatus(other, 400);
  await other.getByLabel("Alamat e-mail").fill(resident.email);
  await other.getByLabel("Kata sandi", { exact: true }).fill(resident.password);
  await other.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(other.getByRole("alert")).toContainText("E-mail atau kata sandi salah.");
  await signIn(other, resident.email, newPassword);
  await expect(other.getByText(signedInAs(resident.displayName))).toBeVisible();
});
