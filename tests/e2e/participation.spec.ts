import type { Locator, Page, TestInfo } from "@playwright/test";
import { checkA11y, expect, expectStatus, registerByApi, residentEmail, signInByApi, signedInAs, test, unique } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";

/**
 * The resident's journeys on an open consultation, from the seeded demo city (db/seed.ts).
 *
 * The `js` and `nojs` projects run side by side against one server, so each takes its own
 * resident and its own project: an unread count, a tally or a per-minute limit shared between
 * them would make either run's assertions depend on the other's timing. In the JavaScript
 * project the resident is the demo resident, Siti; in the other, Euis, a seeded resident who
 * like Siti is established and has cast no ballot on an open consultation.
 */
const JOURNEYS = {
  js: {
    resident: { email: DEMO_ACCOUNTS.resident, name: "Siti Warga (demo)" },
    /** Another established resident, who answers the resident's comment. */
    replier: "Asep Saepudin",
    project: { slug: "pelebaran-jalan-raya-sindanglaya", title: "Pelebaran Jalan Raya Sindanglaya" },
    thread: "Pohon-pohon tua di sepanjang jalan akan ditebang?",
    /** A seeded comment in that thread by another resident. */
    othersComment: "Tiga pohon pengganti untuk setiap pohon yang ditebang itu bagus",
    /** A seeded open proposal by another resident, which the resident has not supported. */
    othersProposal: "Lajur kiri khusus angkot dan sepeda pada jam sibuk",
  },
  nojs: {
    resident: { email: residentEmail("Euis Komalasari"), name: "Euis Komalasari" },
    replier: "Dedeh Kurniasih",
    project: { slug: "rusunawa-margahayu", title: "Rumah Susun Sederhana Sewa (Rusunawa) Margahayu" },
    thread: "Kriteria penghuni harus jelas dan terbuka",
    othersComment: "Setuju. Umumkan jumlah pendaftar, kuota, dan hasil undian",
    othersProposal: "Penampungan air hujan di setiap menara",
  },
} as const;

function journeyOf(testInfo: TestInfo) {
  const journey = JOURNEYS[testInfo.project.name as keyof typeof JOURNEYS];
  if (!journey) throw new Error(`no journey for project ${testInfo.project.name}`);
  return journey;
}

const number = (n: number) => new Intl.NumberFormat("id-ID").format(n);
const parseNumber = (text: string) => Number(text.replace(/\./g, ""));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The public tally as the page shows it: the total and each choice's count. */
async function readTally(page: Page) {
  const region = page.getByRole("region", { name: "Hasil suara sementara" });
  const total = parseNumber(/^([\d.]+) suara masuk\.$/.exec((await region.getByText(/suara masuk\.$/).textContent()) ?? "")![1]!);
  const count = async (label: string) => {
    const text = (await tallyFigure(page, label).textContent()) ?? "";
    return parseNumber(/^([\d.]+) suara \(/.exec(text)![1]!);
  };
  return { total, support: await count("Mendukung"), oppose: await count("Menolak"), abstain: await count("Abstain") };
}

function tallyFigure(page: Page, label: string): Locator {
  const region = page.getByRole("region", { name: "Hasil suara sementara" });
  return region
    .locator("div")
    .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole("definition");
}

async function expectTally(page: Page, tally: { total: number; support: number; oppose: number; abstain: number }) {
  const region = page.getByRole("region", { name: "Hasil suara sementara" });
  await expect(region.getByText(/suara masuk\.$/)).toHaveText(`${number(tally.total)} suara masuk.`);
  await expect(tallyFigure(page, "Mendukung")).toHaveText(new RegExp(`^${escapeRegExp(number(tally.support))} suara \\(`));
  await expect(tallyFigure(page, "Menolak")).toHaveText(new RegExp(`^${escapeRegExp(number(tally.oppose))} suara \\(`));
  await expect(tallyFigure(page, "Abstain")).toHaveText(new RegExp(`^${escapeRegExp(number(tally.abstain))} suara \\(`));
}

const status = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

/** A comment on the thread page, found by its text. */
const commentWith = (page: Page, text: string) => page.getByRole("article").filter({ hasText: text });

async function commentId(comment: Locator) {
  const id = await comment.getAttribute("id");
  expect(id).toMatch(/^comment-\d+$/);
  return Number(id!.slice("comment-".length));
}

async function openThread(page: Page, journey: (typeof JOURNEYS)[keyof typeof JOURNEYS]) {
  await page.goto(`/projects/${journey.project.slug}`);
  await page.getByRole("link", { name: journey.thread, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: journey.thread })).toBeVisible();
}

/** Writes a comment (with a stance, if given) in the page's "Tulis komentar" form and sends it. */
async function postComment(page: Page, text: string, stance?: string) {
  const form = page.getByRole("form", { name: "Tulis komentar" });
  await form.getByLabel("Komentar Anda").fill(text);
  if (stance) await form.getByLabel("Sikap Anda terhadap rencana").selectOption({ label: stance });
  await form.getByRole("button", { name: "Kirim komentar" }).click();
  const comment = commentWith(page, text);
  await expect(comment).toBeVisible();
  await expect(page).toHaveURL(/\?comment=\d+#comment-\d+$/);
  return comment;
}

/** Opens the reply form under `comment` and sends `text`; returns the reply. */
async function replyTo(page: Page, comment: Locator, text: string) {
  await comment.getByRole("link", { name: /^Balas\b/ }).click();
  const form = page.getByRole("form", { name: /^Balas / });
  await form.getByLabel("Balasan Anda").fill(text);
  await form.getByRole("button", { name: "Kirim balasan" }).click();
  const reply = commentWith(page, text);
  await expect(reply).toBeVisible();
  return reply;
}

test.describe("a resident takes part in an open consultation", () => {
  test("votes, sees the tally follow, changes the vote, and follows and unfollows the project", async ({ page }, testInfo) => {
    const journey = journeyOf(testInfo);
    await signInByApi(page, journey.resident.email);
    await page.goto(`/projects/${journey.project.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: journey.project.title })).toBeVisible();
    await expect(page.getByText("Dibuka sampai ", { exact: false }).first()).toBeVisible();
    // No ballot yet: nothing remembered, and the button casts rather than changes.
    await expect(page.getByText(/^Pilihan Anda saat ini:/)).toHaveCount(0);
    await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
    await checkA11y(page);
    const before = await readTally(page);

    await page.getByRole("radio", { name: "Mendukung" }).check();
    await page.getByRole("button", { name: "Kirim suara" }).click();
    await expect(status(page, "Suara Anda tercatat")).toHaveText("Suara Anda tercatat: Mendukung.");
    await expect(page.getByText(/^Pilihan Anda saat ini:/)).toHaveText(
      "Pilihan Anda saat ini: Mendukung. Anda dapat mengubahnya selama konsultasi masih dibuka.",
    );
    await expectTally(page, { ...before, total: before.total + 1, support: before.support + 1 });
    await checkA11y(page);

    // A fresh load remembers the choice.
    await page.goto(`/projects/${journey.project.slug}`);
    await expect(page.getByRole("radio", { name: "Mendukung" })).toBeChecked();
    await expect(page.getByRole("button", { name: "Ubah suara" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Kirim suara" })).toHaveCount(0);

    await page.getByRole("radio", { name: "Menolak" }).check();
    await page.getByRole("button", { name: "Ubah suara" }).click();
    await expect(status(page, "Suara Anda tercatat")).toHaveText("Suara Anda tercatat: Menolak.");
    // Still one ballot: the total stays, the ballot moved from support to oppose.
    await expectTally(page, { ...before, total: before.total + 1, oppose: before.oppose + 1 });
    await page.goto(`/projects/${journey.project.slug}`);
    await expect(page.getByRole("radio", { name: "Menolak" })).toBeChecked();
    await expectTally(page, { ...before, total: before.total + 1, oppose: before.oppose + 1 });

    // Voting made them a follower; they turn it off, then on again.
    const unfollow = page.getByRole("button", { name: "Berhenti mengikuti" });
    await expect(unfollow).toBeVisible();
    await unfollow.click();
    await expect(status(page, "Anda tidak lagi mengikuti")).toHaveText("Anda tidak lagi mengikuti rencana ini.");
    await expect(page.getByText("Anda akan mendapat notifikasi saat ada kabar baru atau perubahan tahap.")).toBeVisible();
    await page.getByRole("button", { name: "Ikuti rencana ini" }).click();
    await expect(status(page, "Anda sekarang mengikuti")).toHaveText("Anda sekarang mengikuti rencana ini.");
    await expect(page.getByRole("button", { name: "Berhenti mengikuti" })).toBeVisible();
    await checkA11y(page);
    await page.goto(`/projects/${journey.project.slug}`);
    await expect(page.getByRole("button", { name: "Berhenti mengikuti" })).toBeVisible();
  });

  test(
    "comments with a stance after an empty and an over-long attempt, replies to another resident, opens a thread",
    { tag: "@postgresql" },
    async ({ page, javaScriptEnabled }, testInfo) => {
      const journey = journeyOf(testInfo);
      await signInByApi(page, journey.resident.email);
      await openThread(page, journey);
      await checkA11y(page);
      const form = page.getByRole("form", { name: "Tulis komentar" });
      const body = form.getByLabel("Komentar Anda");
      expectStatus(page, 400);

      // An empty comment: the message, tied to the field.
      await form.getByRole("button", { name: "Kirim komentar" }).click();
      await expect(form.getByRole("alert")).toHaveText("Ada yang perlu diperbaiki: Komentar Anda: Wajib diisi.");
      await expect(body).toHaveAttribute("aria-invalid", "true");
      await expect(body).toHaveAccessibleDescription(/Wajib diisi\./);
      await checkA11y(page);

      // Over 10,000 characters: the message, and every character still in the field.
      // 10,001 characters that end in a letter, so that trimming cannot bring them under the limit.
      const long = `${`${unique("panjang")} ${"Saluran air di gang kami selalu meluap. ".repeat(250)}`.slice(0, 10_000)}x`;
      expect(long).toHaveLength(10_001);
      await body.fill(long);
      const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.includes("/threads/"));
      await form.getByRole("button", { name: "Kirim komentar" }).click();
      const response = await answer;
      if (!javaScriptEnabled) expect(response.status()).toBe(400);
      await expect(form.getByRole("alert")).toHaveText("Ada yang perlu diperbaiki: Komentar Anda: Terlalu panjang: maksimal 10000 karakter.");
      await expect(body).toHaveValue(long);
      await expect(commentWith(page, long.slice(0, 40))).toHaveCount(0);

      // The page still works: a comment with a stance is published at once.
      const text = `Setuju, asal pohon yang sehat dipertahankan di median. (${unique("komentar")})`;
      const comment = await postComment(page, text, "Mendukung");
      await expect(comment.getByRole("heading", { level: 3 })).toHaveText(journey.resident.name);
      await expect(comment.getByText("Mendukung", { exact: true })).toBeVisible();
      await expect(comment.getByText("menunggu tinjauan")).toHaveCount(0);
      await checkA11y(page);

      // A reply to another resident's comment sits under it, one level in.
      const parent = commentWith(page, journey.othersComment);
      await expect(parent).toHaveCount(1);
      const parentAuthor = ((await parent.getByRole("heading", { level: 3 }).textContent()) ?? "").trim();
      expect(parentAuthor).not.toBe(journey.resident.name);
      const parentId = await commentId(parent);
      const replyText = `Betul, dan penggantinya sebaiknya pohon peneduh lokal. (${unique("balasan")})`;
      const reply = await replyTo(page, parent, replyText);
      await expect(reply.getByRole("link", { name: `membalas ${parentAuthor}` })).toHaveAttribute("href", `#comment-${parentId}`);
      await expect(reply.getByRole("heading", { level: 3 })).toHaveText(journey.resident.name);
      const replyId = await commentId(reply);
      // After its parent in the list, and indented beneath it.
      const order = await page.evaluate(
        ([p, r]) => {
          const parentEl = document.getElementById(`comment-${p}`)!;
          const replyEl = document.getElementById(`comment-${r}`)!;
          return Boolean(parentEl.compareDocumentPosition(replyEl) & Node.DOCUMENT_POSITION_FOLLOWING);
        },
        [parentId, replyId],
      );
      expect(order, "the reply comes after the comment it answers").toBe(true);
      const [parentBox, replyBox] = [await parent.boundingBox(), await reply.boundingBox()];
      expect(replyBox!.x, "the reply is indented under its parent").toBeGreaterThan(parentBox!.x + 8);
      await checkA11y(page);

      // A new thread.
      await page.goto(`/projects/${journey.project.slug}`);
      await page.getByRole("link", { name: "Buka topik baru" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Buka topik diskusi" })).toBeVisible();
      await checkA11y(page);
      const title = `Jadwal kerja malam dan kebisingan ${unique("topik")}`;
      await page.getByLabel("Judul topik").fill(title);
      await page.getByLabel("Isi topik").fill("Kalau pekerjaan dilakukan **malam hari**, mohon batasi sampai pukul 22.00 agar warga bisa tidur.");
      await page.getByRole("button", { name: "Buka topik" }).click();
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(page.getByText(`Dibuka oleh ${journey.resident.name}`)).toBeVisible();
      await expect(page.locator(".prose strong")).toHaveText("malam hari");
      await expect(page.getByText("Topik ini menunggu tinjauan moderator")).toHaveCount(0);
      await expect(page.getByText("Belum ada komentar. Jadilah yang pertama.")).toBeVisible();
      await checkA11y(page);
      await page.goto(`/projects/${journey.project.slug}#threads`);
      await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
    },
  );

  test("proposes, and supports another resident's proposal with one support fewer left", async ({ page }, testInfo) => {
    const journey = journeyOf(testInfo);
    await signInByApi(page, journey.resident.email);
    await page.goto(`/projects/${journey.project.slug}`);
    await page.getByRole("link", { name: "Ajukan usulan" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Ajukan usulan" })).toBeVisible();
    await checkA11y(page);
    const title = `Pos pengaduan warga di lokasi proyek ${unique("usulan")}`;
    await page.getByLabel("Judul usulan").fill(title);
    await page.getByLabel("Penjelasan usulan").fill("Sediakan pos pengaduan yang buka setiap hari, dengan nomor yang ditempel di papan proyek.");
    await page.getByRole("button", { name: "Kirim usulan" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText("Terbuka", { exact: true })).toBeVisible();
    await expect(page.getByText(`Diusulkan oleh ${journey.resident.name}`)).toBeVisible();
    await expect(page.getByText("Usulan ini menunggu tinjauan moderator")).toHaveCount(0);
    await expect(page.getByText("Anda tidak dapat mendukung usulan Anda sendiri.")).toBeVisible();
    await checkA11y(page);

    await page.getByRole("link", { name: `← ${journey.project.title}` }).click();
    await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
    await page.getByRole("link", { name: journey.othersProposal, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: journey.othersProposal })).toBeVisible();
    const box = page.getByRole("region", { name: "Dukungan" });
    const supports = parseNumber(/^([\d.]+) dukungan$/.exec((await box.getByText(/^[\d.]+ dukungan$/).textContent()) ?? "")![1]!);
    const remaining = parseNumber(/punya ([\d.]+) dukungan/.exec((await box.getByText(/^Anda masih punya/).textContent()) ?? "")![1]!);
    expect(remaining).toBeGreaterThan(0);
    await checkA11y(page);

    await box.getByRole("button", { name: "Dukung usulan ini" }).click();
    await expect(status(page, "Dukungan Anda tercatat.")).toBeVisible();
    await expect(box.getByText("Anda mendukung usulan ini.")).toBeVisible();
    await expect(box.getByText(/^[\d.]+ dukungan$/)).toHaveText(`${number(supports + 1)} dukungan`);
    await expect(box.getByText(/^Anda masih punya/)).toHaveText(`Anda masih punya ${number(remaining - 1)} dukungan untuk rencana ini.`);
    await expect(box.getByRole("button", { name: "Tarik dukungan" })).toBeVisible();
    await checkA11y(page);
  });

  test("another resident's reply shows as an unread notification, which leads to the comment and is marked read", async ({ page, newContext }, testInfo) => {
    const journey = journeyOf(testInfo);
    await signInByApi(page, journey.resident.email);
    await openThread(page, journey);
    const text = `Apakah ada jadwal pemeriksaan pohon bersama warga? (${unique("pertanyaan")})`;
    const mine = await postComment(page, text);
    const commentPath = new URL(page.url()).pathname + new URL(page.url()).search;
    await expect(page.getByRole("link", { name: "Notifikasi", exact: true })).toBeVisible();

    // Another resident, on their own device, answers it.
    const other = await (await newContext()).newPage();
    await signInByApi(other, residentEmail(journey.replier));
    await other.goto(commentPath);
    const answerText = `Ada, setiap Sabtu pagi bersama petugas dinas. (${unique("jawaban")})`;
    const answer = await replyTo(other, commentWith(other, text), answerText);
    const answerId = await commentId(answer);
    await expect(mine).toBeVisible();

    // The resident's next page shows one unread notification in the header.
    await page.goto("/");
    await expect(page.getByText(signedInAs(journey.resident.name))).toBeVisible();
    const unread = page.getByRole("link", { name: "Notifikasi (1 belum dibaca)" });
    await expect(unread).toBeVisible();
    await unread.click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifikasi" })).toBeVisible();
    const item = page.getByRole("listitem").filter({ hasText: `${journey.replier} membalas komentar Anda` });
    await expect(item).toHaveCount(1);
    await expect(item.getByText("Baru", { exact: true })).toBeVisible();
    await checkA11y(page);

    // Opening it lands on the reply.
    await item.getByRole("link", { name: `${journey.replier} membalas komentar Anda di “${journey.thread}”.` }).click();
    await expect(page).toHaveURL(new RegExp(`\\?comment=${answerId}#comment-${answerId}$`));
    const landed = page.locator(`#comment-${answerId}`);
    await expect(landed).toContainText(answerText);
    await expect(landed).toBeInViewport();

    // Marked read: the badge and the count are gone.
    await page.goto("/notifications");
    await item.getByRole("button", { name: "Tandai sudah dibaca" }).click();
    await expect(status(page, "Notifikasi ditandai sudah dibaca.")).toBeVisible();
    await expect(item.getByText("Baru", { exact: true })).toHaveCount(0);
    await expect(item.getByRole("button", { name: "Tandai sudah dibaca" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Notifikasi", exact: true })).toBeVisible();
    await checkA11y(page);
  });

  test("a newly registered resident's first comment waits for review and is hidden from others", async ({ page, newContext }, testInfo) => {
    const journey = journeyOf(testInfo);
    const id = unique("baru");
    const resident = { displayName: `Warga Baru ${id}`, email: `${id}@contoh.id`, password: "hujan-deras-di-gang-31" };
    // Registration is the journey of accounts.spec.ts; this one starts with the new account.
    await registerByApi(page, resident);
    await openThread(page, journey);
    const text = `Saya warga baru di sini dan ingin ikut memberi masukan. (${id})`;
    const comment = await postComment(page, text, "Netral");
    await expect(comment.getByText("menunggu tinjauan", { exact: true })).toBeVisible();
    await expect(comment.getByText("Hanya Anda yang dapat melihat komentar ini sampai moderator meninjaunya.")).toBeVisible();
    await checkA11y(page);

    // A visitor on the same thread does not see it.
    const visitor = await (await newContext()).newPage();
    await openThread(visitor, journey);
    await expect(visitor.getByRole("heading", { level: 2, name: /^Komentar \(/ })).toBeVisible();
    await expect(commentWith(visitor, text)).toHaveCount(0);
  });
});
