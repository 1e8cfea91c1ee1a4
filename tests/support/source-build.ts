import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * The app's own routes as a server build, compiled from the sources by Vite (as `npm run dev`
 * does) instead of read from build/: for HTTP tests of the real app that must see the working
 * tree without a production build. No file watcher, no HMR socket, a private cache folder.
 */
export async function sourceBuild(): Promise<{ build: ServerBuild; close: () => Promise<void> }> {
  const { createServer } = await import("vite");
  const vite = await createServer({
    root: ROOT,
    configFile: join(ROOT, "vite.config.ts"),
    cacheDir: mkdtempSync(join(tmpdir(), "rembug-vite-")),
    server: { middlewareMode: true, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
    appType: "custom",
    logLevel: "warn",
  });
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  return { build, close: () => vite.close() };
}
