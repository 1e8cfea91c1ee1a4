import type { AppLoadContext } from "@remix-run/node";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

/** JSON for the open data API: CORS open for reading, cacheable for a minute. */
export function apiJson(body: unknown, status = 200, contentType = "application/json; charset=utf-8") {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS, "Content-Type": contentType, "Cache-Control": status === 200 ? "public, max-age=60" : "no-store" },
  });
}

/** The API is read-only: OPTIONS answers a CORS preflight, any other method is refused. */
export async function apiOptions({ request }: { request: Request }) {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  return new Response(JSON.stringify({ error: "method_not_allowed" }), {
    status: 405,
    headers: { ...CORS, Allow: "GET, HEAD, OPTIONS", "Content-Type": "application/json; charset=utf-8" },
  });
}

export function siteOrigin(request: Request, context: Pick<AppLoadContext, "config">) {
  return context.config.siteUrl ?? new URL(request.url).origin;
}
