import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { cityFigures, listClosingSoon } from "~/projects/queries.server";
import { ProjectCard } from "~/projects/ProjectCard";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "home.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const now = new Date();
  return { closingSoon: await listClosingSoon(context.db, now), figures: await cityFigures(context.db), now };
}

export default function Home() {
  const { closingSoon, figures, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <section className="hero">
        <h1>{t("home.heading")}</h1>
        <p className="lead">{t("home.lead")}</p>
        <p>
          <Link to="/projects" className="button">
            {t("home.browse")}
          </Link>
        </p>
      </section>
      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">{t("home.figures")}</h2>
        <dl className="figures">
          <div>
            <dt>{t("home.figure.projects")}</dt>
            <dd>{f.number(figures.projects)}</dd>
          </div>
          <div>
            <dt>{t("home.figure.open")}</dt>
            <dd>{f.number(figures.open)}</dd>
          </div>
          <div>
            <dt>{t("home.figure.comments")}</dt>
            <dd>{f.number(figures.comments)}</dd>
          </div>
          <div>
            <dt>{t("home.figure.votes")}</dt>
            <dd>{f.number(figures.votes)}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="closing-heading">
        <h2 id="closing-heading">{t("home.closingSoon")}</h2>
        {closingSoon.length ? (
          <div className="card-list">
            {closingSoon.map((p) => (
              <ProjectCard key={p.id} project={p} now={now} />
            ))}
          </div>
        ) : (
          <p>{t("home.noneOpen")}</p>
        )}
      </section>
    </>
  );
}
