import type { Page, TestInfo } from "@playwright/test";
import { checkA11y, expect, expectStatus, residentEmail, signInByApi, test, unique } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";

const CITY_TIME_ZONE = "Asia/Jakarta";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A seeded, established resident per project, so the two projects' runs never share an inbox. */
const RESIDENT = { js: "Ujang Supriatna", nojs: "Agus Setiawan" } as const;

function residentOf(testInfo: TestInfo) {
  const name = RESIDENT[testInfo.project.name as keyof typeof RESIDENT];
  if (!name) throw new Error(`no resident for project ${testInfo.project.name}`);
  return { name, email: residentEmail(name) };
}

/** A whole minute, as the value of an <input type="datetime-local"> in the city's time zone. */
function cityInput(instant: Date) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: CITY_TIME_ZONE,
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

/** How the site writes a moment: "28 November 2026 pukul 10.00 WIB". */
const cityDateTime = (instant: Date) =>
  new Intl.DateTimeFormat("id-ID", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: CITY_TIME_ZONE,
    timeZoneName: "short",
  }).format(instant);
const cityDate = (instant: Date) => new Intl.DateTimeFormat("id-ID", { dateStyle: "long", timeZone: CITY_TIME_ZONE }).format(instant);

const wholeMinute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
const status = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

interface NewProject {
  title: string;
  slug?: string;
  summary: string;
  body: string;
  category: string;
  area: string;
  budget: string;
  lat?: string;
  lng?: string;
  opensAt?: string;
  closesAt?: string;
}

/** Fills the planner's project form (on /staff/projects/new). */
async function fillProjectForm(page: Page, p: NewProject) {
  await page.getByLabel("Judul", { exact: true }).fill(p.title);
  if (p.slug !== undefined) await page.getByLabel("Slug (bagian alamat halaman)").fill(p.slug);
  await page.getByLabel("Ringkasan", { exact: true }).fill(p.summary);
  await page.getByLabel("Uraian lengkap").fill(p.body);
  await page.getByLabel("Kategori").selectOption({ label: p.category });
  await page.getByLabel("Wilayah").selectOption({ label: p.area });
  await page.getByLabel("Anggaran (rupiah)").fill(p.budget);
  if (p.lat !== undefined) await page.getByLabel("Lintang").fill(p.lat);
  if (p.lng !== undefined) await page.getByLabel("Bujur").fill(p.lng);
  if (p.opensAt !== undefined) await page.getByLabel("Konsultasi dibuka").fill(p.opensAt);
  if (p.closesAt !== undefined) await page.getByLabel("Konsultasi ditutup").fill(p.closesAt);
}

async function saveDraft(page: Page, title: string) {
  await page.getByRole("button", { name: "Simpan sebagai draf" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(status(page, "Rencana dibuat sebagai draf.")).toBeVisible();
  await expect(page.getByText(/^Tahap sekarang:/)).toHaveText("Tahap sekarang: Draf");
  return new URL(page.url()).pathname.replace(/^\/staff\/projects\//, "");
}

/** On the planner's project page: one of the "Pindah ke tahap: …" forms. */
const phaseForm = (page: Page, phase: string) => page.getByRole("region", { name: `Pindah ke tahap: ${phase}` });

test("a planner creates a project with every field and a preview, and it stays a draft nobody else can see", async ({ page, newContext }) => {
  const id = unique("rencana");
  const project: NewProject = {
    title: `Jalur Pejalan Kaki Tepi Sungai ${id}`,
    slug: `jalur-tepi-sungai-${id}`.toLowerCase(),
    summary: "Jalur pejalan kaki selebar 2,5 meter di sepanjang tepi sungai, dengan lampu dan bangku setiap 100 meter.",
    body: "## Lingkup\n\n- jalur **selebar 2,5 meter** sepanjang 1,2 km;\n- 24 lampu tenaga surya;\n- bangku setiap 100 meter.",
    category: "Taman dan ruang hijau",
    area: "Margahayu",
    budget: "1.250.000.000",
    lat: "-6.9567",
    lng: "107.6189",
    opensAt: cityInput(wholeMinute(Date.now() + DAY)),
    closesAt: cityInput(wholeMinute(Date.now() + 10 * DAY)),
  };

  await signInByApi(page, DEMO_ACCOUNTS.planner);
  await page.goto("/staff/projects");
  await expect(page.getByRole("heading", { level: 1, name: "Kelola rencana" })).toBeVisible();
  await checkA11y(page);
  await page.getByRole("link", { name: "Buat rencana baru" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Buat rencana baru" })).toBeVisible();
  await checkA11y(page);

  await fillProjectForm(page, project);
  await page.getByRole("button", { name: "Pratinjau" }).click();
  await expect(status(page, "Pratinjau ditampilkan di bawah kolom isi.")).toHaveText(
    "Pratinjau ditampilkan di bawah kolom isi. Belum ada yang disimpan. Ke pratinjau",
  );
  const preview = page.getByRole("region", { name: "Pratinjau uraian" });
  await expect(preview.getByRole("heading", { name: "Lingkup" })).toBeVisible();
  await expect(preview.getByRole("listitem")).toHaveCount(3);
  await expect(preview.getByText("selebar 2,5 meter", { exact: true })).toBeVisible();
  // Nothing typed is lost by the preview.
  await expect(page.getByLabel("Judul", { exact: true })).toHaveValue(project.title);
  await expect(page.getByLabel("Slug (bagian alamat halaman)")).toHaveValue(project.slug!);
  await expect(page.getByLabel("Uraian lengkap")).toHaveValue(project.body);
  await expect(page.getByLabel("Kategori").locator("option:checked")).toHaveText(project.category);
  await expect(page.getByLabel("Wilayah").locator("option:checked")).toHaveText(project.area);
  await expect(page.getByLabel("Anggaran (rupiah)")).toHaveValue(project.budget);
  await expect(page.getByLabel("Bujur")).toHaveValue(project.lng!);
  await expect(page.getByLabel("Konsultasi ditutup")).toHaveValue(project.closesAt!);
  await checkA11y(page);

  const slug = await saveDraft(page, project.title);
  expect(slug).toBe(project.slug);
  await expect(page.getByText("Rp 1.250.000.000", { exact: true })).toBeVisible();
  await expect(page.getByText("Margahayu, Sukamaju Selatan", { exact: true })).toBeVisible();
  await checkA11y(page);

  // In the planners' list, as a draft.
  await page.goto("/staff/projects");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: project.title, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Draf", { exact: true })).toBeVisible();

  // The planner sees the public page with its draft notice...
  await page.goto(`/projects/${slug}`);
  await expect(page.getByText("Ini masih draf: hanya perencana dan admin yang dapat melihatnya.")).toBeVisible();

  // ...a visitor finds it neither in the list nor at its address.
  const visitor = await (await newContext()).newPage();
  await visitor.goto("/projects?sort=newest");
  await expect(visitor.getByRole("heading", { level: 1, name: "Rencana pembangunan" })).toBeVisible();
  await expect(visitor.getByRole("article").first()).toBeVisible();
  await expect(visitor.getByRole("link", { name: project.title })).toHaveCount(0);
  expectStatus(visitor, 404);
  const response = await visitor.goto(`/projects/${slug}`);
  expect(response?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { level: 1, name: "Halaman tidak ditemukan" })).toBeVisible();
  await expect(visitor.getByText(project.title)).toHaveCount(0);
});

test(
  "a planner opens the consultation, answers a resident's proposal and moves the project to review",
  { tag: "@postgresql" },
  async ({ page, newContext }, testInfo) => {
    test.setTimeout(90_000);
    const resident = residentOf(testInfo);
    const id = unique("konsultasi");
    const title = `Penerangan Jalan Gang Melati ${id}`;
    const closes = wholeMinute(Date.now() + 7 * DAY);

    await signInByApi(page, DEMO_ACCOUNTS.planner);
    await page.goto("/staff/projects/new");
    await fillProjectForm(page, {
      title,
      summary: "Lampu jalan tenaga surya di sepanjang Gang Melati dan gang-gang di sekitarnya.",
      body: "Pemasangan **32 lampu** tenaga surya. Warga diminta menilai titik-titik yang paling gelap.",
      category: "Jalan",
      area: "Seluruh Kecamatan Sukamaju Selatan",
      budget: "640000000",
    });
    const slug = await saveDraft(page, title);

    // Open the consultation, closing a week from now.
    const open = phaseForm(page, "Konsultasi publik");
    await expect(open.getByLabel("Konsultasi dibuka")).toHaveValue("");
    await open.getByLabel("Konsultasi ditutup").fill(cityInput(closes));
    await open.getByLabel("Catatan").fill("Konsultasi dibuka. Sampaikan titik yang paling gelap di gang Anda.");
    await open.getByRole("button", { name: "Pindahkan ke tahap Konsultasi publik" }).click();
    await expect(status(page, "Tahap dipindah ke:")).toHaveText("Tahap dipindah ke: Konsultasi publik.");
    await expect(page.getByText(/^Tahap sekarang:/)).toHaveText("Tahap sekarang: Konsultasi publik");
    await expect(page.getByText(`Dibuka sampai ${cityDateTime(closes)}`)).toBeVisible();
    await checkA11y(page);

    // The public sees it now.
    const visitor = await (await newContext()).newPage();
    await visitor.goto("/projects?sort=newest");
    await visitor.getByRole("link", { name: title, exact: true }).click();
    await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(visitor.getByText(`Dibuka sampai ${cityDateTime(closes)}`)).toBeVisible();
    await checkA11y(visitor);

    // A resident votes, opens a thread, comments in it and proposes.
    const theirs = await (await newContext()).newPage();
    await signInByApi(theirs, resident.email);
    await theirs.goto(`/projects/${slug}`);
    await theirs.getByRole("radio", { name: "Mendukung" }).check();
    await theirs.getByRole("button", { name: "Kirim suara" }).click();
    await expect(status(theirs, "Suara Anda tercatat")).toHaveText("Suara Anda tercatat: Mendukung.");
    await theirs.getByRole("link", { name: "Buka topik baru" }).click();
    const threadTitle = `Titik gelap di ujung gang ${id}`;
    await theirs.getByLabel("Judul topik").fill(threadTitle);
    await theirs.getByLabel("Isi topik").fill("Ujung Gang Melati dekat pos ronda paling gelap dan sering dipakai anak sekolah.");
    await theirs.getByRole("button", { name: "Buka topik" }).click();
    await expect(theirs.getByRole("heading", { level: 1, name: threadTitle })).toBeVisible();
    const commentText = `Mohon lampu di dekat pos ronda dipasang lebih dulu. (${id})`;
    const form = theirs.getByRole("form", { name: "Tulis komentar" });
    await form.getByLabel("Komentar Anda").fill(commentText);
    await form.getByLabel("Sikap Anda terhadap rencana").selectOption({ label: "Mendukung" });
    await form.getByRole("button", { name: "Kirim komentar" }).click();
    const comment = theirs.getByRole("article").filter({ hasText: commentText });
    await expect(comment).toBeVisible();
    await expect(comment.getByText("menunggu tinjauan")).toHaveCount(0);
    await checkA11y(theirs);

    await theirs.goto(`/projects/${slug}`);
    await theirs.getByRole("link", { name: "Ajukan usulan" }).click();
    const proposalTitle = `Lampu dengan sensor gerak ${id}`;
    await theirs.getByLabel("Judul usulan").fill(proposalTitle);
    await theirs.getByLabel("Penjelasan usulan").fill("Lampu yang lebih terang saat ada orang lewat menghemat baterai dan tetap aman.");
    await theirs.getByRole("button", { name: "Kirim usulan" }).click();
    await expect(theirs.getByRole("heading", { level: 1, name: proposalTitle })).toBeVisible();
    const proposalPath = new URL(theirs.url()).pathname;

    // The planner answers it: accepted, with an official answer.
    await page.goto(`/projects/${slug}`);
    await page.getByRole("link", { name: proposalTitle, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: proposalTitle })).toBeVisible();
    const answerBox = page.getByRole("region", { name: "Jawab usulan (perencana)" });
    await answerBox.getByLabel("Status baru").selectOption({ label: "Diterima" });
    const answer = "Diterima. Lampu dengan **sensor gerak** dipasang di gang yang lebarnya kurang dari 2 meter.";
    await answerBox.getByLabel("Jawaban resmi").fill(answer);
    await answerBox.getByRole("button", { name: "Simpan jawaban" }).click();
    await expect(status(page, "Jawaban resmi tersimpan")).toHaveText("Jawaban resmi tersimpan; pengusul mendapat notifikasi.");
    const official = page.getByRole("region", { name: "Jawaban resmi" });
    await expect(official).toContainText("Lampu dengan sensor gerak dipasang di gang yang lebarnya kurang dari 2 meter.");
    await expect(page.getByRole("article").getByText("Diterima", { exact: true })).toBeVisible();
    await checkA11y(page);

    // The resident has a notification and reads the answer.
    await theirs.goto("/");
    await theirs.getByRole("link", { name: "Notifikasi (1 belum dibaca)" }).click();
    const notice = theirs.getByRole("link", { name: `Usulan Anda “${proposalTitle}” dijawab: diterima.` });
    await expect(notice).toBeVisible();
    await checkA11y(theirs);
    await notice.click();
    await expect(theirs).toHaveURL(new RegExp(`${proposalPath}$`));
    await expect(theirs.getByRole("article").getByText("Diterima", { exact: true })).toBeVisible();
    const theirAnswer = theirs.getByRole("region", { name: "Jawaban resmi" });
    await expect(theirAnswer).toContainText("Lampu dengan sensor gerak dipasang di gang yang lebarnya kurang dari 2 meter.");
    await expect(theirAnswer.getByText("sensor gerak", { exact: true })).toBeVisible();
    await expect(theirAnswer).toContainText("Perencana Demo");
    await checkA11y(theirs);

    // The planner moves the project to review, which closes the consultation now.
    await page.goto(`/staff/projects/${slug}`);
    const review = phaseForm(page, "Peninjauan");
    await review.getByLabel("Catatan").fill("Terima kasih atas semua masukan. Kami menelaahnya bersama Dinas PUPR.");
    await review.getByRole("button", { name: "Pindahkan ke tahap Peninjauan" }).click();
    await expect(status(page, "Tahap dipindah ke:")).toHaveText("Tahap dipindah ke: Peninjauan.");
    await expect(page.getByText(/^Tahap sekarang:/)).toHaveText("Tahap sekarang: Peninjauan");
    const closedOn = cityDate(new Date());
    await checkA11y(page);

    // The public page says so, and the vote box is gone.
    await theirs.goto(`/projects/${slug}`);
    await expect(theirs.getByText(`Konsultasi ditutup ${closedOn}`)).toBeVisible();
    const voteBox = theirs.getByRole("region", { name: "Suara Anda" });
    await expect(voteBox.getByText("Konsultasi untuk rencana ini sudah ditutup. Anda masih dapat membaca semuanya.")).toBeVisible();
    await expect(voteBox.getByRole("radio")).toHaveCount(0);
    await expect(voteBox.getByRole("button")).toHaveCount(0);
    await expect(voteBox.getByText(/^Pilihan Anda saat ini:/)).toHaveText("Pilihan Anda saat ini: Mendukung");
    await expect(theirs.getByRole("link", { name: "Buka topik baru" })).toHaveCount(0);
    await expect(theirs.getByRole("link", { name: "Ajukan usulan" })).toHaveCount(0);
    await expect(theirs.getByRole("heading", { name: "Tahap berubah: Konsultasi publik → Peninjauan" })).toBeVisible();
    await checkA11y(theirs);
    // Following the project (they took part), they are told of the move.
    await theirs.goto("/notifications");
    await expect(theirs.getByRole("link", { name: `“${title}” kini berada di tahap Peninjauan.` })).toBeVisible();
  },
);
