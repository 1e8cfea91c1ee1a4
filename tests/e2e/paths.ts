import { tmpdir } from "node:os";
import { resolve } from "node:path";

/**
 * The Playwright web server's database and the files it shares with the specs, outside tests/.tmp
 * (which every Vitest run empties, and a Vitest run may start while the browser tests run). One
 * folder per port, so runs on different ports leave each other alone.
 */
export const e2eDir = (port: string | number) => resolve(tmpdir(), `rembug-e2e-${port}`);

/** Where the web server copies everything it prints. */
export const e2eLogFile = (port: string | number) => resolve(e2eDir(port), "server.log");

/** Where it writes each message its SMTP server received, as `<n>.json`. */
export const e2eMailDir = (port: string | number) => resolve(e2eDir(port), "received-mail");

export const e2ePort = () => process.env.E2E_PORT || "3210";
