import { Form, Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useMessage } from "~/ui/message";
import { useFormat } from "~/ui/locale-format";
import type { ParticipationState } from "./participation.server";

export type SignInPurpose = "vote" | "comment" | "thread" | "propose" | "support" | "follow";

/**
 * Says why a form is not there: the consultation is closed or not open yet, the thread is
 * locked, the account is suspended, or the visitor has not signed in (with a link to do so).
 */
export function ParticipationNotice({ state, purpose }: { state: ParticipationState; purpose: SignInPurpose }) {
  const { t } = useTranslation();
  const f = useFormat();
  const render = useMessage();
  const location = useLocation();
  switch (state.kind) {
    case "open":
      return null;
    case "closed":
      return <p className="notice notice--info">{t("participation.closed")}</p>;
    case "notYetOpen":
      return <p className="notice notice--info">{t("participation.opensOn", { date: f.dateTime(state.opensAt) })}</p>;
    case "locked":
      return <p className="notice notice--info">{t("discussion.locked")}</p>;
    case "refused":
      if (state.key === "accounts.refusal.unverified") {
        // Voting and supporting wait for a verified address: say so and offer a fresh link.
        const here = `${location.pathname}${location.search.replace(/[?&]index(=[^&]*)?/, "")}`;
        return (
          <div className="notice notice--warning">
            <p>{render({ key: state.key, params: state.params })}</p>
            <Form method="post" action="/verify-email" className="inline-form">
              <input type="hidden" name="redirectTo" value={here} />
              <button type="submit" name="intent" value="resend" className="button--secondary">
                {t("verifyEmail.resend")}
              </button>
            </Form>
          </div>
        );
      }
      return <p className="notice notice--warning">{render({ key: state.key, params: state.params })}</p>;
    case "anonymous": {
      const here = `${location.pathname}${location.search.replace(/[?&]index(=[^&]*)?/, "")}`;
      return (
        <p className="notice notice--info">
          {t(`participation.signInTo.${purpose}`)} <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("participation.signIn")}</Link>{" "}
          {t("participation.or")} <Link to="/register">{t("participation.register")}</Link>.
        </p>
      );
    }
  }
}
