const { chromium } = require("playwright-core");
const fs = require("fs");
const B = "http://localhost:3600";
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
async function login(ctx, email) {
  const page = await ctx.newPage();
  await page.goto(`${B}/login`);
  await page.fill("#field-email", email);
  await page.fill("#field-password", "demo-rembug-2026");
  await page.click('main button[type="submit"]');
  await page.waitForLoadState("networkidle");
  return page;
}
async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(async () => await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
  console.log(`axe ${label}:`, r.violations.map((v) => `${v.id} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(" | ")}`));
}
const active = (page) => page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName}#${a.id}${a.getAttribute("data-shortcut") ? "[" + a.getAttribute("data-shortcut") + "]" : ""}` : null; });
(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, bypassCSP: true });
  const errors = [];
  ctx.on("page", (p) => { p.on("console", (m) => m.type() === "error" && errors.push(m.text())); p.on("pageerror", (e) => errors.push(String(e))); });
  const page = await login(ctx, "moderator@demo.rembug.id");
  await page.goto(`${B}/staff/moderation`);
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, wide: [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest(".table-wrap")).slice(0, 5).map((e) => e.tagName + "." + e.className) }));
  console.log("overflow", JSON.stringify(overflow));
  await page.screenshot({ path: "/tmp/mod/queue-360.png", fullPage: false });
  await axe(page, "queue");
  await page.keyboard.press("j"); console.log("j ->", await active(page));
  await page.keyboard.press("j"); console.log("j ->", await active(page));
  await page.keyboard.press("k"); console.log("k ->", await active(page));
  await page.screenshot({ path: "/tmp/mod/queue-focus.png" });
  await page.keyboard.press("x"); console.log("x -> checked:", await page.evaluate(() => document.activeElement.querySelector('[data-shortcut=select]').checked));
  await page.keyboard.press("x"); console.log("x -> checked:", await page.evaluate(() => document.activeElement.querySelector('[data-shortcut=select]').checked));
  await page.keyboard.press("?"); console.log("? -> open:", await page.evaluate(() => document.querySelector(".queue-help").open), await active(page));
  await page.keyboard.press("?"); console.log("? -> open:", await page.evaluate(() => document.querySelector(".queue-help").open));
  // approve the first item with "a"
  await page.keyboard.press("j");
  const first = await active(page);
  console.log("focused", first);
  const firstId = await page.evaluate(() => document.activeElement.id);
  const secondId = await page.evaluate(() => document.querySelectorAll("[data-queue-item]")[1].id);
  await page.keyboard.press("a");
  await page.waitForFunction(() => document.querySelector(".mod-status").textContent.trim().length > 0);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  console.log("after a: status=", await page.textContent(".mod-status"), "focus=", await active(page), "expected", secondId, "gone:", !(await page.$("#" + firstId)));
  // r: reason select, choose a template with arrows, Tab to Tolak, Enter
  const cur = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.press("r"); console.log("r ->", await active(page));
  await page.keyboard.press("j"); console.log("j while in select ->", await active(page));
  await page.keyboard.press("ArrowDown");
  console.log("template value", await page.evaluate(() => document.activeElement.value));
  await page.keyboard.press("Tab"); console.log("Tab ->", await active(page));
  await page.keyboard.type("jkax"); console.log("typed in textarea ->", await active(page), await page.evaluate(() => document.activeElement.value));
  await page.keyboard.press("Control+A"); await page.keyboard.press("Backspace");
  await page.keyboard.press("Tab"); console.log("Tab ->", await active(page), await page.evaluate(() => document.activeElement.textContent));
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => !document.getElementById(id), cur);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  console.log("after reject: status=", await page.textContent(".mod-status"), "focus=", await active(page));
  // stale: another moderator (admin) decides the focused item meanwhile
  const target = await page.evaluate(() => document.activeElement.id);
  const ctx2 = await browser.newContext({ bypassCSP: true });
  const p2 = await login(ctx2, "admin@demo.rembug.id");
  await p2.goto(`${B}/staff/moderation`);
  await p2.click(`#${target} button[value=approve]`);
  await p2.waitForLoadState("networkidle");
  await p2.waitForTimeout(300);
  console.log("admin status:", await p2.textContent(".mod-status"));
  await page.keyboard.press("a");
  await page.waitForSelector(`#${target} [role=alert], .notice--error`, { timeout: 5000 }).catch(() => null);
  await page.waitForTimeout(500);
  console.log("stale: alerts=", await page.$$eval("[role=alert]", (els) => els.map((e) => e.textContent)), "focus=", await active(page));
  // bulk reject without a reason: refused, selection kept, focus on the reason
  await page.keyboard.press("j"); await page.keyboard.press("x");
  await page.click("button[value=bulk-reject]");
  await page.waitForLoadState("networkidle"); await page.waitForTimeout(300);
  console.log("bulk no reason:", await page.$$eval("[role=alert]", (els) => els.map((e) => e.textContent)), "focus=", await active(page), "checked:", await page.$$eval("[data-shortcut=select]:checked", (els) => els.length));
  await page.evaluate(() => document.querySelectorAll("[data-shortcut=select]:checked").forEach((e) => (e.checked = false)));
  await page.focus(".queue-item");
  // bulk: select two with x, reject with template
  await page.keyboard.press("j"); await page.keyboard.press("x"); await page.keyboard.press("j"); await page.keyboard.press("x");
  await page.selectOption("#bulk-template", "spam");
  await page.click("button[value=bulk-reject]");
  await page.waitForLoadState("networkidle"); await page.waitForTimeout(300);
  console.log("bulk status:", (await page.textContent(".mod-status")).trim(), "focus=", await active(page));
  await page.screenshot({ path: "/tmp/mod/queue-after.png" });
  for (const path of ["/staff/moderation/log", "/staff/moderation/suspensions", "/moderation", "/staff/moderation?status=rejected"]) {
    await page.goto(B + path); await page.waitForLoadState("networkidle");
    const ov = await page.evaluate(() => [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest(".table-wrap")).slice(0, 5).map((e) => e.tagName + "." + e.className));
    console.log(path, "overflow:", ov, "scrollWidth", await page.evaluate(() => document.documentElement.scrollWidth));
    await axe(page, path);
    await page.screenshot({ path: `/tmp/mod/shot-${path.replace(/[^a-z]/g, "_")}.png`, fullPage: false });
  }
  const admin = p2;
  await admin.setViewportSize({ width: 360, height: 740 });
  await admin.goto(`${B}/staff/settings`); await admin.fill("#setting-linkLimit", "-4"); await admin.click("main button[type=submit]");
  await admin.waitForLoadState("networkidle"); await admin.waitForTimeout(300);
  console.log("settings bad:", await admin.textContent(".error-summary"), "focus", await active(admin), "value", await admin.inputValue("#setting-linkLimit"));
  await axe(admin, "settings");
  await admin.screenshot({ path: "/tmp/mod/settings.png" });
  const res = await login(await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true }), "nurul.hidayah@warga.demo.rembug.id");
  await res.goto(`${B}/account/decisions`); await res.waitForLoadState("networkidle");
  await axe(res, "decisions");
  console.log("decisions overflow", await res.evaluate(() => document.documentElement.scrollWidth));
  console.log("errors:", errors);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
