import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listKecamatan, listPublicProjects } from "~/projects/queries.server";
import { parseProjectFilters } from "~/http/project-filters.server";
import { PROJECT_SORTS } from "~/projects/filters";
import { ProjectCard } from "~/projects/ProjectCard";
import { Pagination } from "~/ui/pagination";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { CATEGORIES, PHASES } from "~db/schema/values";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "projects.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const filters = parseProjectFilters(new URL(request.url));
  const result = await listPublicProjects(context.db, filters);
  return { ...result, filters, kecamatan: await listKecamatan(context.db), now: new Date() };
}

export default function Projects() {
  const { rows, total, page, pageCount, filters, kecamatan, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <h1>{t("projects.title")}</h1>
      <Form method="get" action="/projects" className="filters" aria-label={t("projects.filters")}>
        <div className="field">
          <label htmlFor="filter-phase">{t("projects.phase")}</label>
          <select id="filter-phase" name="phase" defaultValue={filters.phase ?? ""}>
            <option value="">{t("projects.allPhases")}</option>
            {PHASES.filter((p) => p !== "draft").map((p) => (
              <option key={p} value={p}>
                {t(`phases.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-area">{t("projects.kecamatan")}</label>
          <select id="filter-area" name="area" defaultValue={filters.kecamatanId ?? ""}>
            <option value="">{t("projects.allAreas")}</option>
            {kecamatan.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-category">{t("projects.category")}</label>
          <select id="filter-category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">{t("projects.allCategories")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">{t("projects.sort")}</label>
          <select id="filter-sort" name="sort" defaultValue={filters.sort}>
            {PROJECT_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`projects.sorts.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("projects.apply")}</button>
      </Form>
      <p role="status">{t("projects.found", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <div className="card-list">
          {rows.map((p) => (
            <ProjectCard key={p.id} project={p} now={now} headingLevel={2} />
          ))}
        </div>
      ) : (
        <p>{t("projects.none")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}
