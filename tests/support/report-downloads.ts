import type { AppLoadContext } from "@remix-run/node";
import type { Readable } from "node:stream";
import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";

/** The load context a report download sees: a signed-in user, the database and its file, English. */
export function downloadContext(db: AppDb, databaseUrl: string, user: User, cityTimezone = "Asia/Jakarta"): AppLoadContext {
  return {
    db,
    session: { sessionId: "s", user },
    config: { siteUrl: null, cityTimezone, demo: true, production: false, secureCookies: false, databaseUrl },
    requestId: "t",
    cspNonce: "n",
    clientAddress: "127.0.0.1",
    locale: "en",
  } as AppLoadContext;
}

/** A download's stream, read to the end, as UTF-8 text. */
export async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
