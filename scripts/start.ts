import { existsSync } from "node:fs";

// `npm start`: a real deployment. It never builds or seeds; it migrates on start (server/index.ts).
if (!existsSync(new URL("../build/server/index.js", import.meta.url))) {
  console.error("No build found. Run `npm run build` first, then `npm start`.");
  process.exit(1);
}
process.env.NODE_ENV = "production";
// Second-factor secrets are encrypted with TWO_FACTOR_KEY: a real deployment must name it, and
// should find out now rather than when an admin first signs in.
if (!/^(1|true|yes)$/i.test(process.env.REMBUG_DEMO ?? "")) {
  const { parseTwoFactorKey } = await import("../app/accounts/two-factor-key.server");
  const key = process.env.TWO_FACTOR_KEY?.trim();
  try {
    if (!key) throw new Error("TWO_FACTOR_KEY is required: 32 random bytes as 64 hex digits, e.g. from `openssl rand -hex 32`");
    parseTwoFactorKey(key);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
await import("../server/index");
