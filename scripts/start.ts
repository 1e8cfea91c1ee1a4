import { existsSync } from "node:fs";

// `npm start`: a real deployment. It never builds or seeds; it migrates on start (server/index.ts).
if (!existsSync(new URL("../build/server/index.js", import.meta.url))) {
  console.error("No build found. Run `npm run build` first, then `npm start`.");
  process.exit(1);
}
process.env.NODE_ENV = "production";
await import("../server/index");
