import { createReadableStreamFromReadable, type AppLoadContext } from "@remix-run/node";
import { requireRole } from "~/http/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { getT } from "~/i18n/i18n.server";
import { siteOrigin } from "~/http/open-data.server";
import { orThrowResponse } from "~/http/domain-response.server";
import { assertReportExporter, reportProject } from "~/reports/access.server";
import {
  COMMENT_COLUMNS,
  exportCityCommentsCsv,
  exportCityProjectsCsv,
  exportCommentsCsv,
  exportProposalsCsv,
  exportTalliesCsv,
  logExport,
  type Download,
  type ExportContext,
} from "~/reports/exports.server";
import { reportFigures } from "~/reports/figures.server";
import { listingRefusal, type ListingFile } from "~/reports/filters.server";
import { parseReportFilters, type ParsedFilters } from "~/http/report-filters.server";
import { pseudonymSecret } from "~/reports/pseudonyms.server";
import { reportSummary } from "~/reports/summary.server";
import { loadThemes, themeStatus } from "~/reports/themes.server";
import { exportReportXlsx, workbookTables } from "~/reports/xlsx.server";

/**
 * The HTTP side of the downloads, shared by the thin resource routes: guard, parse the filters
 * (refusing bad ones with a translated 400), log, and answer with a streamed file.
 */

export type ProjectFile = "comments" | "proposals" | "tallies" | "summary" | "workbook";
export type CityFile = "projects" | "comments";

/** The file's name as the routes and the log give it: comments.csv, summary.json, report.xlsx. */
export function fileName(kind: ProjectFile | CityFile): string {
  if (kind === "summary") return "summary.json";
  if (kind === "workbook") return "report.xlsx";
  return `${kind}.csv`;
}

/**
 * orThrowResponse for a domain call that returns a promise: a DomainError it rejects with becomes
 * an error page of its status, as orThrowResponse makes of a thrown one.
 */
export function orThrowResponseAsync<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) =>
    orThrowResponse<T>(() => {
      throw error;
    }),
  );
}

interface Args {
  request: Request;
  params: { slug?: string };
  context: AppLoadContext;
}

export function downloadResponse(download: Download): Response {
  // RFC 6266: an ASCII fallback name and the exact UTF-8 one.
  const ascii = download.filename.replace(/[^\w.-]+/g, "_");
  return new Response(createReadableStreamFromReadable(download.stream), {
    status: 200,
    headers: {
      "Content-Type": download.contentType,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.filename)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A refused filter: 400 with the messages in the reader's language, as plain text. */
function badFilters(context: AppLoadContext, parsed: Pick<Extract<ParsedFilters, { ok: false }>, "errors">): Response {
  const t = getT(context);
  const lines = Object.values(parsed.errors).map((key) => t(key!));
  return new Response(`${t("reports.filters.refused")}\n${lines.join("\n")}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function exportContext(request: Request, context: AppLoadContext): Promise<ExportContext> {
  return { origin: siteOrigin(request, context), secret: await pseudonymSecret(context.db) };
}

export async function projectDownload({ request, params, context }: Args, file: ProjectFile): Promise<Response> {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  const { db } = context;
  const { project, areaLabel } = await orThrowResponseAsync(reportProject(db, actor, params.slug ?? ""));
  orThrowResponse(() => assertReportExporter(actor));
  const parsed = await parseReportFilters(db, new URL(request.url), context.config.cityTimezone);
  if (!parsed.ok) return badFilters(context, parsed);
  const { filters } = parsed;
  const refusal = file === "comments" || file === "proposals" || file === "tallies" ? listingRefusal(file as ListingFile, filters) : null;
  if (refusal) return badFilters(context, { errors: { kecamatan: refusal } });
  const ctx = await exportContext(request, context);
  const t = getT(context);
  await logExport(db, actor, { type: "project", id: project.id, slug: project.slug }, fileName(file), filters);
  // The figures are read in one snapshot of their own (reportFigures), the themes after them.
  const figuresOf = () => reportFigures(db, project, filters, { areaLabel, timeZone: context.config.cityTimezone });

  switch (file) {
    case "comments":
      return downloadResponse(exportCommentsCsv(db, project, filters, ctx));
    case "proposals":
      return downloadResponse(exportProposalsCsv(db, project, filters, ctx));
    case "tallies": {
      const figures = await figuresOf();
      return downloadResponse(exportTalliesCsv(project, figures, t("reports.participation.noArea"), t("reports.tallies.total")));
    }
    case "summary": {
      const summary = reportSummary(await figuresOf(), await loadThemes(db, project.id), await themeStatus(db, project.id), filters, ctx.origin);
      return new Response(JSON.stringify(summary, null, 2), {
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Disposition": `attachment; filename="${project.slug}-summary.json"`,
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
        },
      });
    }
    case "workbook": {
      const tables = workbookTables(await figuresOf(), await loadThemes(db, project.id), await themeStatus(db, project.id), t);
      const columns = COMMENT_COLUMNS.map((c) => t(`reports.columns.${c}`));
      // A kecamatan's workbook lists no comment: each would say that its named author lives there.
      const note = listingRefusal("comments", filters);
      return downloadResponse(
        exportReportXlsx(db, project, filters, tables, ctx, { name: t("reports.xlsx.sheets.comments"), columns, note: note ? t(note) : undefined }),
      );
    }
  }
}

export async function cityDownload({ request, context }: Omit<Args, "params">, file: CityFile): Promise<Response> {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  const { db } = context;
  orThrowResponse(() => assertReportExporter(actor));
  const parsed = await parseReportFilters(db, new URL(request.url), context.config.cityTimezone);
  if (!parsed.ok) return badFilters(context, parsed);
  const refusal = file === "comments" ? listingRefusal("comments", parsed.filters) : null;
  if (refusal) return badFilters(context, { errors: { kecamatan: refusal } });
  const ctx = await exportContext(request, context);
  await logExport(db, actor, { type: "city", id: null }, fileName(file), parsed.filters);
  return downloadResponse(file === "projects" ? exportCityProjectsCsv(db, ctx) : exportCityCommentsCsv(db, parsed.filters, ctx));
}
