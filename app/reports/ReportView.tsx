import { Form, Link, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LOCALE_TAGS } from "~/i18n/format";
import { useFormat } from "~/ui/locale-format";
import type { ReportFigures, Withheld } from "./figures.server";
import { BarChart, DayChart } from "./ReportCharts";
import type { ThemeStatus, ThemeView } from "./themes.server";
import { SUPPRESSED, WITHHELD, type Count } from "./small-counts";
import { HEADLINE_FIGURES } from "./headline";

/** Formatting of the report's numbers: counts (maybe "< 5"), rates and shares in the page's language. */
export function useReportFormat() {
  const f = useFormat();
  const tag = LOCALE_TAGS[f.locale];
  const oneDecimal = new Intl.NumberFormat(tag, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 1 });
  return {
    ...f,
    fig: (c: Count) => (typeof c === "number" ? f.number(c) : c),
    rate: (r: number | null) => (r === null ? "—" : oneDecimal.format(r)),
    share: (s: number | null) => (s === null ? "—" : pct.format(s)),
    day: (iso: string) => new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`)),
  };
}

/**
 * A count in a table: the number, or its mark ("< 5", "x") with what the mark means for a screen
 * reader (the legend explains both).
 */
export function Fig({ value }: { value: Count }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  if (typeof value === "number") return <>{r.number(value)}</>;
  return (
    <span className={`report-mark report-mark--${value === SUPPRESSED ? "suppressed" : "withheld"}`}>
      <span aria-hidden="true">{value}</span>
      <span className="visually-hidden">{t(value === SUPPRESSED ? "reports.legend.suppressedShort" : "reports.legend.withheldShort")}</span>
    </span>
  );
}

/** What "< 5" and "x" mean, in the page's language, as the spreadsheet's summary sheet says it too. */
export function CountLegend() {
  const { t } = useTranslation();
  return (
    <div className="report-legend">
      <h2 id="report-legend-title" className="report-legend__title">
        {t("reports.legend.title")}
      </h2>
      <dl>
        <div>
          <dt>{SUPPRESSED}</dt>
          <dd>{t("reports.legend.suppressed")}</dd>
        </div>
        <div>
          <dt>{WITHHELD}</dt>
          <dd>{t("reports.legend.withheld")}</dd>
        </div>
      </dl>
    </div>
  );
}

/** Why a part of the report is not given for these filters. */
function WithheldNote({ figures, what }: { figures: ReportFigures; what: Withheld }) {
  const { t } = useTranslation();
  return figures.withheld.includes(what) ? <p className="notice notice--info">{t(`reports.withheld.${what}`)}</p> : null;
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="report-section">
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function Table({ caption, head, rows, numeric = [] }: { caption: string; head: string[]; rows: React.ReactNode[][]; numeric?: number[] }) {
  const id = useId();
  return (
    // Focusable, so a keyboard can scroll a wide table sideways on a narrow screen.
    <div className="table-wrap report-table" role="region" aria-labelledby={id} tabIndex={0}>
      <table>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={numeric.includes(i) ? "num" : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={numeric.includes(i) ? "num" : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Headline({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  const h = figures.headline;
  const items: [string, Count][] = HEADLINE_FIGURES.map((k) => [t(`reports.headline.${k}`), h[k]]);
  return (
    <Section id="headline" title={t("reports.headline.title")}>
      <dl className="report-figures">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <Fig value={value} />
            </dd>
          </div>
        ))}
      </dl>
      <WithheldNote figures={figures} what="privateCounts" />
      <h3>{t("reports.headline.ballotsTitle")}</h3>
      {figures.withheld.includes("choices") ? (
        <WithheldNote figures={figures} what="choices" />
      ) : h.ballots === 0 ? (
        <p>{t("reports.headline.noBallots")}</p>
      ) : (
        <div className="report-pair">
          <BarChart
            id="chart-ballots"
            caption={t("reports.headline.ballotsCaption")}
            data={h.ballotsByChoice.map((b) => ({
              label: t(`reports.choices.${b.choice}`),
              value: b.count,
              text: b.share === null ? r.fig(b.count) : `${r.fig(b.count)} · ${r.share(b.share)}`,
              tone: b.choice === "abstain" ? "neutral" : b.choice,
            }))}
          />
          <Table
            caption={t("reports.headline.ballotsCaption")}
            head={[t("reports.headline.choice"), t("reports.stance.count"), t("reports.stance.share")]}
            numeric={[1, 2]}
            rows={h.ballotsByChoice.map((b) => [t(`reports.choices.${b.choice}`), <Fig key="n" value={b.count} />, r.share(b.share)])}
          />
        </div>
      )}
    </Section>
  );
}

export function Participation({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  const p = figures.participation;
  if (!p) {
    return (
      <Section id="participation" title={t("reports.participation.title")}>
        <WithheldNote figures={figures} what="areas" />
      </Section>
    );
  }
  const scope = figures.filters.kecamatan ? figures.filters.kecamatan.name : t("reports.participation.city");
  const callout = (c: string | null) =>
    c ? <strong className={`report-callout report-callout--${c}`}>{t(`reports.participation.callout.${c}`)}</strong> : "—";
  const below = [...p.kecamatan, ...p.kelurahan].filter((a) => a.callout === "below").map((a) => a.name);
  const above = [...p.kecamatan, ...p.kelurahan].filter((a) => a.callout === "above").map((a) => a.name);
  const noArea = r.fig(p.noArea.count);
  return (
    <Section id="participation" title={t("reports.participation.title")}>
      <p>{t("reports.participation.lead")}</p>
      <ul>
        <li>
          {p.referenceRate === null
            ? t("reports.participation.noReference", { scope })
            : t("reports.participation.reference", { scope, rate: r.rate(p.referenceRate), population: r.number(p.referencePopulation) })}
        </li>
        <li>
          {p.noArea.share === null
            ? t("reports.participation.noAreaSuppressed", { n: noArea })
            : t("reports.participation.noAreaShare", { n: noArea, share: r.share(p.noArea.share) })}
        </li>
        {below.length ? <li>{t("reports.participation.farBelow", { areas: below.join(", ") })}</li> : null}
        {above.length ? <li>{t("reports.participation.farAbove", { areas: above.join(", ") })}</li> : null}
      </ul>
      <div className="report-pair">
        <BarChart
          id="chart-kecamatan"
          caption={t("reports.participation.chartCaption", { scope })}
          reference={
            p.referenceRate === null ? null : { value: p.referenceRate, label: t("reports.participation.referenceShort", { rate: r.rate(p.referenceRate) }) }
          }
          data={p.kecamatan.map((a) => ({
            label: a.name,
            value: a.ratePer10k === null ? (typeof a.participants === "number" ? 0 : null) : a.ratePer10k,
            text: a.ratePer10k === null ? r.fig(a.participants) : r.rate(a.ratePer10k),
            tone: a.callout ?? "plain",
          }))}
        />
        <Table
          caption={t("reports.participation.kecamatanCaption")}
          head={[
            t("reports.participation.kecamatan"),
            t("reports.participation.population"),
            t("reports.participation.participants"),
            t("reports.participation.rate"),
            t("reports.participation.calloutHeader"),
          ]}
          numeric={[1, 2, 3]}
          rows={p.kecamatan.map((a) => [a.name, r.number(a.population), <Fig key="n" value={a.participants} />, r.rate(a.ratePer10k), callout(a.callout)])}
        />
      </div>
      <Table
        caption={t("reports.participation.kelurahanCaption")}
        head={[
          t("reports.participation.kelurahan"),
          t("reports.participation.kecamatan"),
          t("reports.participation.population"),
          t("reports.participation.participants"),
          t("reports.participation.rate"),
          t("reports.participation.calloutHeader"),
        ]}
        numeric={[2, 3, 4]}
        rows={p.kelurahan.map((a) => [
          a.name,
          a.kecamatan ?? "—",
          r.number(a.population),
          <Fig key="n" value={a.participants} />,
          r.rate(a.ratePer10k),
          callout(a.callout),
        ])}
      />
      <h3>{t("reports.tallies.title")}</h3>
      <p>{t("reports.tallies.lead")}</p>
      <Table
        caption={t("reports.tallies.caption")}
        head={[
          t("reports.participation.kecamatan"),
          t("reports.choices.support"),
          t("reports.choices.oppose"),
          t("reports.choices.abstain"),
          t("reports.tallies.total"),
        ]}
        numeric={[1, 2, 3, 4]}
        rows={figures.tallies.map((row) => [
          row.name ?? t("reports.participation.noArea"),
          <Fig key="s" value={row.support} />,
          <Fig key="o" value={row.oppose} />,
          <Fig key="a" value={row.abstain} />,
          <Fig key="t" value={row.total} />,
        ])}
      />
    </Section>
  );
}

export function Activity({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  const days = figures.activity.days;
  // Over a date range the day's total holds ballots and supports, so it is withheld: chart the comments.
  const byComments = figures.withheld.includes("privateCounts");
  return (
    <Section id="activity" title={t("reports.activity.title")}>
      {figures.withheld.includes("activity") ? (
        <WithheldNote figures={figures} what="activity" />
      ) : days.length === 0 ? (
        <p>{t("reports.activity.none")}</p>
      ) : (
        <>
          <DayChart
            id="chart-activity"
            caption={t(byComments ? "reports.activity.commentsCaption" : "reports.activity.caption", {
              from: r.day(days[0]!.date),
              to: r.day(days.at(-1)!.date),
            })}
            days={days.map((d) => ({ date: d.date, value: byComments ? d.comments : d.total, label: r.day(d.date) }))}
          />
          {figures.activity.truncated ? <p className="muted">{t("reports.activity.truncated")}</p> : null}
          <Table
            caption={t("reports.activity.tableCaption")}
            head={[
              t("reports.activity.date"),
              t("reports.headline.threads"),
              t("reports.headline.comments"),
              t("reports.headline.proposals"),
              t("reports.headline.supports"),
              t("reports.headline.ballots"),
              t("reports.activity.total"),
            ]}
            numeric={[1, 2, 3, 4, 5, 6]}
            rows={days.map((d) => [
              r.day(d.date),
              ...(["threads", "comments", "proposals", "supports", "ballots", "total"] as const).map((k) => <Fig key={k} value={d[k]} />),
            ])}
          />
        </>
      )}
    </Section>
  );
}

export function StanceSection({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  const s = figures.stance;
  return (
    <Section id="stance" title={t("reports.stance.title")}>
      {s.total === 0 ? (
        <p>{t("reports.stance.none")}</p>
      ) : (
        <div className="report-pair">
          <BarChart
            id="chart-stance"
            caption={t("reports.stance.caption")}
            data={s.rows.map((row) => ({
              label: t(`reports.stances.${row.stance}`),
              value: row.count,
              text: row.share === null ? r.fig(row.count) : `${r.fig(row.count)} · ${r.share(row.share)}`,
              tone: row.stance,
            }))}
          />
          <Table
            caption={t("reports.stance.caption")}
            head={[t("reports.stance.stance"), t("reports.stance.count"), t("reports.stance.share")]}
            numeric={[1, 2]}
            rows={s.rows.map((row) => [t(`reports.stances.${row.stance}`), <Fig key="n" value={row.count} />, r.share(row.share)])}
          />
        </div>
      )}
    </Section>
  );
}

export function TopProposals({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  return (
    <Section id="proposals" title={t("reports.proposals.title")}>
      {figures.withheld.includes("proposals") ? (
        <WithheldNote figures={figures} what="proposals" />
      ) : figures.topProposals.length === 0 ? (
        <p>{t("reports.proposals.none")}</p>
      ) : (
        <Table
          caption={t("reports.proposals.caption")}
          head={[t("reports.proposals.titleHeader"), t("reports.proposals.supports"), t("reports.proposals.status"), t("reports.proposals.answer")]}
          numeric={[1]}
          rows={figures.topProposals.map((p) => [
            <Link key="title" to={p.path}>
              {p.title}
            </Link>,
            r.number(p.supports),
            t(`reports.proposalStatuses.${p.status}`),
            p.answer ? <span className="report-answer">{p.answer}</span> : <span className="muted">{t("reports.proposals.noAnswer")}</span>,
          ])}
        />
      )}
    </Section>
  );
}

export function Themes({ themes, status, action }: { themes: ThemeView[]; status: ThemeStatus; action: string }) {
  const { t } = useTranslation();
  const r = useReportFormat();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "themes";
  return (
    <Section id="themes" title={t("reports.themes.title")}>
      <p>{t("reports.themes.lead")}</p>
      <div role="status" className="report-themes__status">
        {submitting ? (
          <p className="notice notice--info">{t("reports.themes.computingNow")}</p>
        ) : status.status === "computing" ? (
          <p className="notice notice--info">
            {t("reports.themes.computing", { processed: r.number(status.processed), total: r.number(status.total) })}{" "}
            <progress max={Math.max(1, status.total)} value={status.processed} aria-label={t("reports.themes.progressLabel")} />
          </p>
        ) : status.status === "failed" ? (
          <p className="notice notice--error">{t("reports.themes.failed")}</p>
        ) : null}
        {status.computedAt ? (
          <p>
            {t("reports.themes.computedAt", { date: r.dateTime(status.computedAt), count: status.corpus, formatted: r.number(status.corpus) })}
            {status.stale ? (
              <>
                {" "}
                <strong>
                  {status.newSince > 0
                    ? t("reports.themes.staleNew", { count: status.newSince, formatted: r.number(status.newSince) })
                    : t("reports.themes.staleChanged")}
                </strong>
              </>
            ) : null}
          </p>
        ) : status.status === "none" ? (
          <p>{t("reports.themes.never")}</p>
        ) : null}
      </div>
      <Form method="post" action={action} className="report-themes__refresh" preventScrollReset>
        <button type="submit" name="intent" value="themes" disabled={submitting || status.status === "computing"}>
          {submitting ? t("reports.themes.computingButton") : t("reports.themes.recompute")}
        </button>
      </Form>
      {themes.length === 0 ? (
        status.computedAt ? (
          <p>{t("reports.themes.none")}</p>
        ) : null
      ) : (
        <ol className="report-themes">
          {themes.map((theme) => (
            <li key={theme.rank} className="report-theme">
              <h3>{theme.label}</h3>
              <p>
                {typeof theme.comments === "number"
                  ? t("reports.themes.carried", { count: theme.comments, formatted: r.number(theme.comments), share: r.share(theme.share) })
                  : t("reports.themes.carriedFew")}
              </p>
              <p className="muted">
                {t("reports.themes.termsLabel")} {theme.terms.join(", ")}
              </p>
              <p>
                {t("reports.themes.stanceSplit", {
                  support: r.fig(theme.stance.support),
                  oppose: r.fig(theme.stance.oppose),
                  neutral: r.fig(theme.stance.neutral),
                  none: r.fig(theme.stance.none),
                })}
              </p>
              {theme.quotes.length ? (
                <ul className="report-quotes" aria-label={t("reports.themes.quotesLabel", { theme: theme.label })}>
                  {theme.quotes.map((q) => (
                    <li key={`${q.kind}-${q.id}`}>
                      <blockquote>
                        <p>{q.excerpt}</p>
                      </blockquote>
                      <Link to={q.path}>{t(`reports.themes.quoteLink.${q.kind}`)}</Link>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

export function Moderation({ figures }: { figures: ReportFigures }) {
  const { t } = useTranslation();
  return (
    <Section id="moderation" title={t("reports.moderation.title")}>
      <p>{t("reports.moderation.lead")}</p>
      <WithheldNote figures={figures} what="privateCounts" />
      <Table
        caption={t("reports.moderation.caption")}
        head={[
          t("reports.moderation.status"),
          t("reports.headline.threads"),
          t("reports.headline.comments"),
          t("reports.headline.proposals"),
          t("reports.moderation.total"),
        ]}
        numeric={[1, 2, 3, 4]}
        rows={(["held", "hidden", "rejected"] as const).map((k) => {
          const m = figures.moderation[k];
          return [
            t(`reports.moderation.${k}`),
            <Fig key="th" value={m.threads} />,
            <Fig key="c" value={m.comments} />,
            <Fig key="p" value={m.proposals} />,
            <Fig key="t" value={m.total} />,
          ];
        })}
      />
    </Section>
  );
}
