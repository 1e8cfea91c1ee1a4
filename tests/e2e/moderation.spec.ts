import type { BrowserContext, Locator, Page, TestInfo } from "@playwright/test";
import { checkA11y, expect, expectStatus, registerByApi, residentEmail, signInByApi, test as base, unique, type Registration } from "./fixtures";
import { DEMO_ACCOUNTS } from "../../db/seed";

/**
 * Moderation journeys on the seeded demo city (db/seed.ts): screening of a new account's first
 * comment, flags that hide a comment, a rejection with a suspension, an appeal decided by another
 * moderator, the log, lifting the suspension; the queue with the keyboard only; axe on the
 * moderation pages; and refused input that changes nothing.
 *
 * The `js` and `nojs` runs go side by side against one server, so each takes its own places:
 * an open consultation for the journeys (shared with participation.spec.ts, whose items are told
 * apart by their text) and another, used by no other spec for new accounts, whose queue the
 * keyboard test empties. Flaggers are seeded established residents; flags have their own hourly
 * limit, so sharing them with the XSS spec's posters costs nothing.
 */
const PLACES = {
  js: {
    project: { slug: "pelebaran-jalan-raya-sindanglaya", title: "Pelebaran Jalan Raya Sindanglaya" },
    /** Threads of that project that the participation journeys do not use. */
    threads: ["Ganti rugi lahan: apakah adil untuk pemilik toko kecil?", "Kemacetan selama dua tahun pembangunan"],
    keyboard: {
      slug: "normalisasi-saluran-drainase-jalan-cibeureum",
      title: "Normalisasi Saluran Drainase Jalan Cibeureum",
      thread: "Titik genangan yang belum masuk peta rencana",
    },
    flaggers: ["Rina Marlina", "Neng Yuliani", "Dadang Hermawan"],
  },
  nojs: {
    project: { slug: "rusunawa-margahayu", title: "Rumah Susun Sederhana Sewa (Rusunawa) Margahayu" },
    threads: ["Apakah air tanah kami akan terganggu?", "Parkir dan kepadatan lalu lintas"],
    // The XSS spec posts here too, but only as established residents: nothing of theirs is held as a new account's.
    keyboard: {
      slug: "taman-tematik-dan-ruang-terbuka-hijau-babakan-asih",
      title: "Taman Tematik dan Ruang Terbuka Hijau Babakan Asih",
      thread: "Jam buka dan keamanan taman di malam hari",
    },
    flaggers: ["Iwan Kurniawan", "Maya Puspitasari", "Ahmad Fauzi"],
  },
} as const;

type Place = (typeof PLACES)[keyof typeof PLACES];

function placeOf(testInfo: TestInfo): Place {
  const place = PLACES[testInfo.project.name as keyof typeof PLACES];
  if (!place) throw new Error(`no places for project ${testInfo.project.name}`);
  return place;
}

type StaffAccount = "moderator" | "admin";
const STAFF_NAMES: Record<StaffAccount, string> = { moderator: "Moderator Demo", admin: "Admin Demo" };

/**
 * A staff member on their own device, signed in through the sign-in endpoint once per worker (an
 * account may sign in only ten times in fifteen minutes, and every test here needs the moderator
 * or the admin, some both).
 */
const test = base.extend<{ staff: (who: StaffAccount) => Promise<Page> }>({
  staff: async ({ newContext }, use) => {
    await use(async (who) => {
      const context = await newContext();
      await signInByApi(context, DEMO_ACCOUNTS[who]);
      return context.newPage();
    });
  },
});

const PASSWORD = "hujan-deras-di-gang-31";

function newResident(label: string): Registration {
  const id = unique(label);
  return { displayName: `Warga ${id}`, email: `${id}@contoh.id`, password: PASSWORD };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** A role=status region with this text. */
const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });

/** A comment on a thread page, found by its text. */
const commentWith = (page: Page, text: string) => page.getByRole("article").filter({ hasText: text });

/** A review item in the queue, found by the text of its content. */
const queueItem = (page: Page, text: string) => page.getByRole("list", { name: "Item dalam antrean" }).getByRole("article").filter({ hasText: text });

async function openThread(page: Page, slug: string, thread: string) {
  await page.goto(`/projects/${slug}`);
  await page.getByRole("link", { name: thread, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: thread })).toBeVisible();
}

/** Writes a comment in the page's "Tulis komentar" form and sends it; returns the comment and its id. */
async function postComment(page: Page, text: string) {
  const form = page.getByRole("form", { name: "Tulis komentar" });
  await form.getByLabel("Komentar Anda").fill(text);
  await form.getByRole("button", { name: "Kirim komentar" }).click();
  await expect(page).toHaveURL(/\?comment=\d+#comment-\d+$/);
  const comment = commentWith(page, text);
  await expect(comment).toBeVisible();
  const id = Number(/#comment-(\d+)$/.exec(page.url())![1]);
  await expect(comment).toHaveAttribute("id", `comment-${id}`);
  return { comment, id };
}

/** The queue's filter form, as a moderator uses it. */
async function filterQueue(page: Page, { reason, project }: { reason?: string; project?: string }) {
  const filters = page.getByRole("search", { name: "Saring antrean" });
  if (reason) await filters.getByLabel("Alasan masuk antrean").selectOption({ label: reason });
  if (project) await filters.getByLabel("Rencana", { exact: true }).selectOption({ label: project });
  await filters.getByRole("button", { name: "Terapkan" }).click();
  if (reason) await expect(page).toHaveURL(/[?&]reason=/);
  await expect(page.getByRole("heading", { level: 1, name: "Antrean moderasi" })).toBeVisible();
}

/** The thread's address (path and id), read from the project page. */
async function threadPath(page: Page, slug: string, thread: string) {
  await page.goto(`/projects/${slug}`);
  const href = await page.getByRole("link", { name: thread, exact: true }).getAttribute("href");
  expect(href).toMatch(new RegExp(`^/projects/${slug}/threads/\\d+$`));
  return href!;
}

/**
 * Registers a new resident on their own device (through the endpoints the forms post to) and posts `texts` as comments
 * on `path` directly, as their browser would without JavaScript. A new account's first comments
 * are held for review. Returns the resident and the comments' ids.
 */
async function newAccountPosts(newContext: () => Promise<BrowserContext>, baseURL: string, path: string, texts: string[], label = "baru") {
  const resident = newResident(label);
  const page = await (await newContext()).newPage();
  await registerByApi(page, resident);
  const ids: number[] = [];
  for (const body of texts) {
    const response = await page.request.post(path, {
      form: { intent: "comment", mode: "comment", body, stance: "" },
      headers: { Origin: baseURL },
      maxRedirects: 0,
    });
    expect(response.status(), `posting "${body}"`).toBe(302);
    const location = response.headers().location ?? "";
    expect(location).toMatch(/\?comment=\d+#comment-\d+$/);
    ids.push(Number(/#comment-(\d+)$/.exec(location)![1]));
  }
  return { resident, page, ids };
}

/** The Indonesian long date (city time zone) of an instant, as the site writes it inside its date-times. */
const cityDate = (instant: number) =>
  new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "long", year: "numeric", timeZone: "Asia/Jakarta" }).format(new Date(instant));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test.describe("moderation", () => {
  test("a new resident's first comment waits for review; a moderator approves it and everyone sees it", async ({ page, newContext, staff }, testInfo) => {
    const place = placeOf(testInfo);
    const thread = place.threads[1];
    const resident = newResident("pertama");
    // Registration is the journey of accounts.spec.ts; this one starts with the new account.
    await registerByApi(page, resident);
    await openThread(page, place.project.slug, thread);
    const text = `Saya baru pindah ke sini; apakah ada jalur pejalan kaki selama pengerjaan? (${unique("tahan")})`;
    const { comment, id } = await postComment(page, text);
    await expect(comment.getByText("menunggu tinjauan", { exact: true })).toBeVisible();
    await expect(comment.getByText("Hanya Anda yang dapat melihat komentar ini sampai moderator meninjaunya.")).toBeVisible();
    const link = pathOf(page.url());

    // A visitor on the same thread does not see it.
    const visitor = await (await newContext()).newPage();
    await visitor.goto(link);
    await expect(visitor.getByRole("heading", { level: 2, name: /^Komentar \(/ })).toBeVisible();
    await expect(commentWith(visitor, text)).toHaveCount(0);

    // The moderator finds it among new accounts' contributions and approves it.
    const moderator = await staff("moderator");
    await moderator.goto("/staff/moderation");
    await expect(moderator.getByRole("heading", { level: 1, name: "Antrean moderasi" })).toBeVisible();
    await filterQueue(moderator, { reason: "Akun baru", project: place.project.title });
    const item = queueItem(moderator, text);
    await expect(item).toHaveCount(1);
    await expect(item.getByRole("heading", { level: 2 })).toHaveText(`Komentar #${id} · oleh ${resident.displayName}`);
    await expect(item.getByText("Akun baru", { exact: true })).toBeVisible();
    await expect(item.getByText("Ditahan, belum tampil", { exact: true })).toBeVisible();
    await expect(item.getByRole("link", { name: thread, exact: true })).toBeVisible();
    await item.getByRole("button", { name: `Setujui Komentar #${id}` }).click();
    await expect(status(moderator, "Disetujui")).toHaveText("Disetujui");
    await expect(item).toHaveCount(0);

    // The resident sees it published; the visitor now sees it too.
    await page.reload();
    const published = commentWith(page, text);
    await expect(published).toBeVisible();
    await expect(published.getByText("menunggu tinjauan")).toHaveCount(0);
    await expect(published.getByText("Hanya Anda yang dapat melihat komentar ini")).toHaveCount(0);
    await visitor.reload();
    await expect(commentWith(visitor, text)).toBeVisible();

    // And a notification says so, leading to the comment.
    await page.goto("/notifications");
    const note = page.getByRole("link", { name: `Tulisan Anda di “${thread}” sudah disetujui dan tampil untuk umum.`, exact: true });
    await expect(note).toHaveCount(1);
    await expect(note).toHaveAttribute("href", new RegExp(`\\?comment=${id}#comment-${id}$`));
  });

  test(
    "three residents flag a comment away; rejected with a suspension, appealed, overturned by another moderator; the suspension is lifted",
    { tag: "@postgresql" },
    async ({ page, newContext, staff }, testInfo) => {
      test.setTimeout(120_000);
      const place = placeOf(testInfo);
      const thread = place.threads[0];

      // A resident's comment is published (a new account: a moderator approves it first).
      const author = newResident("penulis");
      await registerByApi(page, author);
      await openThread(page, place.project.slug, thread);
      const text = `Ganti rugi harus dihitung dari omzet toko, bukan hanya luas tanah. (${unique("dilaporkan")})`;
      const { id } = await postComment(page, text);
      const link = pathOf(page.url());
      const moderator = await staff("moderator");
      await moderator.goto("/staff/moderation");
      await filterQueue(moderator, { reason: "Akun baru", project: place.project.title });
      await queueItem(moderator, text)
        .getByRole("button", { name: `Setujui Komentar #${id}` })
        .click();
      await expect(status(moderator, "Disetujui")).toHaveText("Disetujui");

      const visitor = await (await newContext()).newPage();
      await visitor.goto(link);
      await expect(commentWith(visitor, text)).toBeVisible();

      // Three established residents, each on their own device, report it with a reason.
      const reports = [
        { name: place.flaggers[0], reason: "Spam atau iklan", queueReason: "Spam atau iklan", note: `Iklan terselubung (${unique("catatan")})` },
        { name: place.flaggers[1], reason: "Pelecehan atau serangan pribadi", queueReason: "Pelecehan atau serangan pribadi", note: "" },
        { name: place.flaggers[2], reason: "Di luar topik", queueReason: "Di luar topik", note: `Bukan soal ganti rugi (${unique("catatan")})` },
      ];
      const flaggers = await Promise.all(
        reports.map(async (report) => {
          const flagger = await (await newContext()).newPage();
          await signInByApi(flagger, residentEmail(report.name));
          await flagger.goto(link);
          return flagger;
        }),
      );
      for (const [i, report] of reports.entries()) {
        const flagger = flaggers[i]!;
        const target = commentWith(flagger, text);
        await target.getByRole("link", { name: /^Laporkan — / }).click();
        await expect(flagger).toHaveURL(new RegExp(`[?&]flag=comment-${id}#flag-comment-${id}$`));
        const form = flagger.getByRole("form", { name: "Laporkan tulisan ini ke moderator" });
        await form.getByRole("radio", { name: report.reason }).check();
        if (report.note) await form.getByLabel("Catatan untuk moderator").fill(report.note);
        await form.getByRole("button", { name: "Kirim laporan" }).click();
        const last = i === reports.length - 1;
        await expect(status(flagger, "Terima kasih.")).toHaveText(
          last
            ? "Terima kasih. Tulisan ini disembunyikan sementara sampai moderator memutuskan."
            : "Terima kasih. Laporan Anda sudah diterima dan akan ditinjau moderator.",
        );
        // The third report hides it at once, from the reporter's page too; the thanks stay.
        if (last) await expect(commentWith(flagger, text)).toHaveCount(0);
        await expect(status(flagger, "Terima kasih.")).toHaveCount(1);
        // Until the third report the public still sees it.
        await visitor.reload();
        await expect(visitor.getByRole("heading", { level: 2, name: /^Komentar \(/ })).toBeVisible();
        await expect(visitor.getByText(text)).toHaveCount(last ? 0 : 1);
      }

      // The moderator finds it among reported items, with the three reports and their reasons.
      await moderator.goto("/staff/moderation");
      await filterQueue(moderator, { reason: "Dilaporkan warga", project: place.project.title });
      const item = queueItem(moderator, text);
      await expect(item).toHaveCount(1);
      await expect(item.getByText("Disembunyikan sementara", { exact: true })).toBeVisible();
      await expect(item.getByRole("heading", { level: 3, name: "3 laporan" })).toBeVisible();
      const flags = item.getByRole("list").filter({ hasText: reports[0]!.name }).getByRole("listitem");
      await expect(flags).toHaveCount(3);
      for (const [i, report] of reports.entries()) {
        await expect(flags.nth(i)).toContainText(`${report.queueReason} · ${report.name}`);
        if (report.note) await expect(flags.nth(i)).toContainText(report.note);
      }

      // Rejected with a written reason, and the author suspended for seven days.
      const reason = `Komentar ini berisi tuduhan tanpa dasar terhadap pemilik toko. (${unique("alasan")})`;
      await item.getByLabel("Alasan untuk penulis").fill(reason);
      const before = Date.now();
      await item.getByRole("button", { name: "Tolak + tangguhkan 7 hari", exact: true }).click();
      await expect(status(moderator, "Ditolak")).toHaveText("Ditolak; penulis ditangguhkan 7 hari");
      const after = Date.now();
      await expect(item).toHaveCount(0);
      const until = [...new Set([cityDate(before + 7 * 86_400_000), cityDate(after + 7 * 86_400_000)])].map(escapeRegExp).join("|");

      // The author, whose thread page is still open, reads the reason elsewhere.
      const inbox = await page.context().newPage();
      await inbox.goto("/notifications");
      await expect(inbox.getByRole("link", { name: `Tulisan Anda di “${thread}” tidak disetujui moderator. Alasan: ${reason}`, exact: true })).toBeVisible();
      await expect(inbox.getByRole("link", { name: `Akun Anda ditangguhkan. Alasan: ${reason}`, exact: true })).toBeVisible();
      await inbox.goto("/account/decisions");
      await expect(inbox.getByRole("heading", { level: 1, name: "Keputusan moderasi atas tulisan saya" })).toBeVisible();
      const card = inbox.getByRole("listitem").filter({ hasText: text });
      await expect(card).toHaveCount(1);
      await expect(card.getByText("Ditolak", { exact: true })).toBeVisible();
      await expect(card.getByRole("definition").filter({ hasText: reason })).toHaveText(reason);

      // Posting is refused with the end of the suspension; the text stays in the form.
      expectStatus(page, 403);
      const form = page.getByRole("form", { name: "Tulis komentar" });
      const attempt = `Saya keberatan dengan keputusan ini. (${unique("ditolak")})`;
      await form.getByLabel("Komentar Anda").fill(attempt);
      await form.getByRole("button", { name: "Kirim komentar" }).click();
      await expect(form.getByRole("alert")).toHaveText(
        new RegExp(
          `^Akun Anda ditangguhkan sampai (${until}) .+\\. Anda tetap dapat membaca, tetapi belum dapat menulis, memilih, mendukung, atau melaporkan\\.$`,
        ),
      );
      await expect(form.getByLabel("Komentar Anda")).toHaveValue(attempt);
      await expect(commentWith(page, attempt)).toHaveCount(0);

      // The author appeals, once, with a short text.
      const appeal = `Saya tidak menuduh siapa pun; saya hanya meminta perhitungan yang adil. (${unique("banding")})`;
      await card.getByLabel("Ajukan banding").fill(appeal);
      await card.getByRole("button", { name: "Kirim banding" }).click();
      await expect(status(inbox, "Banding Anda sedang ditinjau.")).toHaveText("Banding Anda sedang ditinjau.");
      await expect(card.getByText(appeal)).toBeVisible();
      await expect(card.getByText("Banding Anda sedang ditinjau oleh moderator lain. Anda akan mendapat notifikasi tentang hasilnya.")).toBeVisible();
      await expect(card.getByRole("button", { name: "Kirim banding" })).toHaveCount(0);

      // The moderator who rejected it may not decide the appeal.
      await moderator.goto("/staff/moderation");
      await filterQueue(moderator, { reason: "Banding", project: place.project.title });
      const appealed = queueItem(moderator, text);
      await expect(appealed).toHaveCount(1);
      await expect(appealed.getByText(appeal)).toBeVisible();
      // The page says so instead of offering buttons the server would refuse (the 403 stays as the backstop).
      await expect(appealed.getByRole("button", { name: `Kabulkan banding dan tampilkan lagi Komentar #${id}` })).toHaveCount(0);
      await expect(appealed.getByText("Anda yang menolak tulisan ini, jadi bandingnya harus diputuskan moderator lain.")).toBeVisible();
      await visitor.reload();
      await expect(visitor.getByRole("heading", { level: 2, name: /^Komentar \(/ })).toBeVisible();
      await expect(visitor.getByText(text)).toHaveCount(0);

      // Another moderator-capable account, the admin, overturns it.
      const admin = await staff("admin");
      await admin.goto("/staff/moderation");
      await filterQueue(admin, { reason: "Banding", project: place.project.title });
      await queueItem(admin, text)
        .getByRole("button", { name: `Kabulkan banding dan tampilkan lagi Komentar #${id}` })
        .click();
      await expect(status(admin, "Disetujui")).toHaveText("Disetujui");
      await expect(queueItem(admin, text)).toHaveCount(0);

      // Public again; the author is told.
      await visitor.reload();
      await expect(commentWith(visitor, text)).toBeVisible();
      await inbox.goto("/notifications");
      await expect(
        inbox.getByRole("link", { name: `Banding Anda atas tulisan di “${thread}” sudah diputuskan: dikabulkan, tulisan Anda tampil kembali.`, exact: true }),
      ).toBeVisible();

      // The log tells the story, in words.
      await moderator.goto("/staff/moderation/log");
      await expect(moderator.getByRole("heading", { level: 1, name: "Log moderasi" })).toBeVisible();
      const rows = moderator.getByRole("row").filter({ has: moderator.getByRole("link", { name: `Komentar #${id}`, exact: true }) });
      const row = (action: string) => rows.filter({ has: moderator.getByRole("cell", { name: action, exact: true }) });
      await expect(row("Tulisan disetujui")).toHaveCount(1);
      await expect(row("Disembunyikan otomatis")).toHaveCount(1);
      await expect(row("Disembunyikan otomatis")).toContainText("Sistem");
      await expect(row("Tulisan ditolak")).toHaveCount(1);
      await expect(row("Tulisan ditolak")).toContainText(STAFF_NAMES.moderator);
      await expect(row("Tulisan ditolak")).toContainText(reason);
      await expect(row("Banding diajukan")).toHaveCount(1);
      await expect(row("Banding diajukan")).toContainText(author.displayName);
      await expect(row("Banding dikabulkan")).toHaveCount(1);
      await expect(row("Banding dikabulkan")).toContainText(STAFF_NAMES.admin);
      const suspended = moderator
        .getByRole("row")
        .filter({ has: moderator.getByRole("cell", { name: "Akun ditangguhkan", exact: true }) })
        .filter({ hasText: `(${author.displayName})` });
      await expect(suspended).toHaveCount(1);
      await expect(suspended).toContainText(reason);
      await expect(suspended).toContainText("7 hari");
      await checkA11y(moderator);

      // The moderator lifts the suspension.
      await moderator.goto("/staff/moderation/suspensions");
      await expect(moderator.getByRole("heading", { level: 1, name: "Akun yang ditangguhkan" })).toBeVisible();
      const entry = moderator.getByRole("listitem").filter({ has: moderator.getByRole("heading", { level: 2, name: author.displayName, exact: true }) });
      await expect(entry).toHaveCount(1);
      await expect(entry.getByText(reason)).toBeVisible();
      await entry.getByRole("button", { name: `Cabut penangguhan ${author.displayName}` }).click();
      await expect(status(moderator, "Penangguhan")).toHaveText(`Penangguhan ${author.displayName} sudah dicabut.`);
      await expect(entry).toHaveCount(0);

      // The author can post again (their second contribution as a new account waits for review).
      await page.goto(link);
      const again = `Terima kasih sudah meninjau ulang. (${unique("lagi")})`;
      const { comment } = await postComment(page, again);
      await expect(comment.getByText("menunggu tinjauan", { exact: true })).toBeVisible();
      await expect(page.getByRole("alert")).toHaveCount(0);
    },
  );

  test("the queue with the keyboard only", async ({ page, newContext, staff, baseURL, javaScriptEnabled }, testInfo) => {
    // About five hundred browser calls (a Tab and a focus check for every control, twice): 40 s on
    // a quiet machine, and it must not fail on a loaded one.
    test.setTimeout(180_000);
    const place = placeOf(testInfo).keyboard;
    const path = await threadPath(page, place.slug, place.thread);
    // Five held comments from three new accounts (a new account may post two a minute).
    const texts = [1, 2, 3, 4, 5].map((n) => `Genangan di gang ${n} setinggi mata kaki setiap hujan. (${unique(`antre${n}`)})`);
    const posted = await Promise.all([
      newAccountPosts(newContext, baseURL!, path, texts.slice(0, 2), "papan1"),
      newAccountPosts(newContext, baseURL!, path, texts.slice(2, 4), "papan2"),
      newAccountPosts(newContext, baseURL!, path, texts.slice(4), "papan3"),
    ]);
    expect(posted.flatMap((p) => p.ids)).toHaveLength(5);

    const moderator = await staff("moderator");
    await moderator.goto("/staff/moderation");
    await filterQueue(moderator, { reason: "Akun baru", project: place.title });
    const count = moderator.getByText(/^\d+ item$/);
    await expect(count).toHaveText("5 item");
    const items = moderator.getByRole("list", { name: "Item dalam antrean" }).getByRole("article");
    await expect(items).toHaveCount(5);
    const ids = await items.evaluateAll((els) => els.map((el) => el.id));
    // "Komentar #12": what each item is about, as the page names it.
    const labels = (await items.getByRole("heading", { level: 2 }).allTextContents()).map((t) => /^Komentar #\d+/.exec(t)![0]);
    expect(labels.map((l) => Number(l.slice("Komentar #".length))).sort()).toEqual(posted.flatMap((p) => p.ids).sort());
    const itemById = (id: string) => moderator.locator(`[id="${id}"]`);
    const queueUrl = pathOf(moderator.url());
    expect(queueUrl).toContain("status=open");

    // From the top of a freshly loaded page, Tab visits every control with a visible focus and leaves at the footer.
    await moderator.goto(queueUrl);
    if (javaScriptEnabled) await waitForHydration(moderator);
    await tabToFooter(moderator);

    if (javaScriptEnabled) {
      // j: the first item.
      await moderator.keyboard.press("j");
      await expect(itemById(ids[0]!)).toBeFocused();
      await expectFocusVisible(moderator);

      // a: approved; focus moves to the next item.
      await moderator.keyboard.press("a");
      await expect(status(moderator, "Disetujui")).toHaveText("Disetujui");
      await expect(count).toHaveText("4 item");
      await expect(itemById(ids[0]!)).toHaveCount(0);
      await expect(itemById(ids[1]!)).toBeFocused();
      await expectFocusVisible(moderator);

      // r: the reason; a template with the arrow key, Tab to «Tolak», Enter.
      await moderator.keyboard.press("r");
      const template = itemById(ids[1]!).getByLabel("Templat alasan");
      await expect(template).toBeFocused();
      await expectFocusVisible(moderator);
      await moderator.keyboard.press("ArrowDown");
      await expect(template.locator("option:checked")).toHaveText("Spam");
      await tabTo(moderator, itemById(ids[1]!).getByRole("button", { name: /^Tolak Komentar #/ }));
      await moderator.keyboard.press("Enter");
      await expect(status(moderator, "Ditolak")).toHaveText("Ditolak");
      await expect(count).toHaveText("3 item");
      await expect(itemById(ids[1]!)).toHaveCount(0);
      await expect(itemById(ids[2]!)).toBeFocused();
      await expectFocusVisible(moderator);

      // x on each of the rest, j between them, then Shift+Tab back to «Setujui yang dipilih».
      for (const [n, id] of ids.slice(2).entries()) {
        if (n > 0) {
          await moderator.keyboard.press("j");
          await expect(itemById(id)).toBeFocused();
        }
        await moderator.keyboard.press("x");
        await expect(itemById(id).getByRole("checkbox", { name: /^Pilih/ })).toBeChecked();
        await expectFocusVisible(moderator);
      }
    } else {
      // Without JavaScript every action is a button: from the top of the page, Tab to it, Enter.
      await moderator.goto(queueUrl);
      await tabTo(moderator, itemById(ids[0]!).getByRole("button", { name: /^Setujui Komentar #/ }));
      await moderator.keyboard.press("Enter");
      await expect(status(moderator, "Disetujui")).toHaveText("Disetujui");
      await expect(count).toHaveText("4 item");
      await expect(itemById(ids[0]!)).toHaveCount(0);

      const template = itemById(ids[1]!).getByLabel("Templat alasan");
      await tabTo(moderator, template);
      await moderator.keyboard.press("ArrowDown");
      await expect(template.locator("option:checked")).toHaveText("Spam");
      await tabTo(moderator, itemById(ids[1]!).getByRole("button", { name: /^Tolak Komentar #/ }));
      await moderator.keyboard.press("Enter");
      await expect(status(moderator, "Ditolak")).toHaveText("Ditolak");
      await expect(count).toHaveText("3 item");
      await expect(itemById(ids[1]!)).toHaveCount(0);

      for (const id of ids.slice(2)) {
        const box = itemById(id).getByRole("checkbox", { name: /^Pilih/ });
        await tabTo(moderator, box);
        await moderator.keyboard.press("Space");
        await expect(box).toBeChecked();
      }
    }
    await tabTo(moderator, moderator.getByRole("button", { name: "Setujui yang dipilih" }), "Shift+Tab");
    await moderator.keyboard.press("Enter");
    await expect(status(moderator, "3 dari 3 item disetujui.")).toBeVisible();
    const outcomes = status(moderator, "3 dari 3 item disetujui.").getByRole("listitem");
    await expect(outcomes).toHaveText(labels.slice(2).map((l) => `${l}: Disetujui`));
    await expect(count).toHaveText("0 item");
    await expect(moderator.getByText("Antrean kosong. Tidak ada yang perlu ditinjau saat ini.")).toBeVisible();
    if (javaScriptEnabled) await expectFocusVisible(moderator);
    // No trap after the actions either.
    await tabToFooter(moderator);

    // The rejection carries the template's text for the author.
    await moderator.goto(queueUrl.replace("status=open", "status=rejected"));
    const rejected = moderator.locator(`[id="${ids[1]}"]`);
    await expect(rejected).toContainText("Ditolak oleh Moderator Demo");
    await expect(rejected).toContainText("Alasan: Tulisan ini berisi spam atau iklan.");
  });

  test("the moderation pages pass axe", async ({ page, newContext, staff, baseURL }, testInfo) => {
    // Six pages, some long (the queue, fifty rows of log): axe needs a few seconds on each.
    test.setTimeout(90_000);
    const place = placeOf(testInfo);
    const path = await threadPath(page, place.project.slug, place.threads[1]);
    const texts = [`Apakah ada kompensasi untuk ojek pangkalan? (${unique("axe1")})`, `Mohon jadwal penutupan jalan diumumkan. (${unique("axe2")})`];
    const { resident, page: residentPage } = await newAccountPosts(newContext, baseURL!, path, texts, "axe");

    const moderator = await staff("moderator");
    await moderator.goto("/staff/moderation");
    await filterQueue(moderator, { project: place.project.title });
    await expect(queueItem(moderator, texts[0]!)).toHaveCount(1);
    await expect(queueItem(moderator, texts[1]!)).toHaveCount(1);
    await checkA11y(moderator);
    // One is rejected and its author suspended for a day, so the author's page has a reason and an
    // appeal form, and the suspensions page has someone on it.
    const item = queueItem(moderator, texts[1]!);
    await item.getByLabel("Templat alasan").selectOption({ label: "Di luar topik" });
    await item.getByRole("button", { name: "Tolak + tangguhkan 1 hari", exact: true }).click();
    await expect(status(moderator, "Ditolak")).toHaveText("Ditolak; penulis ditangguhkan 1 hari");

    await moderator.goto("/staff/moderation/log");
    await expect(moderator.getByRole("heading", { level: 1, name: "Log moderasi" })).toBeVisible();
    await expect(moderator.getByRole("row").filter({ hasText: "Tulisan ini di luar topik rencana yang dibahas." }).first()).toBeVisible();
    await checkA11y(moderator);
    await moderator.goto("/staff/moderation/suspensions");
    await expect(moderator.getByRole("heading", { level: 1, name: "Akun yang ditangguhkan" })).toBeVisible();
    await expect(moderator.getByRole("heading", { level: 2, name: resident.displayName, exact: true })).toBeVisible();
    await checkA11y(moderator);

    const admin = await staff("admin");
    await admin.goto("/staff/settings");
    await expect(admin.getByRole("heading", { level: 1, name: "Pengaturan moderasi" })).toBeVisible();
    await checkA11y(admin);

    await residentPage.goto("/account/decisions");
    await expect(residentPage.getByRole("heading", { level: 1, name: "Keputusan moderasi atas tulisan saya" })).toBeVisible();
    await expect(residentPage.getByText("Menunggu tinjauan", { exact: true })).toBeVisible();
    await expect(residentPage.getByText("Tulisan ini di luar topik rencana yang dibahas.")).toBeVisible();
    await expect(residentPage.getByLabel("Ajukan banding")).toBeVisible();
    await checkA11y(residentPage);
    // The public transparency page, for a visitor.
    await page.goto("/moderation");
    await expect(page.getByRole("heading", { level: 1, name: "Transparansi moderasi" })).toBeVisible();
    await checkA11y(page);
  });

  test("refused input changes nothing: a resident calling a staff action, an empty rejection reason, a negative setting", async ({
    page,
    newContext,
    staff,
    baseURL,
  }, testInfo) => {
    const place = placeOf(testInfo);
    const path = await threadPath(page, place.project.slug, place.threads[1]);
    const text = `Bagaimana nasib pedagang kaki lima di trotoar? (${unique("tolak")})`;
    const { page: residentPage, ids } = await newAccountPosts(newContext, baseURL!, path, [text], "nakal");
    const commentId = ids[0]!;

    const moderator = await staff("moderator");
    await moderator.goto("/staff/moderation");
    await filterQueue(moderator, { reason: "Akun baru", project: place.project.title });
    const item = queueItem(moderator, text);
    await expect(item).toHaveCount(1);
    const [itemId, version] = ((await item.getByRole("checkbox", { name: /^Pilih/ }).getAttribute("value")) ?? "").split(":");
    expect(Number(itemId)).toBeGreaterThan(0);

    // A resident with a valid session and our Origin posts the staff action directly: 403 from the rule.
    const attempts: Record<string, string>[] = [
      { intent: "approve", itemId: itemId!, version: version! },
      { intent: "bulk-approve", item: `${itemId}:${version}` },
    ];
    for (const form of attempts) {
      const refused = await residentPage.request.post("/staff/moderation", { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
      expect(refused.status(), `resident posting ${form.intent}`).toBe(403);
      expect(await refused.text()).toContain("Akses ditolak");
    }
    // Nothing changed: still waiting, still hidden from the public.
    await moderator.reload();
    await expect(item).toHaveCount(1);
    await expect(item.getByRole("checkbox", { name: /^Pilih/ })).toHaveAttribute("value", `${itemId}:${version}`);
    const visitor = await (await newContext()).newPage();
    await visitor.goto(`${path}?comment=${commentId}`);
    await expect(visitor.getByRole("heading", { level: 2, name: /^Komentar \(/ })).toBeVisible();
    await expect(commentWith(visitor, text)).toHaveCount(0);

    // Rejecting with no reason and no template: the message at the field, and nothing changes.
    expectStatus(moderator, 400);
    await item.getByRole("button", { name: `Tolak Komentar #${commentId}` }).click();
    const reason = item.getByLabel("Alasan untuk penulis");
    await expect(reason).toHaveAccessibleDescription("Tuliskan alasan atau pilih salah satu templat alasan. Penulis akan membacanya.");
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(moderator.getByRole("status").filter({ hasText: "Ditolak" })).toHaveCount(0);
    await moderator.goto(pathOf(moderator.url()));
    await expect(item).toHaveCount(1);
    await expect(item.getByText("Ditahan, belum tampil", { exact: true })).toBeVisible();
    await expect(item.getByRole("checkbox", { name: /^Pilih/ })).toHaveAttribute("value", `${itemId}:${version}`);
    await residentPage.goto("/account/decisions");
    await expect(residentPage.getByRole("listitem").filter({ hasText: text }).getByText("Menunggu tinjauan", { exact: true })).toBeVisible();

    // A negative hide threshold: the message, the typed value kept, the setting unchanged.
    const admin = await staff("admin");
    await admin.goto("/staff/settings");
    const threshold = admin.getByLabel("Ambang penyembunyian");
    const saved = await threshold.inputValue();
    expect(saved).toMatch(/^\d+$/);
    expectStatus(admin, 400);
    await threshold.fill("-1");
    await admin.getByRole("button", { name: "Simpan pengaturan" }).click();
    const summary = admin.getByRole("alert").filter({ hasText: "Ada isian yang perlu diperbaiki" });
    await expect(summary.getByRole("link")).toHaveText(["Ambang penyembunyian: Harus antara 1 dan 1000."]);
    await expect(summary).toContainText("Belum ada pengaturan yang diubah.");
    await expect(threshold).toHaveValue("-1");
    await expect(threshold).toHaveAttribute("aria-invalid", "true");
    await expect(threshold).toHaveAccessibleDescription(/Harus antara 1 dan 1000\./);
    await expect(admin.getByRole("status").filter({ hasText: "Tersimpan" })).toHaveCount(0);
    await admin.goto("/staff/settings");
    await expect(threshold).toHaveValue(saved);
    await admin.goto("/moderation");
    await expect(admin.getByText(new RegExp(`berumur setidaknya \\d+ hari mencapai ${saved}, tulisan disembunyikan`))).toBeVisible();
  });
});

// ---------------------------------------------------------------------------------------------
// Keyboard helpers
// ---------------------------------------------------------------------------------------------

/** Resolves once React has hydrated the page and run its effects (keyboard shortcuts listen from then on). */
async function waitForHydration(page: Page) {
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/**
 * Runs in the page: what has focus, whether the person can see where it is (it matches
 * :focus-visible and the style draws an outline or a ring), whether it is in the footer, and
 * whether it is `wanted`.
 */
function focusCheck(wanted: Element | null) {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body || el === document.documentElement)
    return { visible: false, what: "nothing (the document)", inFooter: false, isTarget: false };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const label = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
  return {
    visible: el.matches(":focus-visible") && (outline || shadow),
    what: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}> ${label}`,
    inFooter: Boolean(el.closest("footer")),
    isTarget: wanted !== null && el === wanted,
  };
}

async function focusState(page: Page) {
  return page.evaluate(focusCheck, null);
}

async function expectFocusVisible(page: Page) {
  const state = await focusState(page);
  expect(state.visible, `focus is visible on ${state.what}`).toBe(true);
}

/** Presses Tab (or Shift+Tab) until `target` has focus, checking at each step that focus is visible. */
async function tabTo(page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab", max = 250) {
  const handle = await target.elementHandle();
  try {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      const state = await page.evaluate(focusCheck, handle);
      expect(state.visible, `focus is visible on ${state.what} (${key} ${i + 1})`).toBe(true);
      if (state.isTarget) return;
    }
  } finally {
    await handle?.dispose();
  }
  throw new Error(`${key} did not reach ${target} in ${max} presses`);
}

/** Presses Tab until focus is in the footer: no keyboard trap on the way; focus visible at each step. */
async function tabToFooter(page: Page, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const state = await page.evaluate(focusCheck, null);
    expect(state.visible, `focus is visible on ${state.what} (Tab ${i + 1})`).toBe(true);
    if (state.inFooter) return;
  }
  throw new Error(`Tab did not reach the footer in ${max} presses: a keyboard trap?`);
}
