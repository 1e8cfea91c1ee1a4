/**
 * Renders the home-screen icons (public/icons/*.png) from the SVGs with headless Chromium, so the
 * PNGs can be made again after the artwork changes: `node --import tsx scripts/make-icons.ts`.
 * The "any" icons are public/favicon.svg; the maskable ones keep the mark inside the safe zone.
 */
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findChromium } from "./find-chromium";

const pub = fileURLToPath(new URL("../public/", import.meta.url));
const ICONS: { source: string; out: string; size: number }[] = [
  { source: "favicon.svg", out: "icons/icon-192.png", size: 192 },
  { source: "favicon.svg", out: "icons/icon-512.png", size: 512 },
  { source: "icons/icon-maskable.svg", out: "icons/icon-maskable-512.png", size: 512 },
  { source: "icons/icon-maskable.svg", out: "icons/apple-touch-icon.png", size: 180 },
];

const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
for (const icon of ICONS) {
  const svg = readFileSync(pub + icon.source, "utf8");
  await page.setViewportSize({ width: icon.size, height: icon.size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${icon.size}" height="${icon.size}" `)}</body></html>`,
  );
  await page.screenshot({ path: pub + icon.out, omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
  console.log(`${icon.out} (${icon.size}×${icon.size})`);
}
await browser.close();
