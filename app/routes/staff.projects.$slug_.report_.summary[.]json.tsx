import type { LoaderFunctionArgs } from "@remix-run/node";
import { projectDownload } from "~/http/reports.server";

/** GET /staff/projects/:slug/report/summary.json — every figure of the report (schema in docs/reports.md). */
export const loader = (args: LoaderFunctionArgs) => projectDownload(args, "summary");
