const { chromium } = require("playwright-core");
const B = "http://localhost:3600";
(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: process.argv[2] !== "nojs" });
  const page = await ctx.newPage();
  await page.goto(`${B}/login`);
  await page.fill("#field-email", "moderator@demo.rembug.id");
  await page.fill("#field-password", "demo-rembug-2026");
  await page.click('main button[type="submit"]');
  await page.waitForLoadState("networkidle");
  for (const [path, sel] of [["/staff/moderation/log", ".table-wrap"], ["/moderation", ".transparency"], ["/staff/moderation", ".queue-item__decide"]]) {
    await page.goto(B + path);
    const el = await page.$(sel);
    await el.scrollIntoViewIfNeeded();
    await el.screenshot({ path: `/tmp/mod/el-${path.replace(/[^a-z]/g, "_")}.png` });
  }
  if (process.argv[2] === "nojs") {
    // keyboard-only without JS: Tab to the first "Setujui" and press Enter
    await page.goto(`${B}/staff/moderation`);
    let found = null;
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const txt = await page.evaluate(() => document.activeElement.textContent);
      if (txt.startsWith("Setujui Komentar") || txt.startsWith("Setujui Usulan")) { found = txt; break; }
    }
    console.log("tabbed to", found);
    await page.keyboard.press("Enter");
    await page.waitForLoadState("load");
    console.log("no-JS status:", (await page.textContent(".mod-status")).trim(), page.url());
  }
  await browser.close();
})();
