import type { LoaderFunctionArgs } from "@remix-run/node";
import { translationsDocument } from "~/i18n/resource.server";
import { isLocale } from "~/i18n/locale";

/**
 * GET /i18n/<locale>-<hash>.json: the language's strings. The hash names the content, so the
 * current one is cached for a year; a stale hash (a page from before a deploy) gets the current
 * strings without long caching.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const m = /^([a-z]{2})-([0-9a-f]{12})\.json$/.exec(params.file ?? "");
  if (!m || !isLocale(m[1])) throw new Response("Not found", { status: 404 });
  const doc = translationsDocument(m[1]);
  return new Response(doc.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": doc.hash === m[2] ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
