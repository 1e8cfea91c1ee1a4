import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { assertActsAs } from "~/accounts/authority.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { reportProject } from "~/reports/access.server";
import { reportFigures } from "~/reports/figures.server";
import { filterQuery, listingRefusal } from "~/reports/filters.server";
import { parseReportFilters } from "~/http/report-filters.server";
import { Activity, CountLegend, Headline, Moderation, Participation, StanceSection, Themes, TopProposals, useReportFormat } from "~/reports/ReportView";
import { AreaIndex } from "~/reports/scope.server";
import { ensureThemes, loadThemes, refreshThemes, themeStatus } from "~/reports/themes.server";
import reportStyles from "~/reports/report.css?url";
import { orThrowResponse } from "~/http/domain-response.server";
import { orThrowResponseAsync } from "~/http/reports.server";
import { ErrorSummary } from "~/ui/form";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportStyles }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...pageTitle(matches, "reports.page.metaTitle", { title: data?.project.title ?? "" }),
  // Without JavaScript, a page whose themes are being computed reloads itself to show the progress.
  ...(data?.themeStatus.status === "computing" ? [{ httpEquiv: "refresh", content: "3" } as const] : []),
];

async function load(request: Request, context: LoaderFunctionArgs["context"], slug: string | undefined) {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  return { actor, ...(await orThrowResponseAsync(reportProject(context.db, actor, slug ?? ""))) };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { project, areaLabel } = await load(request, context, params.slug);
  const { db } = context;
  const url = new URL(request.url);
  const parsed = await parseReportFilters(db, url, context.config.cityTimezone);
  const kecamatanOptions = (await AreaIndex.load(db)).kecamatan.map((k) => ({ code: k.code, name: k.name }));
  const notice = url.searchParams.get("themes");
  const common = {
    project: { slug: project.slug, title: project.title, phase: project.phase },
    kecamatanOptions,
    values: parsed.values,
    themesNotice: notice === "started" || notice === "running" || notice === "computed" ? notice : null,
  };
  if (!parsed.ok) {
    // A bad filter keeps what was typed, says what is wrong, and shows no figures (400, not a 500).
    return data(
      {
        ...common,
        errors: parsed.errors,
        query: "",
        refusedDownloads: {} as Partial<Record<string, string>>,
        figures: null,
        themes: [],
        themeStatus: await themeStatus(db, project.id),
      },
      { status: 400 },
    );
  }
  await ensureThemes(db, project.id);
  const figures = await reportFigures(db, project, parsed.filters, { areaLabel, timeZone: context.config.cityTimezone });
  return {
    ...common,
    errors: null,
    query: filterQuery(parsed.filters),
    // Downloads these filters do not give (a list by kecamatan, ballots by area over dates), with why.
    refusedDownloads: Object.fromEntries(
      (["comments", "proposals", "tallies"] as const).flatMap((file) => {
        const key = listingRefusal(file, parsed.filters);
        return key ? [[file, key]] : [];
      }),
    ) as Partial<Record<string, string>>,
    figures,
    themes: await loadThemes(db, project.id),
    themeStatus: await themeStatus(db, project.id),
  };
}

export const intents = ["themes"] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, project } = await load(request, context, params.slug);
  // Computing the themes again is a planner's power: not while suspended (decision 009).
  orThrowResponse(() => assertActsAs(actor, PLANNER_ROLES));
  const form = await request.formData();
  const url = new URL(request.url);
  url.searchParams.delete("themes");
  readIntent(form, intents);
  const outcome = await refreshThemes(context.db, project.id);
  url.searchParams.set("themes", outcome);
  return redirect(`${url.pathname}?${url.searchParams.toString()}#themes`, 303);
}

export default function ProjectReport() {
  const { t } = useTranslation();
  const r = useReportFormat();
  const {
    project,
    kecamatanOptions,
    values,
    errors,
    query,
    refusedDownloads,
    figures,
    themes,
    themeStatus: status,
    themesNotice,
  } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const base = `/staff/projects/${project.slug}/report`;

  // While themes are computed in the background, the page follows their progress.
  useEffect(() => {
    if (status.status !== "computing") return;
    const timer = setTimeout(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearTimeout(timer);
  }, [status, revalidator]);

  const downloads: [string, string][] = [
    ["comments", `${base}/comments.csv${query}`],
    ["proposals", `${base}/proposals.csv${query}`],
    ["tallies", `${base}/tallies.csv${query}`],
    ["summary", `${base}/summary.json${query}`],
    ["workbook", `${base}/report.xlsx${query}`],
  ];

  return (
    <div className="report">
      <p className="report__back">
        <Link to={`/staff/projects/${project.slug}`}>{t("reports.page.back")}</Link> · <Link to="/staff/reports">{t("reports.page.cityLink")}</Link>
      </p>
      <h1>{t("reports.page.title", { title: project.title })}</h1>

      <Form method="get" className="report-filters filters" aria-labelledby="report-filters-title">
        <h2 id="report-filters-title" className="visually-hidden">
          {t("reports.filters.title")}
        </h2>
        <ErrorSummary
          failure={errors ? { errors: Object.entries(errors).map(([field, key]) => ({ field, key: key!, params: {} })) } : null}
          labels={{ from: t("reports.filters.from"), to: t("reports.filters.to"), kecamatan: t("reports.filters.kecamatan") }}
          idPrefix="filter"
          layout="inline"
          title={t("reports.filters.refused")}
          takeFocus={false}
        />
        <div className="report-filters__fields">
          <div className={`field${errors?.from ? " field--error" : ""}`}>
            <label htmlFor="filter-from">{t("reports.filters.from")}</label>
            <input id="filter-from" name="from" type="date" defaultValue={values.from} aria-invalid={errors?.from ? true : undefined} />
          </div>
          <div className={`field${errors?.to ? " field--error" : ""}`}>
            <label htmlFor="filter-to">{t("reports.filters.to")}</label>
            <input id="filter-to" name="to" type="date" defaultValue={values.to} aria-invalid={errors?.to ? true : undefined} />
          </div>
          <div className={`field${errors?.kecamatan ? " field--error" : ""}`}>
            <label htmlFor="filter-kecamatan">{t("reports.filters.kecamatan")}</label>
            <select id="filter-kecamatan" name="kecamatan" defaultValue={values.kecamatan} aria-invalid={errors?.kecamatan ? true : undefined}>
              <option value="">{t("reports.filters.allKecamatan")}</option>
              {kecamatanOptions.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="button-row">
          <button type="submit">{t("reports.filters.apply")}</button>
          <Link to={base}>{t("reports.filters.reset")}</Link>
        </div>
      </Form>

      {figures ? (
        <>
          <p className="report__meta">
            {t("reports.page.generated", { date: r.dateTime(figures.generatedAt) })}{" "}
            {figures.filters.from || figures.filters.to || figures.filters.kecamatan
              ? t("reports.page.over", {
                  from: figures.filters.from ? r.day(figures.filters.from) : t("reports.page.start"),
                  to: figures.filters.to ? r.day(figures.filters.to) : t("reports.page.today"),
                  area: figures.filters.kecamatan ? figures.filters.kecamatan.name : t("reports.participation.city"),
                })
              : t("reports.page.overAll")}{" "}
            {t("reports.page.publishedOnly")}
          </p>
          <p className="report__meta muted">{t("reports.page.smallCounts")}</p>
          <CountLegend />

          <nav className="report-downloads" aria-labelledby="report-downloads-title">
            <h2 id="report-downloads-title">{t("reports.downloads.title")}</h2>
            <p>{t("reports.downloads.lead")}</p>
            <ul>
              {downloads.map(([key, href]) => {
                const refused = refusedDownloads[key];
                return (
                  <li key={key}>
                    {refused ? (
                      <>
                        {t(`reports.downloads.${key}`)}: <span className="muted">{t(refused)}</span>
                      </>
                    ) : (
                      <a href={href} download>
                        {t(`reports.downloads.${key}`)}
                      </a>
                    )}
                  </li>
                );
              })}
            </ul>
          </nav>

          {figures.hasFeedback ? (
            <>
              <Headline figures={figures} />
              <Participation figures={figures} />
              <Activity figures={figures} />
              <StanceSection figures={figures} />
              <TopProposals figures={figures} />
            </>
          ) : (
            <section className="report-section" aria-labelledby="report-empty-title">
              <h2 id="report-empty-title">{t("reports.empty.title")}</h2>
              <p>{figures.filters.from || figures.filters.to || figures.filters.kecamatan ? t("reports.empty.filtered") : t("reports.empty.body")}</p>
            </section>
          )}
          {themesNotice ? (
            <p className="notice notice--success report-themes__notice" role="status">
              {t(`reports.themes.notice.${themesNotice}`)}
            </p>
          ) : null}
          <Themes themes={themes} status={status} action={`${base}${query}`} />
          <Moderation figures={figures} />
        </>
      ) : null}
    </div>
  );
}
