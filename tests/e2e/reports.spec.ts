import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { checkA11y, expect, expectStatus, signInByApi, test } from "./fixtures";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed";

const SLUG = "normalisasi-saluran-drainase-jalan-cibeureum";
const TITLE = "Normalisasi Saluran Drainase Jalan Cibeureum";
const REPORT = `/staff/projects/${SLUG}/report`;
const BOM = "\uFEFF";
const PSEUDONYM = /Warga-[0-9A-F]{8}/;
/** Any e-mail address, or a seeded resident's name, would be personal data in a download. */
const PERSONAL = /@[a-z0-9.-]+\.[a-z]{2,}|Asep Saepudin|Siti Warga/i;

async function openReport(page: Page) {
  await signInByApi(page, DEMO_ACCOUNTS.planner);
  await page.goto(`/staff/projects/${SLUG}`);
  await page.getByRole("link", { name: "Laporan dan unduhan masukan" }).click();
  await expect(page).toHaveURL(new RegExp(`${REPORT}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Laporan masukan: ${TITLE}` })).toBeVisible();
}

/** Clicks a download link and returns the file's name and bytes. */
async function download(page: Page, name: string) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name, exact: true }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

test("a planner reads a consultation's report, filters it by kecamatan and downloads every file", { tag: "@postgresql" }, async ({ page }) => {
  await openReport(page);
  await expect(page.getByRole("heading", { level: 2, name: "Angka utama" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Komentar menurut sikap, jumlah dan bagian" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Peserta per kecamatan" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Tema masukan" })).toBeVisible();
  // Themes were computed on this first visit, from the residents' own words.
  await expect(page.getByText(/^Dihitung .* dari \d+ masukan\.$/)).toBeVisible();
  await expect(page.locator(".report-theme h3").first()).toBeVisible();
  const labels = (await page.locator(".report-theme h3").allTextContents()).join(" ").toLowerCase();
  expect(labels).toMatch(/genangan|banjir|saluran/);
  expect(labels).not.toMatch(/\b(yang|dan|the)\b/);
  // The marks of withheld counts are explained on the page.
  await expect(page.getByText("Tanda dalam angka")).toBeVisible();
  await checkA11y(page);

  // The lists of contributions, for the whole city: no column says where an author lives.
  const comments = await download(page, "Komentar (CSV)");
  expect(comments.name).toBe(`${SLUG}-comments.csv`);
  const commentsText = comments.bytes.toString("utf8");
  expect(commentsText.startsWith(BOM)).toBe(true);
  expect(commentsText.slice(1).split("\r\n")[0]).toBe("id,thread_id,thread_title,parent_id,created_at,author,stance,official,text,link");
  expect(commentsText).toMatch(PSEUDONYM);
  expect(commentsText).not.toMatch(PERSONAL);

  const proposals = await download(page, "Usulan (CSV)");
  const proposalsText = proposals.bytes.toString("utf8");
  expect(proposalsText.startsWith(BOM)).toBe(true);
  expect(proposalsText.slice(1).split("\r\n")[0]).toBe("id,title,author,supports,status,official_answer,answered_at,created_at,link");
  expect(proposalsText).not.toMatch(PERSONAL);

  await page.getByLabel("Kecamatan", { exact: true }).selectOption({ label: "Sukamaju Utara" });
  await page.getByRole("button", { name: "Terapkan" }).click();
  await expect(page).toHaveURL(/kecamatan=32\.99\.01/);
  await expect(page.getByText(/wilayah: Sukamaju Utara\./)).toBeVisible();
  await expect(page.getByRole("table", { name: "Peserta per kecamatan" }).getByRole("row")).toHaveCount(2);
  // A kecamatan's lists are not offered: each row would say that its named author lives there.
  await expect(page.getByRole("link", { name: "Komentar (CSV)", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Usulan (CSV)", exact: true })).toHaveCount(0);

  const tallies = await download(page, "Suara per kecamatan (CSV)");
  const talliesText = tallies.bytes.toString("utf8");
  expect(talliesText.startsWith(BOM)).toBe(true);
  expect(talliesText.slice(1).split("\r\n")[0]).toBe("kecamatan_code,kecamatan,support,oppose,abstain,total");
  expect(talliesText).toContain("32.99.01,Sukamaju Utara,");
  expect(talliesText).not.toMatch(PSEUDONYM);

  const summary = await download(page, "Ringkasan lengkap (JSON)");
  const json = JSON.parse(summary.bytes.toString("utf8")) as { format: string; filters: { kecamatan: { name: string } }; headline: Record<string, unknown> };
  expect(json.format).toBe("rembug.report.summary");
  expect(json.filters.kecamatan.name).toBe("Sukamaju Utara");
  expect(json.headline).toHaveProperty("participants");
  expect(summary.bytes.toString("utf8")).not.toMatch(PERSONAL);

  const workbook = await download(page, "Buku kerja Excel (XLSX)");
  expect(workbook.name).toBe(`${SLUG}-report.xlsx`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(workbook.bytes as unknown as ArrayBuffer);
  expect(book.worksheets.map((w) => w.name)).toEqual([
    "Ringkasan",
    "Kecamatan",
    "Kelurahan",
    "Suara per kecamatan",
    "Aktivitas per hari",
    "Sikap",
    "Usulan teratas",
    "Tema",
    "Moderasi",
    "Komentar",
  ]);
  // A kecamatan's workbook lists no comment, and says why.
  const sheetComments = book.getWorksheet("Komentar")!;
  expect(sheetComments.rowCount).toBe(2);
  expect(String(sheetComments.getRow(2).getCell(1).value)).toMatch(/tidak didaftar per kecamatan/);
});

test("a planner recomputes the themes and the page says when", async ({ page }) => {
  await openReport(page);
  await page.getByRole("button", { name: "Hitung ulang tema" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tema sudah dihitung ulang." })).toBeVisible();
  await expect(page.getByText(/^Dihitung .* dari \d+ masukan\.$/)).toBeVisible();
});

test("a reversed date range is refused with a message and the filters as typed", async ({ page }) => {
  await openReport(page);
  expectStatus(page, 400);
  const response = await page.goto(`${REPORT}?from=2026-03-10&to=2026-03-01`);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Tanggal akhir harus sama dengan atau setelah tanggal awal.");
  await expect(page.getByLabel("Dari tanggal")).toHaveValue("2026-03-10");
  await expect(page.getByRole("heading", { level: 2, name: "Angka utama" })).toHaveCount(0);
});

test("the report prints on A4 without navigation, filters or buttons", async ({ page }) => {
  await openReport(page);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "Terapkan" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Hitung ulang tema" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 2, name: "Angka utama" })).toBeVisible();
  const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(10_000);
});

test("a resident is refused the report and its downloads with 403", async ({ page, request, baseURL }) => {
  await signInByApi(page, DEMO_ACCOUNTS.resident);
  expectStatus(page, 403);
  const response = await page.goto(REPORT);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Akses ditolak" })).toBeVisible();
  await checkA11y(page);

  await request.post("/login", { form: { email: DEMO_ACCOUNTS.resident, password: DEMO_PASSWORD, redirectTo: "/" }, headers: { Origin: baseURL! } });
  for (const path of [`${REPORT}/comments.csv`, `${REPORT}/report.xlsx`, "/staff/reports/comments.csv", "/staff/reports"]) {
    expect((await request.get(path)).status(), path).toBe(403);
  }
});

test("a moderator is refused the city-wide overview", async ({ page }) => {
  await signInByApi(page, DEMO_ACCOUNTS.moderator);
  expectStatus(page, 403);
  const response = await page.goto("/staff/reports");
  expect(response?.status()).toBe(403);
});

test("a planner opens the city-wide overview and downloads every project's figures", async ({ page }) => {
  await signInByApi(page, DEMO_ACCOUNTS.planner);
  await page.goto("/staff/projects");
  await page.getByRole("link", { name: "Laporan seluruh kota" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Laporan seluruh kota" })).toBeVisible();
  await expect(page.getByRole("link", { name: TITLE })).toBeVisible();
  await checkA11y(page);
  const projects = await download(page, "Angka semua rencana (CSV)");
  const text = projects.bytes.toString("utf8");
  expect(text.startsWith(BOM)).toBe(true);
  expect(text).toContain(`${SLUG},${TITLE},consultation,`);
  const comments = await download(page, "Komentar semua rencana (CSV)");
  const commentsText = comments.bytes.toString("utf8");
  expect(commentsText.slice(1).split("\r\n")[0]).toBe("project,id,thread_id,thread_title,parent_id,created_at,author,stance,official,text,link");
  expect(commentsText).toMatch(PSEUDONYM);
  expect(commentsText).not.toMatch(PERSONAL);
});
