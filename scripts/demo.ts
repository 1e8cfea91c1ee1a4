import { spawn } from "node:child_process";
import { buildIfNeeded } from "./build-if-needed";

// `npm run demo`: build if needed, then serve with the demo city seeded into an empty database.
buildIfNeeded();
const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
  cwd: new URL("..", import.meta.url).pathname,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", REMBUG_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
