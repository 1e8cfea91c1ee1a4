import type { LoaderFunctionArgs } from "@remix-run/node";
import { getApiProject } from "~/projects/open-data.server";
import { apiJson, apiOptions, siteOrigin } from "~/http/open-data.server";

/** GET /api/v1/projects/:slug — one published project. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const project = await getApiProject(context.db, params.slug ?? "", siteOrigin(request, context));
  if (!project) return apiJson({ error: "not_found" }, 404);
  return apiJson({ data: project });
}

/** Read-only: a POST changes nothing and is answered 405 (OPTIONS answers CORS preflights). */
export const intents = [] as const;
export const action = apiOptions;
