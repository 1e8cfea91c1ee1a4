import type { LoaderFunctionArgs } from "@remix-run/node";
import { translationsDocument } from "~/http/i18n-resource.server";
import { isLocale } from "~/i18n/locale";
import { encodedResponse } from "~/http/encoded-body.server";

/**
 * GET /i18n/<locale>-<audience>-<hash>.json: the strings a browser needs, compressed once. The hash
 * names the content, so the current one is cached for a year; a stale hash (a page from before a
 * deploy) gets the current strings without long caching.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const m = /^([a-z]{2})-(public|staff)-([0-9a-f]{12})\.json$/.exec(params.file ?? "");
  if (!m || !isLocale(m[1])) throw new Response("Not found", { status: 404 });
  const doc = translationsDocument(m[1], m[2] as "public" | "staff");
  const out = encodedResponse(
    await doc.encoded,
    { acceptEncoding: request.headers.get("accept-encoding"), ifNoneMatch: request.headers.get("if-none-match") },
    {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": doc.hash === m[3] ? "public, max-age=31536000, immutable" : "no-cache",
    },
  );
  return new Response(out.body ? new Uint8Array(out.body) : null, { status: out.status, headers: out.headers });
}
