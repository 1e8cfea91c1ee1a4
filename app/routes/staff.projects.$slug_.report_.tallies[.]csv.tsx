import type { LoaderFunctionArgs } from "@remix-run/node";
import { projectDownload } from "~/http/reports.server";

/** GET /staff/projects/:slug/report/tallies.csv — the report's filters apply (docs/reports.md). */
export const loader = (args: LoaderFunctionArgs) => projectDownload(args, "tallies");
