import type { LoaderFunctionArgs } from "@remix-run/node";
import { projectDownload } from "~/http/reports.server";

/** GET /staff/projects/:slug/report/report.xlsx — a sheet per table of the report, plus the comments. */
export const loader = (args: LoaderFunctionArgs) => projectDownload(args, "workbook");
