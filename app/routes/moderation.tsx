import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { currentModerationSettings } from "~/moderation/settings-admin.server";
import { emptyMonth, lastMonths, transparencyFigures } from "~/moderation/transparency.server";
import { TransparencyTables, type MonthRow } from "~/moderation/TransparencyTables";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "moderation.transparency.title");

export async function loader({ context }: LoaderFunctionArgs) {
  const timeZone = context.config.cityTimezone;
  const figures = await transparencyFigures(context.db, timeZone);
  const months: MonthRow[] = lastMonths(timeZone).map((month) => figures.find((m) => m.month === month) ?? emptyMonth(month));
  const { numbers } = await currentModerationSettings(context.db);
  return {
    months,
    settings: {
      premoderationCount: numbers.premoderationCount,
      linkLimit: numbers.linkLimit,
      hideThreshold: numbers.hideThreshold,
      establishedAccountDays: numbers.establishedAccountDays,
    },
  };
}

export default function Transparency() {
  const { t } = useTranslation();
  const { months, settings } = useLoaderData<typeof loader>();
  return (
    <div className="mod-page transparency">
      <h1>{t("moderation.transparency.title")}</h1>
      <p className="lead">{t("moderation.transparency.lead")}</p>
      <section aria-labelledby="how-title">
        <h2 id="how-title">{t("moderation.transparency.howHeading")}</h2>
        <ul>
          <li>{t("moderation.transparency.how.newAccounts", { count: settings.premoderationCount })}</li>
          <li>{t("moderation.transparency.how.words")}</li>
          <li>{t("moderation.transparency.how.links", { count: settings.linkLimit })}</li>
          <li>{t("moderation.transparency.how.flags", { count: settings.hideThreshold, days: settings.establishedAccountDays })}</li>
          <li>{t("moderation.transparency.how.decisions")}</li>
          <li>{t("moderation.transparency.how.appeals")}</li>
          <li>{t("moderation.transparency.how.log")}</li>
        </ul>
        <p>
          {t("moderation.transparency.yourOwn")} <Link to="/account/decisions">{t("moderation.decisions.title")}</Link>
        </p>
      </section>
      <TransparencyTables months={months} />
      <p className="muted">{t("moderation.transparency.privacy")}</p>
    </div>
  );
}
