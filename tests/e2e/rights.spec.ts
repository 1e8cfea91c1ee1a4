import { readFileSync } from "node:fs";
import type { Page, TestInfo } from "@playwright/test";
import { checkA11y, expect, expectStatus, registerByApi, signIn, signInByApi, signedInAs, test, unique } from "./fixtures";
import { linkTo, receivedMail, verifyByMail, waitForMail } from "./mailbox";
import { e2eLogFile, e2ePort } from "./paths";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed";

/**
 * Residents' rights by e-mail that a real SMTP server received: confirming the address before
 * voting, resetting a forgotten password, notification e-mail and one-click unsubscribe,
 * downloading and deleting one's data — and a server log that holds none of it. Each journey
 * starts with its new account registered and signed in through the endpoints the forms post to
 * (the forms are the journeys of accounts.spec.ts).
 */

const PASSWORD = "kopi-tubruk-pagi-hari-9";

/** Open consultations on which no other journey counts ballots, one per Playwright project. */
const PROJECTS = {
  js: { slug: "normalisasi-saluran-drainase-jalan-cibeureum", title: "Normalisasi Saluran Drainase Jalan Cibeureum" },
  nojs: { slug: "taman-tematik-dan-ruang-terbuka-hijau-babakan-asih", title: "Taman Tematik dan Ruang Terbuka Hijau Babakan Asih" },
} as const;
const projectOf = (testInfo: TestInfo) => PROJECTS[testInfo.project.name as keyof typeof PROJECTS];

function newResident(label: string) {
  const id = unique(label);
  return { displayName: `Warga ${id}`, email: `${id}@contoh.id`, password: PASSWORD };
}

const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });

test("a new resident confirms their address through the e-mail, then votes", { tag: "@postgresql" }, async ({ page }, testInfo) => {
  const project = projectOf(testInfo);
  const resident = newResident("pilih");
  await registerByApi(page, resident);

  // The vote box says why there is nothing to choose yet, and offers a fresh link.
  await page.goto(`/projects/${project.slug}`);
  const voteBox = page.locator("#vote");
  await expect(voteBox.getByText(/^Konfirmasikan alamat e-mail Anda dulu: suara dan dukungan usulan/)).toBeVisible();
  await expect(voteBox.getByRole("radio")).toHaveCount(0);
  await checkA11y(page);

  const first = await waitForMail(resident.email, { subject: /^Konfirmasi alamat e-mail Anda untuk Rembug$/ });
  expect(first.text).toContain(`Halo ${resident.displayName},`);
  expect(first.html).toContain("Konfirmasi alamat e-mail saya");
  await voteBox.getByRole("button", { name: "Kirim ulang tautan konfirmasi" }).click();
  await expect(status(page, "Tautan konfirmasi baru")).toHaveText(`Tautan konfirmasi baru sedang dikirim ke ${resident.email}.`);
  await checkA11y(page);
  await page.getByRole("link", { name: "Kembali ke halaman sebelumnya" }).click();
  await expect(page.getByRole("heading", { level: 1, name: project.title })).toBeVisible();

  // The newer of the two links confirms the address.
  await waitForMail(resident.email, { subject: /^Konfirmasi/, count: 2 });
  await verifyByMail(page, resident.email);
  await checkA11y(page);

  await page.goto(`/projects/${project.slug}`);
  await page.locator("#vote").getByRole("radio", { name: "Mendukung" }).check();
  await page.getByRole("button", { name: "Kirim suara" }).click();
  await expect(status(page, "Suara Anda tercatat")).toHaveText("Suara Anda tercatat: Mendukung.");

  // The first link was spent when the second was used: a clear page says so.
  const spent = linkTo(first, "/verify-email/");
  expectStatus(page, 410);
  const response = await page.goto(spent);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1, name: "Tautan ini sudah dipakai" })).toBeVisible();
  await checkA11y(page);
});

test("a forgotten password: the same answer for any address, a link by e-mail, every old session ended", async ({ page, newContext }) => {
  const resident = newResident("lupa");
  await registerByApi(page, resident);
  await verifyByMail(page, resident.email);
  const newPassword = "jembatan-bambu-sungai-77";

  const other = await (await newContext()).newPage();
  await other.goto("/login");
  await other.getByRole("link", { name: "Lupa kata sandi?" }).click();
  await expect(other.getByRole("heading", { level: 1, name: "Lupa kata sandi?" })).toBeVisible();
  await checkA11y(other);
  const unknown = `tidak-terdaftar-${unique("x")}@contoh.id`;
  await other.getByLabel("Alamat e-mail").fill(unknown);
  await other.getByRole("button", { name: "Kirim tautan" }).click();
  await expect(status(other, "Jika ada akun")).toHaveText(`Jika ada akun yang memakai ${unknown}, kami sudah mengirim tautan ke alamat itu.`);

  await other.goto("/forgot-password");
  await other.getByLabel("Alamat e-mail").fill(resident.email);
  await other.getByRole("button", { name: "Kirim tautan" }).click();
  await expect(status(other, "Jika ada akun")).toHaveText(`Jika ada akun yang memakai ${resident.email}, kami sudah mengirim tautan ke alamat itu.`);
  await checkA11y(other);

  const mail = await waitForMail(resident.email, { subject: /^Buat kata sandi baru untuk Rembug$/ });
  expect(mail.text).toContain("Tautan berlaku 60 menit dan hanya sekali pakai.");
  expect(receivedMail().some((m) => m.to.includes(unknown))).toBe(false);
  const link = linkTo(mail, "/reset-password/");
  await other.goto(link);
  await expect(other.getByRole("heading", { level: 1, name: "Buat kata sandi baru" })).toBeVisible();
  await checkA11y(other);
  await other.getByLabel("Kata sandi baru").fill(newPassword);
  await other.getByRole("button", { name: "Simpan kata sandi baru" }).click();
  await expect(other).toHaveURL(/\/login\?reset=1$/);
  await expect(status(other, "Kata sandi Anda sudah diganti")).toBeVisible();

  // The device that was signed in before is signed out.
  await page.reload();
  await expect(page.getByRole("link", { name: "Masuk", exact: true })).toBeVisible();
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);

  await signIn(other, resident.email, newPassword);
  await expect(other.getByText(signedInAs(resident.displayName))).toBeVisible();

  // The link worked once.
  expectStatus(page, 410);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Tautan ini sudah dipakai" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Minta tautan atur ulang baru" })).toBeVisible();
});

/** A moment as the planners' form takes it: "2026-11-28T10:00" in the city's time zone. */
function cityInput(instant: Date) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Jakarta",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

test("notification e-mail at once, and a one-click unsubscribe that a GET never triggers", async ({ page, newContext }) => {
  const resident = newResident("kabar");
  await registerByApi(page, resident);
  await verifyByMail(page, resident.email);

  await page.goto("/account");
  await page.getByRole("link", { name: "E-mail pemberitahuan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "E-mail pemberitahuan" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Tidak pernah" })).toBeChecked();
  await page.getByRole("radio", { name: "Segera, satu e-mail per pemberitahuan" }).check();
  await page.getByRole("button", { name: "Simpan", exact: true }).click();
  await expect(status(page, "Tersimpan")).toHaveText("Tersimpan: Segera, satu e-mail per pemberitahuan.");
  await checkA11y(page);

  // A planner opens a consultation of its own for this journey (so no other journey's residents
  // are notified), the resident follows it, and the planner posts news on it.
  const planner = await (await newContext()).newPage();
  await signInByApi(planner, DEMO_ACCOUNTS.planner);
  await planner.goto("/staff/projects/new");
  const areaId = await planner.getByLabel("Wilayah").locator("option:not([value=''])").first().getAttribute("value");
  const slug = unique("kabar-warga").toLowerCase();
  const title = `Perbaikan gorong-gorong ${slug}`;
  const created = await planner.request.post("/staff/projects/new", {
    form: {
      title,
      slug,
      summary: "Gorong-gorong diganti.",
      body: "Gorong-gorong lama diganti yang lebih besar.",
      category: "drainage",
      areaId: areaId!,
      budget: "250000000",
      lat: "",
      lng: "",
      opensAt: "",
      closesAt: "",
    },
  });
  expect(created.status()).toBe(200);
  const opened = await planner.request.post(`/staff/projects/${slug}`, {
    form: { intent: "phase", to: "consultation", closesAt: cityInput(new Date(Date.now() + 60 * 86_400_000)) },
  });
  expect(opened.status()).toBe(200);

  await page.goto(`/projects/${slug}`);
  await page.getByRole("button", { name: "Ikuti rencana ini" }).click();
  await expect(status(page, "Anda sekarang mengikuti")).toBeVisible();

  const posted = await planner.request.post(`/staff/projects/${slug}`, { form: { intent: "update", body: "Survei lapangan dimulai minggu depan." } });
  expect(posted.status()).toBe(200);

  const mail = await waitForMail(resident.email, { subject: /^Ada kabar terbaru tentang “/ });
  expect(mail.subject).toBe(`Ada kabar terbaru tentang “${title}”.`);
  expect(mail.text).toContain(`/projects/${slug}#update-`);
  expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const unsubscribe = mail.headers["list-unsubscribe"]!.replace(/^<|>$/g, "");
  expect(linkTo(mail, "/unsubscribe/")).toBe(unsubscribe);

  // Opening the link (as a mail scanner does) only shows the button.
  await page.goto(unsubscribe);
  await expect(page.getByRole("heading", { level: 1, name: "Berhenti menerima e-mail pemberitahuan" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Berhenti menerima e-mail pemberitahuan" })).toBeVisible();
  await checkA11y(page);
  await page.goto("/account/email");
  await expect(page.getByRole("radio", { name: "Segera, satu e-mail per pemberitahuan" })).toBeChecked();

  // The mail client's one-click POST carries no Origin and no cookie: the signed token is enough.
  const oneClick = await fetch(unsubscribe, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(oneClick.status).toBe(200);
  await page.reload();
  await expect(page.getByRole("radio", { name: "Tidak pernah" })).toBeChecked();

  // Any other POST without our Origin is still refused.
  const foreign = await fetch(new URL("/account/email", unsubscribe), {
    method: "POST",
    body: "mode=immediate",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(foreign.status).toBe(403);

  // A forged link gets a clear page.
  expectStatus(page, 400);
  const forged = unsubscribe.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
  expect((await page.goto(forged))?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1, name: "Tautan ini tidak valid" })).toBeVisible();
});

test("downloads everything the platform holds about them as JSON", async ({ page }) => {
  const resident = newResident("unduh");
  await registerByApi(page, resident);
  await page.goto("/account");
  await page.getByRole("link", { name: "Unduh data saya" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Unduh data saya" })).toBeVisible();
  await checkA11y(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Unduh data saya (JSON)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^rembug-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
    profile: { email: string; displayName: string };
    sessions: { thisDevice: boolean }[];
    emails: { kind: string }[];
  };
  expect(data.profile).toMatchObject({ email: resident.email, displayName: resident.displayName });
  expect(data.sessions.some((s) => s.thisDevice)).toBe(true);
  expect(data.emails.map((e) => e.kind)).toContain("verify_email");
  expect(JSON.stringify(data)).not.toContain(DEMO_ACCOUNTS.resident);
});

test("deletes the account: a wrong password is refused, the right one erases it and signs out", async ({ page }) => {
  const resident = newResident("hapus");
  await registerByApi(page, resident);
  await page.goto("/account");
  await page.getByRole("link", { name: "Hapus akun saya" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hapus akun saya" })).toBeVisible();
  await checkA11y(page);

  expectStatus(page, 400);
  await page.getByLabel("Kata sandi").fill("bukan-kata-sandi-saya-1");
  await page.getByRole("button", { name: "Hapus akun saya selamanya" }).click();
  await expect(page.getByRole("alert")).toContainText("Kata sandi salah. Akun Anda tidak dihapus.");
  await expect(page.getByLabel("Kata sandi")).toHaveValue("");
  await expect(page.getByText(signedInAs(resident.displayName))).toBeVisible();
  await checkA11y(page);

  await page.getByLabel("Kata sandi").fill(resident.password);
  await page.getByRole("button", { name: "Hapus akun saya selamanya" }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole("heading", { level: 1, name: "Akun dihapus" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Masuk", exact: true })).toBeVisible();
  await expect(page.getByText(/^Masuk sebagai /)).toHaveCount(0);
  await checkA11y(page);

  // The account no longer opens.
  await page.goto("/login");
  await page.getByLabel("Alamat e-mail").fill(resident.email);
  await page.getByLabel("Kata sandi", { exact: true }).fill(resident.password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("E-mail atau kata sandi salah.");
});

test("the privacy page names the controller and links to download and deletion", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "Privasi" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privasi" })).toBeVisible();
  await expect(page.getByText("UU No. 27 Tahun 2022")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Siapa yang bertanggung jawab" })).toBeVisible();
  await expect(page.getByText("Pengendali data pribadi adalah Pemerintah Kota Sukamaju (demo)", { exact: false })).toBeVisible();
  await expect(page.getByRole("link", { name: "Unduh data saya" })).toHaveAttribute("href", "/account/data");
  await expect(page.getByRole("link", { name: "Hapus akun saya" })).toHaveAttribute("href", "/account/delete");
  await checkA11y(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy" })).toBeVisible();
  await expect(page.getByText("UU No. 27 of 2022")).toBeVisible();
});

test("the web app manifest is served for the home screen", async ({ request }) => {
  const response = await request.get("/manifest.webmanifest");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  const manifest = (await response.json()) as { icons: { src: string }[] };
  for (const icon of manifest.icons) expect((await request.get(icon.src)).status(), icon.src).toBe(200);
});

test("the server log holds no e-mail address, password, token or form content", async () => {
  const log = readFileSync(e2eLogFile(e2ePort()), "utf8");
  const requestLines = log.split("\n").filter((l) => /^(GET|POST|HEAD) \//.test(l));
  expect(requestLines.length).toBeGreaterThan(20);
  expect(log).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
  for (const secret of [PASSWORD, DEMO_PASSWORD, "jembatan-bambu-sungai-77", "List-Unsubscribe=One-Click"]) expect(log).not.toContain(secret);
  // No token from any link the SMTP server received, whoever it was for.
  const tokens = receivedMail().flatMap((m) => [...m.text.matchAll(/\/(?:verify-email|reset-password|unsubscribe)\/([\w-]+)/g)].map((x) => x[1]!));
  expect(tokens.length).toBeGreaterThan(3);
  for (const token of tokens) expect(log).not.toContain(token);
  expect(log).toContain("/verify-email/[token]");
});
