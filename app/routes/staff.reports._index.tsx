import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { ProjectFiguresTable } from "~/projects/ProjectFiguresTable";
import { assertReportReader } from "~/reports/access.server";
import { listProjectHeadlines } from "~/reports/overview.server";
import reportStyles from "~/reports/report.css?url";
import { orThrowResponse } from "~/http/domain-response.server";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reports.city.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  orThrowResponse(() => assertReportReader(actor));
  return { ...(await listProjectHeadlines(context.db, pageParam(new URL(request.url)))), generatedAt: new Date().toISOString() };
}

export default function CityReports() {
  const { t } = useTranslation();
  const f = useFormat();
  const { rows, total, page, pageCount, generatedAt } = useLoaderData<typeof loader>();
  return (
    <div className="report">
      <h1>{t("reports.city.title")}</h1>
      <p>{t("reports.city.lead")}</p>
      <p className="report__meta">
        {t("reports.page.generated", { date: f.dateTime(generatedAt) })} {t("reports.page.publishedOnly")}
      </p>
      <nav className="report-downloads" aria-labelledby="city-downloads-title">
        <h2 id="city-downloads-title">{t("reports.downloads.title")}</h2>
        <ul>
          <li>
            <a href="/staff/reports/projects.csv" download>
              {t("reports.city.projectsCsv")}
            </a>
          </li>
          <li>
            <a href="/staff/reports/comments.csv" download>
              {t("reports.city.commentsCsv")}
            </a>
          </li>
        </ul>
      </nav>
      <p>{t("reports.city.count", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <ProjectFiguresTable
          rows={rows}
          caption={t("reports.city.caption", { page, pageCount })}
          captionId="city-caption"
          regionClassName="report-table"
          projectLabel={t("reports.city.project")}
          phaseLabel={t("reports.city.phase")}
          href={(p) => `/staff/projects/${p.slug}/report`}
          columns={[
            { label: t("reports.headline.participants"), figure: (p) => p.headline.participants },
            { label: t("reports.headline.threads"), figure: (p) => p.headline.threads },
            { label: t("reports.headline.comments"), figure: (p) => p.headline.comments },
            { label: t("reports.headline.proposals"), figure: (p) => p.headline.proposals },
            { label: t("reports.headline.supports"), figure: (p) => p.headline.supports },
            { label: t("reports.headline.ballots"), figure: (p) => p.headline.ballots.support + p.headline.ballots.oppose + p.headline.ballots.abstain },
            { label: t("reports.headline.followers"), figure: (p) => p.headline.followers },
          ]}
        />
      ) : (
        <p>{t("reports.city.none")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
