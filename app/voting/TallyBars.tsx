import { useTranslation } from "react-i18next";
import { useFormat } from "~/ui/locale-format";
import type { Tally } from "./voting.server";

const CHOICES = ["support", "oppose", "abstain"] as const;

/** Public tallies: counts and shares as text, with bars that only repeat the numbers visually. */
export function TallyBars({ tally }: { tally: Tally }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (tally.total === 0) return <p>{t("voting.noVotes")}</p>;
  return (
    <>
      <p>{t("voting.total", { count: tally.total, formatted: f.number(tally.total) })}</p>
      <dl className="tally">
        {CHOICES.map((choice) => {
          const n = tally[choice];
          const share = Math.round((n / tally.total) * 1000) / 10;
          return (
            <div key={choice} className={`tally__row tally__row--${choice}`}>
              <dt>{t(`voting.choices.${choice}`)}</dt>
              <dd>
                <span className="tally__figure">{t("voting.share", { count: n, formatted: f.number(n), share: f.number(share) })}</span>
                {/* An SVG's width attribute draws the share without an inline style, which the CSP refuses. */}
                <svg className="tally__bar" aria-hidden="true" focusable="false" viewBox="0 0 100 1" preserveAspectRatio="none">
                  <rect width={share} height="1" />
                </svg>
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="muted">{t("voting.secret")}</p>
    </>
  );
}
