import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { listAllProjects } from "~/projects/projects.server";
import { ProjectFiguresTable } from "~/projects/ProjectFiguresTable";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffProjects.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, PLANNER_ROLES);
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
          <ProjectFiguresTable
            rows={rows}
            caption={t("staffProjects.table.caption", { page, pageCount })}
            captionId="staff-projects-caption"
            captionHidden
            describedBy="staff-projects-scroll-hint"
            tableClassName="staff-projects__table"
            projectLabel={t("staffProjects.table.title")}
            phaseLabel={t("staffProjects.table.phase")}
            href={(p) => `/staff/projects/${p.slug}`}
            columns={[
              {
                label: t("staffProjects.table.closes"),
                cell: (p) =>
                  p.consultationClosesAt ? (
                    f.dateTime(p.consultationClosesAt)
                  ) : (
                    <>
                      <span aria-hidden="true">—</span>
                      <span className="visually-hidden">{t("staffProjects.table.noClosing")}</span>
                    </>
                  ),
              },
              { label: t("staffProjects.table.threads"), figure: (p) => p.threadCount },
              { label: t("staffProjects.table.comments"), figure: (p) => p.commentCount },
              { label: t("staffProjects.table.proposals"), figure: (p) => p.proposalCount },
              { label: t("staffProjects.table.votes"), figure: (p) => p.votes },
              { label: t("staffProjects.table.followers"), figure: (p) => p.followerCount },
            ]}
          />
        </>
      ) : (
        <p>{t("staffProjects.none")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
