import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getSetting } from "~/settings.server";
import { RETENTION } from "~/privacy/retention";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "privacy.title");

/**
 * The privacy notice that Indonesia's personal data protection law (UU 27/2022) asks for. Every
 * statement here is about what the code does; the numbers come from app/privacy/retention.ts,
 * which the housekeeping job enforces, and the controller from the `dataController` setting.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  return { controller: await getSetting(context.db, "dataController"), signedIn: Boolean(context.session) };
}

const COLLECTED = ["account", "area", "contributions", "ballots", "supports", "flags", "follows", "notifications", "sessions", "mail", "limits"] as const;
const PURPOSES = ["participate", "count", "moderate", "summarise", "notify", "protect"] as const;
const AUDIENCES = ["public", "staff", "planners", "ballots", "nobodyElse", "mailProvider"] as const;
const RIGHTS = ["information", "access", "correction", "erasure", "withdraw", "complaint"] as const;
const SAFEGUARDS = ["passwords", "tokens", "cookies", "logs", "noTracking", "secureDelete"] as const;

export default function Privacy() {
  const { t } = useTranslation();
  const { controller, signedIn } = useLoaderData<typeof loader>();
  const configured = Boolean(controller.name);
  return (
    <article className="narrow">
      <h1>{t("privacy.title")}</h1>
      <p className="lead">{t("privacy.lead")}</p>

      <section aria-labelledby="privacy-controller">
        <h2 id="privacy-controller">{t("privacy.controller.heading")}</h2>
        {configured ? (
          <>
            <p>{t("privacy.controller.body", { name: controller.name })}</p>
            {controller.contact ? <p>{t("privacy.controller.contact", { contact: controller.contact })}</p> : null}
          </>
        ) : (
          <p className="notice notice--warning">{t("privacy.controller.unset")}</p>
        )}
        <p>{t("privacy.controller.law")}</p>
      </section>

      <section aria-labelledby="privacy-collected">
        <h2 id="privacy-collected">{t("privacy.collected.heading")}</h2>
        <ul>
          {COLLECTED.map((k) => (
            <li key={k}>{t(`privacy.collected.${k}`, { days: RETENTION.rateLimitDays })}</li>
          ))}
        </ul>
        <p>{t("privacy.collected.notCollected")}</p>
      </section>

      <section aria-labelledby="privacy-why">
        <h2 id="privacy-why">{t("privacy.why.heading")}</h2>
        <ul>
          {PURPOSES.map((k) => (
            <li key={k}>{t(`privacy.why.${k}`)}</li>
          ))}
        </ul>
        <p>{t("privacy.why.basis")}</p>
      </section>

      <section aria-labelledby="privacy-who">
        <h2 id="privacy-who">{t("privacy.who.heading")}</h2>
        <ul>
          {AUDIENCES.map((k) => (
            <li key={k}>{t(`privacy.who.${k}`)}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="privacy-retention">
        <h2 id="privacy-retention">{t("privacy.retention.heading")}</h2>
        <ul>
          <li>{t("privacy.retention.account")}</li>
          <li>{t("privacy.retention.sessions", { idle: RETENTION.sessionIdleDays, max: RETENTION.sessionMaxDays })}</li>
          <li>
            {t("privacy.retention.links", { verifyHours: RETENTION.verifyLinkHours, resetMinutes: RETENTION.resetLinkMinutes, days: RETENTION.usedLinkDays })}
          </li>
          <li>{t("privacy.retention.mail", { days: RETENTION.sentMailDays })}</li>
          <li>{t("privacy.retention.limits", { days: RETENTION.rateLimitDays })}</li>
          <li>{t("privacy.retention.log")}</li>
        </ul>
      </section>

      <section aria-labelledby="privacy-rights">
        <h2 id="privacy-rights">{t("privacy.rights.heading")}</h2>
        <ul>
          {RIGHTS.map((k) => (
            <li key={k}>{t(`privacy.rights.${k}`)}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="privacy-self-service">
        <h2 id="privacy-self-service">{t("privacy.selfService.heading")}</h2>
        <ul>
          <li>
            <Link to="/account/data">{t("privacy.selfService.download")}</Link> — {t("privacy.selfService.downloadWhat")}
          </li>
          <li>
            <Link to="/account/delete">{t("privacy.selfService.delete")}</Link> — {t("privacy.selfService.deleteWhat")}
          </li>
          <li>
            <Link to="/account/email">{t("privacy.selfService.email")}</Link> — {t("privacy.selfService.emailWhat")}
          </li>
        </ul>
        {signedIn ? null : <p>{t("privacy.selfService.signInFirst")}</p>}
      </section>

      <section aria-labelledby="privacy-safeguards">
        <h2 id="privacy-safeguards">{t("privacy.safeguards.heading")}</h2>
        <ul>
          {SAFEGUARDS.map((k) => (
            <li key={k}>{t(`privacy.safeguards.${k}`)}</li>
          ))}
        </ul>
      </section>
    </article>
  );
}
