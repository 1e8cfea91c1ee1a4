import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./ui/nonce";
import { translations } from "./i18n/i18n.server";
import { registerTranslations } from "./i18n/registry";
import { SUPPORTED_LOCALES } from "./i18n/locale";

// The server renders every language, all of its strings; the browser fetches only its page's
// language, for its audience (see app/i18n/registry.ts).
for (const locale of SUPPORTED_LOCALES) registerTranslations(locale, "staff", translations[locale]);

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") || "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(`render error id=${loadContext.requestId}`, error instanceof Error ? error.message : "");
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Unexpected errors are logged with the request id, message only: no request data. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`error id=${context.requestId} ${message.split("\n")[0]}`);
  if (error instanceof Error && error.stack && process.env.NODE_ENV !== "production") console.error(error.stack);
}
