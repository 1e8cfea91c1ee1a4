import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FormFailure } from "~/domain-error";

export type LinkStatus = "invalid" | "expired" | "used";

/** The link problem a refused form names (the domain's linkRefusal puts it in `params.link`), or null. */
export function linkProblemOf(failure: Pick<FormFailure, "errors"> | null | undefined): LinkStatus | null {
  const link = failure?.errors[0]?.params.link;
  return link === "invalid" || link === "expired" || link === "used" ? link : null;
}

/**
 * The page for an e-mailed link that cannot be used: forged or mistyped, expired, or already used.
 * It says which, in plain words, and offers the way forward.
 */
export function LinkProblem({ status, kind }: { status: LinkStatus; kind: "verify" | "reset" | "unsubscribe" }) {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t(`links.${status}.title`)}</h1>
      <p>{t(`links.${status}.body`)}</p>
      <p>{t(`links.next.${kind}`)}</p>
      <p>
        {kind === "verify" ? (
          <Link to="/verify-email" className="button">
            {t("links.action.verify")}
          </Link>
        ) : kind === "reset" ? (
          <Link to="/forgot-password" className="button">
            {t("links.action.reset")}
          </Link>
        ) : (
          <Link to="/account/email" className="button">
            {t("links.action.unsubscribe")}
          </Link>
        )}
      </p>
    </div>
  );
}

/** The HTTP status of a link problem: 400 for a link that never existed, 410 for one that did. */
export const linkProblemStatus = (status: LinkStatus) => (status === "invalid" ? 400 : 410);
