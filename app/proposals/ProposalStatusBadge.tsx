import { useTranslation } from "react-i18next";
import type { ProposalStatus } from "~db/schema/values";

export function ProposalStatusBadge({ status }: { status: ProposalStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--proposal-${status}`}>{t(`proposals.status.${status}`)}</span>;
}
