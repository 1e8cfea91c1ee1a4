import { useTranslation } from "react-i18next";
import { LOCALE_TAGS } from "~/i18n/format";
import { useFormat } from "~/ui/locale-format";
import { FLAG_REASONS } from "~db/schema/values";
import type { MonthFigures } from "./transparency.server";

/** One month of the public transparency figures (app/moderation/transparency.server.ts). */
export type MonthRow = MonthFigures;

const DECISIONS = ["held", "hidden", "approved", "rejected", "appealed", "overturned"] as const;

function useMonthLabel() {
  const { locale } = useFormat();
  const format = new Intl.DateTimeFormat(LOCALE_TAGS[locale], { month: "long", year: "numeric", timeZone: "UTC" });
  return (month: string) => {
    const [y, m] = month.split("-").map(Number) as [number, number];
    return format.format(new Date(Date.UTC(y, m - 1, 15)));
  };
}

/** Counts only, per month: decisions, then flags per reason. No names, no text. */
export function TransparencyTables({ months }: { months: MonthRow[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const monthLabel = useMonthLabel();
  const sum = (pick: (m: MonthRow) => number) => months.reduce((s, m) => s + pick(m), 0);
  return (
    <>
      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t("moderation.transparency.decisionsHeading")}</h2>
        <dl className="transparency-terms">
          {DECISIONS.map((d) => (
            <div key={d}>
              <dt>{t(`moderation.transparency.columns.${d}`)}</dt>
              <dd>{t(`moderation.transparency.explain.${d}`)}</dd>
            </div>
          ))}
        </dl>
        <div className="table-wrap" role="region" aria-labelledby="decisions-caption" tabIndex={0}>
          <table className="mod-table mod-table--figures">
            <caption id="decisions-caption">{t("moderation.transparency.decisionsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("moderation.transparency.month")}</th>
                {DECISIONS.map((d) => (
                  <th scope="col" key={d} className="num">
                    {t(`moderation.transparency.columns.${d}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  {DECISIONS.map((d) => (
                    <td key={d} className="num">
                      {f.number(m[d])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("moderation.transparency.total")}</th>
                {DECISIONS.map((d) => (
                  <td key={d} className="num">
                    {f.number(sum((m) => m[d]))}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section aria-labelledby="flags-title">
        <h2 id="flags-title">{t("moderation.transparency.flagsHeading")}</h2>
        <p>{t("moderation.transparency.flagsLead")}</p>
        <div className="table-wrap" role="region" aria-labelledby="flags-caption" tabIndex={0}>
          <table className="mod-table mod-table--figures">
            <caption id="flags-caption">{t("moderation.transparency.flagsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("moderation.transparency.month")}</th>
                {FLAG_REASONS.map((r) => (
                  <th scope="col" key={r} className="num">
                    {t(`moderation.flagReasonsShort.${r}`)}
                  </th>
                ))}
                <th scope="col" className="num">
                  {t("moderation.transparency.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  {FLAG_REASONS.map((r) => (
                    <td key={r} className="num">
                      {f.number(m.flagsByReason[r])}
                    </td>
                  ))}
                  <td className="num">{f.number(FLAG_REASONS.reduce((s, r) => s + m.flagsByReason[r], 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
