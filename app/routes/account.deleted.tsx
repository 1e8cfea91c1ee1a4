import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accountDeleted.title");

/** Where /account/delete leads once the account is erased (and this device signed out). */
export default function AccountDeleted() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("accountDeleted.title")}</h1>
      <p className="notice notice--success" role="status">
        {t("accountDeleted.body")}
      </p>
      <p>
        <Link to="/">{t("accountDeleted.home")}</Link>
      </p>
    </div>
  );
}
