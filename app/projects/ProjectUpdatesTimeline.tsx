import { useTranslation } from "react-i18next";
import { useFormat } from "~/ui/locale-format";
import type { Phase } from "~db/schema/values";

export interface TimelineUpdate {
  id: number;
  kind: "update" | "phase_change";
  fromPhase: Phase | null;
  toPhase: Phase | null;
  bodyHtml: string;
  createdAt: Date;
}

/** A project's official updates and phase changes, newest first; headings at h3 under the section's h2. */
export function ProjectUpdatesTimeline({ updates }: { updates: TimelineUpdate[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!updates.length) return <p>{t("staffProjects.updates.none")}</p>;
  return (
    <ol className="timeline">
      {updates.map((u) => (
        <li key={u.id} className="timeline__item">
          <article aria-labelledby={`update-${u.id}-title`}>
            <h3 id={`update-${u.id}-title`} className="timeline__title">
              {u.kind === "phase_change" && u.toPhase
                ? u.fromPhase
                  ? t("staffProjects.updates.phaseChange", { from: t(`phases.${u.fromPhase}`), to: t(`phases.${u.toPhase}`) })
                  : t("staffProjects.updates.phaseSet", { to: t(`phases.${u.toPhase}`) })
                : t("staffProjects.updates.official")}
            </h3>
            <p className="timeline__date muted">
              <time dateTime={new Date(u.createdAt).toISOString()}>{f.dateTime(u.createdAt)}</time>
            </p>
            {u.bodyHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: u.bodyHtml }} /> : null}
          </article>
        </li>
      ))}
    </ol>
  );
}
