import type { LoaderFunctionArgs } from "@remix-run/node";
import { listApiProjects } from "~/projects/open-data.server";
import { apiJson, apiOptions, parseApiQuery, siteOrigin } from "~/http/open-data.server";

/** GET /api/v1/projects — published projects, paginated (documented in the README). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = parseApiQuery(url);
  if (!parsed.ok) return apiJson({ error: "invalid_parameter", parameter: parsed.parameter }, 400);
  const { query } = parsed;
  const origin = siteOrigin(request, context);
  const result = await listApiProjects(context.db, query, origin);
  const link = (page: number) => {
    const next = new URL(`${origin}/api/v1/projects`);
    url.searchParams.forEach((v, k) => next.searchParams.set(k, v));
    next.searchParams.set("page", String(page));
    return next.toString();
  };
  return apiJson({
    data: result.data,
    page: query.page,
    pageSize: query.pageSize,
    total: result.total,
    pageCount: result.pageCount,
    links: {
      next: query.page < result.pageCount ? link(query.page + 1) : null,
      prev: query.page > 1 ? link(query.page - 1) : null,
    },
  });
}

/** Read-only: a POST changes nothing and is answered 405 (OPTIONS answers CORS preflights). */
export const intents = [] as const;
export const action = apiOptions;
