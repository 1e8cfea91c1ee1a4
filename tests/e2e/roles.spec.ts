import { checkA11y, expect, expectStatus, registerByApi, signIn, signInByApi, signedInAs, test, unique } from "./fixtures";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed";

test("a resident is refused the user administration with the 403 page", async ({ page }) => {
  await signInByApi(page, DEMO_ACCOUNTS.resident);
  expectStatus(page, 403);
  const response = await page.goto("/staff/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Akses ditolak" })).toBeVisible();
  await expect(page.getByText("Anda tidak memiliki izin untuk membuka halaman ini atau melakukan tindakan ini.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  // The navigation offers no link to it either.
  await expect(page.getByRole("link", { name: "Pengguna", exact: true })).toHaveCount(0);
  await checkA11y(page);
});

test("an admin changes a resident's role to moderator", async ({ page, newContext }) => {
  // Someone registers on their own device.
  const id = unique("peran");
  const person = { displayName: `Calon Moderator ${id}`, email: `${id}@contoh.id`, password: "rapat-warga-kamis-08" };
  const theirPage = await (await newContext()).newPage();
  await registerByApi(theirPage, person);
  await theirPage.goto("/");
  await expect(theirPage.getByText(signedInAs(person.displayName), { exact: true })).toBeVisible();

  // An anonymous visitor is sent to sign in first, and comes back afterwards.
  await page.goto("/staff/users");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fstaff%2Fusers$/);
  await signIn(page, DEMO_ACCOUNTS.admin, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/staff\/users$/);
  await expect(page.getByRole("heading", { level: 1, name: "Kelola pengguna" })).toBeVisible();
  await checkA11y(page);

  await page.getByLabel("Cari nama atau e-mail").fill(person.email);
  await page.getByRole("button", { name: "Cari", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  const row = page.getByRole("row", { name: new RegExp(person.displayName) });
  await expect(row).toHaveCount(1);
  await expect(page.getByText("1 pengguna", { exact: true })).toBeVisible();
  const roleSelect = row.getByRole("combobox", { name: `Peran ${person.displayName}` });
  await expect(roleSelect).toHaveValue("resident");

  await roleSelect.selectOption({ label: "Moderator" });
  const save = row.getByRole("button", { name: `Simpan peran ${person.displayName}` });
  await expect(save).toHaveText("Simpan");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Peran sudah diubah" })).toHaveText("Peran sudah diubah dan dicatat di log moderasi.");

  // A fresh load from the server shows the new role.
  await page.goto(`/staff/users?q=${encodeURIComponent(person.email)}`);
  const reloaded = page.getByRole("row", { name: new RegExp(person.displayName) }).getByRole("combobox");
  await expect(reloaded).toHaveValue("moderator");
  await expect(reloaded.locator("option:checked")).toHaveText("Moderator");

  // And the person sees it on their next page.
  await theirPage.reload();
  await expect(theirPage.getByText(`${signedInAs(person.displayName)} · Moderator`)).toBeVisible();
});

test("a resident's own request to change roles is refused by the rule", async ({ request, baseURL }) => {
  const signedIn = await request.post("/login", {
    form: { email: DEMO_ACCOUNTS.resident, password: DEMO_PASSWORD, redirectTo: "/" },
  });
  expect(signedIn.ok()).toBe(true);
  const cookies = (await request.storageState()).cookies.map((c) => c.name);
  expect(cookies).toContain("rembug_session");

  const home = await (await request.get("/")).text();
  expect(home).toContain("Masuk sebagai");

  // The request carries our own Origin (see playwright.config.ts), so the CSRF check lets it through.
  const refused = await request.post("/staff/users", {
    form: { userId: "1", role: "admin" },
    headers: { Origin: baseURL! },
  });
  expect(refused.status()).toBe(403);
  const body = await refused.text();
  expect(body).toContain("Akses ditolak");
  // The answer is the app's own error page for a signed-in resident, not the server's plain refusal.
  expect(body).toContain("Masuk sebagai");
});
