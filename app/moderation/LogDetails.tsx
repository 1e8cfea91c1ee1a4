import { useTranslation } from "react-i18next";
import { useFormat } from "~/ui/locale-format";
import { PHASES, PROPOSAL_STATUSES, REVIEW_REASONS, ROLES, SUSPENSION_DURATIONS } from "~db/schema/values";
import { EDITABLE_SETTING_KEYS } from "./settings-labels";

const HIDDEN_KEYS = new Set(["slug", "projectId", "reviewItemId"]);

const known = (list: readonly string[], v: unknown): v is string => typeof v === "string" && list.includes(v);

/**
 * A log entry's details in a few words: "resident → moderator", "review → decided", the filters
 * of an export. Unknown shapes fall back to "key: value" pairs.
 */
export function LogDetails({ action, targetId, details }: { action: string; targetId: string | null; details: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!details) return null;
  const d = details;
  const arrow = (a: string, b: string) => `${a} → ${b}`;

  if (action === "role_change" && known(ROLES, d.from) && known(ROLES, d.to)) return <>{arrow(t(`roles.${d.from}`), t(`roles.${d.to}`))}</>;
  if (action === "phase_change" && known(PHASES, d.from) && known(PHASES, d.to)) {
    const outcome = typeof d.outcome === "string" ? ` (${t(`moderation.outcomes.${d.outcome}`, { defaultValue: d.outcome })})` : "";
    return <>{arrow(t(`phases.${d.from}`), t(`phases.${d.to}`)) + outcome}</>;
  }
  if (action === "proposal_answer" && known(PROPOSAL_STATUSES, d.from) && known(PROPOSAL_STATUSES, d.to)) {
    return <>{arrow(t(`moderation.proposalStatuses.${d.from}`), t(`moderation.proposalStatuses.${d.to}`))}</>;
  }
  if (action === "setting_change" && targetId) {
    const name = known(EDITABLE_SETTING_KEYS, targetId) ? t(`settings.fields.${targetId}.label`) : targetId;
    if (targetId === "blockedWords" && typeof d.from === "number" && typeof d.to === "number") {
      return <>{`${name}: ${arrow(t("moderation.log.words", { count: d.from }), t("moderation.log.words", { count: d.to }))}`}</>;
    }
    return <>{`${name}: ${arrow(String(d.from), String(d.to))}`}</>;
  }
  if (action === "suspend" && known(SUSPENSION_DURATIONS, d.duration)) {
    const until = d.duration !== "permanent" && typeof d.until === "string" ? ` · ${t("moderation.log.until", { date: f.dateTime(d.until) })}` : "";
    return <>{t(`moderation.durations.${d.duration}`) + until}</>;
  }
  if (Array.isArray(d.reasons)) {
    return <>{d.reasons.map((r) => (known(REVIEW_REASONS, r) ? t(`moderation.reasons.${r}`) : String(r))).join(", ")}</>;
  }
  if (action === "auto_hide" && typeof d.score === "number") return <>{t("moderation.log.score", { score: d.score })}</>;

  const pairs = Object.entries(d).filter(([k, v]) => !HIDDEN_KEYS.has(k) && v !== null && v !== undefined && v !== "");
  if (!pairs.length) return null;
  return (
    <ul className="log-details">
      {pairs.map(([k, v]) => (
        <li key={k}>
          {k}: {typeof v === "object" ? compact(v) : String(v)}
        </li>
      ))}
    </ul>
  );
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? compact(v) : String(v))).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${k}=${typeof v === "object" ? compact(v) : String(v)}`)
      .join(", ");
  }
  return String(value);
}
