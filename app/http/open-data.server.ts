import type { AppLoadContext } from "@remix-run/node";
import { CATEGORIES, PHASES, type Category, type Phase } from "~db/schema/values";
import { API_PAGE_SIZE_DEFAULT, API_PAGE_SIZE_MAX, type ApiQuery } from "~/projects/open-data.server";

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

/**
 * The API's query parameters, or the name of the first one that is wrong (answered 400
 * `invalid_parameter` with that name).
 */
export function parseApiQuery(url: URL): { ok: true; query: ApiQuery } | { ok: false; parameter: string } {
  const page = url.searchParams.get("page") ?? "1";
  const pageSize = url.searchParams.get("pageSize") ?? String(API_PAGE_SIZE_DEFAULT);
  const phase = url.searchParams.get("phase");
  const category = url.searchParams.get("category");
  if (!/^\d{1,6}$/.test(page) || Number(page) < 1) return { ok: false, parameter: "page" };
  if (!/^\d{1,3}$/.test(pageSize) || Number(pageSize) < 1 || Number(pageSize) > API_PAGE_SIZE_MAX) return { ok: false, parameter: "pageSize" };
  if (phase !== null && (!PHASES.includes(phase as Phase) || phase === "draft")) return { ok: false, parameter: "phase" };
  if (category !== null && !CATEGORIES.includes(category as Category)) return { ok: false, parameter: "category" };
  return { ok: true, query: { page: Number(page), pageSize: Number(pageSize), phase: phase as Phase | null, category: category as Category | null } };
}
