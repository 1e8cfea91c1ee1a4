import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

/**
 * The browser for Playwright: CHROMIUM_PATH, else Debian's chromium, else Playwright's own
 * (installed on first use where the machine has internet). Never silently none.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(candidate)) return candidate;
  return undefined;
}

export function ensureBrowser(): string | undefined {
  const found = findChromium();
  if (found) return found;
  console.log("No system Chromium found; installing Playwright's Chromium (npx playwright install chromium)…");
  try {
    execFileSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
    return undefined; // Playwright finds its own browser.
  } catch {
    throw new Error(
      "No browser for the browser tests. Install one of:\n" +
        "  - Debian/Ubuntu: sudo apt-get install -y chromium\n" +
        "  - any machine with internet: npx playwright install chromium\n" +
        "or set CHROMIUM_PATH to a Chromium executable.",
    );
  }
}
