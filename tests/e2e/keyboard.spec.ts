import type { ElementHandle, Locator, Page } from "@playwright/test";
import { expect, expectStatus, test, unique } from "./fixtures";
import { linkTo, waitForMail } from "./mailbox";

/**
 * A resident who uses only the keyboard: skip link, registration, the verification mail, a vote,
 * a comment and a report on another resident's comment, in both projects (without JavaScript the
 * same keys work: everything is a link, a button or a form). At every Tab stop focus must be
 * visible; Tab from the last field reaches the footer (no trap).
 */
const PLACES = {
  js: {
    /** An open consultation whose tally no other spec reads. */
    vote: "normalisasi-saluran-drainase-jalan-cibeureum",
    slug: "pelebaran-jalan-raya-sindanglaya",
    thread: "Kemacetan selama dua tahun pembangunan",
    /** A seeded comment by another resident, which no other spec reports. */
    reported: "Bisakah pekerjaan utama dilakukan malam hari",
  },
  nojs: {
    vote: "taman-tematik-dan-ruang-terbuka-hijau-babakan-asih",
    slug: "rusunawa-margahayu",
    thread: "Apakah air tanah kami akan terganggu?",
    reported: "Harus dipastikan rusunawa tersambung ke PDAM",
  },
} as const;

/** Runs in the page: what has focus and whether the person can see it. */
function focusCheck(wanted: Element | null) {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body || el === document.documentElement)
    return { visible: false, indicator: false, what: "nothing (the document)", inFooter: false, isTarget: false };
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const label = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60);
  return {
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden" && Number(style.opacity) > 0,
    indicator: outline || shadow,
    what: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("name") ? ` name=${el.getAttribute("name")}` : ""}> ${label}`,
    inFooter: Boolean(el.closest("footer")),
    isTarget: wanted !== null && el === wanted,
  };
}

async function expectFocusShown(page: Page, step: string, wanted: ElementHandle<Element> | null = null) {
  const state = await page.evaluate(focusCheck, wanted);
  expect(state.visible, `focused element is visible: ${state.what} (${step})`).toBe(true);
  expect(state.indicator, `focus indicator on ${state.what} (${step})`).toBe(true);
  return state;
}

/** Presses Tab until `target` has focus, checking every stop. */
async function tabTo(page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab", max = 250) {
  await expect(target).toBeAttached();
  const handle = await target.elementHandle();
  try {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      const state = await expectFocusShown(page, `${key} ${i + 1} towards ${target}`, handle);
      if (state.isTarget) return;
    }
  } finally {
    await handle?.dispose();
  }
  throw new Error(`${key} did not reach ${target} in ${max} presses`);
}

/** Tab from where focus is until it lands in the footer: no keyboard trap on the way. */
async function tabToFooter(page: Page, max = 300) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const state = await expectFocusShown(page, `Tab ${i + 1} towards the footer`);
    if (state.inFooter) return;
  }
  throw new Error(`Tab did not reach the footer in ${max} presses: a keyboard trap?`);
}

test("the skip link comes first, shows itself and moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Langsung ke konten utama" });
  await expect(skip).toBeFocused();
  await expectFocusShown(page, "skip link");
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("a resident registers, votes, comments and reports a comment with the keyboard only", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const place = PLACES[testInfo.project.name as keyof typeof PLACES];
  const id = unique("papan-ketik");
  const resident = { name: `Warga ${id}`, email: `${id}@contoh.id`, password: "hujan-deras-di-gang-31" };

  // Registration: Tab between the fields, type, Enter sends.
  await page.goto("/register");
  await tabTo(page, page.getByLabel("Nama tampilan"));
  await page.keyboard.type(resident.name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Alamat e-mail")).toBeFocused();
  await page.keyboard.type(resident.email);
  await tabTo(page, page.getByLabel("Kata sandi"));
  await page.keyboard.type(resident.password);
  // No trap: from the last field Tab goes on to the footer; then back to the password to send.
  await tabToFooter(page);
  await tabTo(page, page.getByLabel("Kata sandi"), "Shift+Tab");
  await page.keyboard.press("Enter");
  // Sign-up signs no one in (its answer is the same for a registered address): "check your inbox".
  await expect(page.getByRole("heading", { level: 1, name: "Periksa kotak masuk Anda" })).toBeVisible();

  // The mail's link, opened by address; the confirm button by keyboard.
  const mail = await waitForMail(resident.email, { subject: /Konfirmasi alamat e-mail/ });
  await page.goto(linkTo(mail, "/verify-email/"));
  await tabTo(page, page.getByRole("button", { name: "Konfirmasi alamat e-mail saya" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Alamat e-mail terkonfirmasi" })).toBeVisible();

  // Sign in: Tab between the fields, type, Enter sends.
  await page.goto("/login");
  await tabTo(page, page.getByLabel("Alamat e-mail"));
  await page.keyboard.type(resident.email);
  await tabTo(page, page.getByLabel("Kata sandi", { exact: true }));
  await page.keyboard.type(resident.password);
  await page.keyboard.press("Enter");
  await expect(page.getByText(`Masuk sebagai ${resident.name}`)).toBeVisible();

  // Vote: Tab into the radio group, arrow to a choice, Tab to the button, Enter.
  await page.goto(`/projects/${place.vote}`);
  const radios = page.getByRole("radio");
  await tabTo(page, radios.first());
  await page.keyboard.press("ArrowDown");
  const chosen = page.getByRole("radio", { checked: true });
  await expect(chosen).toHaveCount(1);
  await expect(chosen).toBeFocused();
  await expectFocusShown(page, "chosen radio");
  const choice = (await chosen.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? ""))
    .replace(/\s+/g, " ")
    .trim();
  expect(choice).not.toBe("");
  await tabTo(page, page.getByRole("button", { name: "Kirim suara" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Suara Anda tercatat" })).toHaveText(`Suara Anda tercatat: ${choice}.`);

  // Comment on a thread.
  await page.goto(`/projects/${place.slug}`);
  await tabTo(page, page.getByRole("link", { name: place.thread, exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: place.thread })).toBeVisible();
  const form = page.getByRole("form", { name: "Tulis komentar" });
  const text = `Mohon jadwal pertemuan warga diumumkan lebih awal. (${id})`;
  await tabTo(page, form.getByLabel("Komentar Anda"));
  await page.keyboard.type(text);
  await tabTo(page, form.getByRole("button", { name: "Kirim komentar" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]comment=\d+/);
  await expect(page.getByText(text)).toBeVisible();

  // Report another resident's comment: the "Laporkan" link, a reason by arrow key, Enter.
  const other = page.getByRole("article").filter({ hasText: place.reported }).last();
  // The comment form is below the comments: back up with Shift+Tab.
  await tabTo(page, other.getByRole("link", { name: /^Laporkan — / }), "Shift+Tab");
  await page.keyboard.press("Enter");
  const flag = page.getByRole("form", { name: "Laporkan tulisan ini ke moderator" });
  await expect(flag).toBeVisible();
  await tabTo(page, flag.getByRole("radio").first());
  await page.keyboard.press("ArrowDown");
  await expect(flag.getByRole("radio", { checked: true })).toBeFocused();
  await tabTo(page, flag.getByRole("button", { name: "Kirim laporan" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Terima kasih." })).toHaveText(
    "Terima kasih. Laporan Anda sudah diterima dan akan ditinjau moderator.",
  );
});

test("a refused form shows its error message, and with JavaScript focus moves to it", async ({ page, javaScriptEnabled }) => {
  await page.goto("/login");
  expectStatus(page, 400);
  await tabTo(page, page.getByLabel("Alamat e-mail"));
  await page.keyboard.type(`${unique("tidak-ada")}@contoh.id`);
  await tabTo(page, page.getByLabel("Kata sandi", { exact: true }));
  await page.keyboard.type("bukan-kata-sandinya-99");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("E-mail atau kata sandi salah.");
  // Without JavaScript the new page starts at the top; the alert is its first message.
  if (!javaScriptEnabled) return;
  await expect
    .poll(() =>
      page.evaluate(() => {
        const el = document.activeElement;
        return Boolean(el && (el.getAttribute("role") === "alert" || el.closest("[role=alert]") || /summary/.test(el.className) || el.id.includes("summary")));
      }),
    )
    .toBe(true);
});
