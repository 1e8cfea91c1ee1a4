import type { LoaderFunctionArgs } from "@remix-run/node";
import { cityDownload } from "~/http/reports.server";

/** GET /staff/reports/comments.csv — city-wide (docs/reports.md). */
export const loader = (args: LoaderFunctionArgs) => cityDownload(args, "comments");
