import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/accounts/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { PhaseBadge } from "~/projects/ProjectCard";
import { assertReportReader } from "~/reports/access.server";
import { listProjectHeadlines } from "~/reports/overview.server";
import reportStyles from "~/reports/report.css?url";
import { orThrowResponse } from "~/ui/domain-response.server";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reports.city.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireRole(request, context, PLANNER_ROLES);
  orThrowResponse(() => assertReportReader(actor));
  return { ...listProjectHeadlines(context.db, pageParam(new URL(request.url))), generatedAt: new Date().toISOString() };
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
        <div className="table-wrap report-table" role="region" aria-labelledby="city-caption" tabIndex={0}>
          <table>
            <caption id="city-caption">{t("reports.city.caption", { page, pageCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reports.city.project")}</th>
                <th scope="col">{t("reports.city.phase")}</th>
                <th scope="col" className="num">
                  {t("reports.headline.participants")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.threads")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.comments")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.proposals")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.supports")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.ballots")}
                </th>
                <th scope="col" className="num">
                  {t("reports.headline.followers")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.slug}>
                  <th scope="row">
                    <Link to={`/staff/projects/${p.slug}/report`}>{p.title}</Link>
                  </th>
                  <td>
                    <PhaseBadge phase={p.phase} />
                  </td>
                  <td className="num">{f.number(p.headline.participants)}</td>
                  <td className="num">{f.number(p.headline.threads)}</td>
                  <td className="num">{f.number(p.headline.comments)}</td>
                  <td className="num">{f.number(p.headline.proposals)}</td>
                  <td className="num">{f.number(p.headline.supports)}</td>
                  <td className="num">{f.number(p.headline.ballots.support + p.headline.ballots.oppose + p.headline.ballots.abstain)}</td>
                  <td className="num">{f.number(p.headline.followers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("reports.city.none")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
