import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/ui/locale-format";
import type { Phase } from "~db/schema/values";
import { projectPath } from "~/content/links";

export interface ProjectCardData {
  slug: string;
  title: string;
  summary: string;
  phase: Phase;
  category: string;
  budgetRupiah: number;
  consultationOpensAt: Date | null;
  consultationClosesAt: Date | null;
  commentCount: number;
  votesSupport: number;
  votesOppose: number;
  votesAbstain: number;
  areaName: string;
  areaLevel: string;
  parentAreaName: string | null;
}

export function PhaseBadge({ phase }: { phase: Phase }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${phase}`}>{t(`phases.${phase}`)}</span>;
}

/** "Open until …", "Opens …" or "Closed …" for a consultation window, judged at `now`. */
export function ConsultationWindow({ project, now }: { project: Pick<ProjectCardData, "phase" | "consultationOpensAt" | "consultationClosesAt">; now: Date }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { consultationOpensAt: opens, consultationClosesAt: closes } = project;
  if (!closes) return null;
  if (project.phase === "consultation" && opens && opens > now) {
    return <p className="window">{t("projects.window.opens", { date: f.dateTime(opens) })}</p>;
  }
  if (project.phase === "consultation" && closes > now) {
    return <p className="window window--open">{t("projects.window.openUntil", { date: f.dateTime(closes) })}</p>;
  }
  return <p className="window window--closed">{t("projects.window.closed", { date: f.date(closes) })}</p>;
}

/** `headingLevel` follows the page: 3 under a section's h2 (the home page), 2 straight under the h1 (the list). */
export function ProjectCard({ project, now, headingLevel = 3 }: { project: ProjectCardData; now: Date; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const { t } = useTranslation();
  const f = useFormat();
  const votes = project.votesSupport + project.votesOppose + project.votesAbstain;
  const area = project.parentAreaName && project.areaLevel === "kelurahan" ? `${project.areaName}, ${project.parentAreaName}` : project.areaName;
  return (
    <article className="card">
      <Heading className="card__title">
        <Link to={projectPath(project.slug)}>{project.title}</Link>
      </Heading>
      <p className="card__meta">
        <PhaseBadge phase={project.phase} /> <span>{t(`categories.${project.category}`)}</span>
      </p>
      <p>{project.summary}</p>
      <dl className="facts">
        <div>
          <dt>{t("projects.area")}</dt>
          <dd>{area}</dd>
        </div>
        <div>
          <dt>{t("projects.budget")}</dt>
          <dd>{f.rupiah(project.budgetRupiah)}</dd>
        </div>
        <div>
          <dt>{t("projects.participation")}</dt>
          <dd>
            {t("projects.commentCount", { count: project.commentCount, formatted: f.number(project.commentCount) })} ·{" "}
            {t("projects.voteCount", { count: votes, formatted: f.number(votes) })}
          </dd>
        </div>
      </dl>
      <ConsultationWindow project={project} now={now} />
    </article>
  );
}
