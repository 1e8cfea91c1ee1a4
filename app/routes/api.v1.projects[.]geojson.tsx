import type { LoaderFunctionArgs } from "@remix-run/node";
import { projectsGeoJson } from "~/projects/open-data.server";
import { apiJson, apiOptions, siteOrigin } from "~/http/open-data.server";

/** GET /api/v1/projects.geojson — published projects with a location. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return apiJson(await projectsGeoJson(context.db, siteOrigin(request, context)), 200, "application/geo+json; charset=utf-8");
}

/** Read-only: a POST changes nothing and is answered 405 (OPTIONS answers CORS preflights). */
export const intents = [] as const;
export const action = apiOptions;
