import type { LoaderFunctionArgs } from "@remix-run/node";
import { cityDownload } from "~/http/reports.server";

/** GET /staff/reports/projects.csv — city-wide (docs/reports.md). */
export const loader = (args: LoaderFunctionArgs) => cityDownload(args, "projects");
