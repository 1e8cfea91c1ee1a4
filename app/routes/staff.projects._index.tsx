import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/accounts/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { listAllProjects } from "~/projects/projects.server";
import { PhaseBadge } from "~/projects/ProjectCard";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffProjects.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, PLANNER_ROLES);
  return listAllProjects(context.db, pageParam(new URL(request.url)));
}

export default function StaffProjects() {
  const { t } = useTranslation();
  const f = useFormat();
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <div className="staff-projects">
      <h1>{t("staffProjects.title")}</h1>
      <p>{t("staffProjects.lead")}</p>
      <p>
        <Link to="/staff/projects/new" className="button">
          {t("staffProjects.newLink")}
        </Link>
      </p>
      <p>
        <Link to="/staff/reports">{t("reports.links.cityReports")}</Link>
      </p>
      <p>{t("staffProjects.count", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <>
          <p className="staff-projects__scroll-hint muted" id="staff-projects-scroll-hint">
            {t("staffProjects.table.scrollHint")}
          </p>
          {/* Focusable so keyboard users can scroll the table sideways on a narrow screen. */}
          <div className="table-wrap" role="region" aria-labelledby="staff-projects-caption" aria-describedby="staff-projects-scroll-hint" tabIndex={0}>
            <table className="staff-projects__table">
              <caption id="staff-projects-caption" className="visually-hidden">
                {t("staffProjects.table.caption", { page, pageCount })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("staffProjects.table.title")}</th>
                  <th scope="col">{t("staffProjects.table.phase")}</th>
                  <th scope="col">{t("staffProjects.table.closes")}</th>
                  <th scope="col" className="num">
                    {t("staffProjects.table.threads")}
                  </th>
                  <th scope="col" className="num">
                    {t("staffProjects.table.comments")}
                  </th>
                  <th scope="col" className="num">
                    {t("staffProjects.table.proposals")}
                  </th>
                  <th scope="col" className="num">
                    {t("staffProjects.table.votes")}
                  </th>
                  <th scope="col" className="num">
                    {t("staffProjects.table.followers")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/staff/projects/${p.slug}`}>{p.title}</Link>
                    </th>
                    <td>
                      <PhaseBadge phase={p.phase} />
                    </td>
                    <td>
                      {p.consultationClosesAt ? (
                        f.dateTime(p.consultationClosesAt)
                      ) : (
                        <>
                          <span aria-hidden="true">—</span>
                          <span className="visually-hidden">{t("staffProjects.table.noClosing")}</span>
                        </>
                      )}
                    </td>
                    <td className="num">{f.number(p.threadCount)}</td>
                    <td className="num">{f.number(p.commentCount)}</td>
                    <td className="num">{f.number(p.proposalCount)}</td>
                    <td className="num">{f.number(p.votes)}</td>
                    <td className="num">{f.number(p.followerCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>{t("staffProjects.none")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
