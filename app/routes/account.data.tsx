import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/http/guards.server";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accountData.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

/** What the download holds; the file itself comes from /account/data.json. */
export default function AccountData() {
  const { t } = useTranslation();
  const parts = ["profile", "contributions", "ballots", "supports", "flags", "follows", "notifications", "sessions", "moderation", "emails"] as const;
  return (
    <div className="narrow">
      <h1>{t("accountData.title")}</h1>
      <p>{t("accountData.lead")}</p>
      <ul>
        {parts.map((p) => (
          <li key={p}>{t(`accountData.parts.${p}`)}</li>
        ))}
      </ul>
      <p>{t("accountData.onlyYou")}</p>
      <p>
        <a href="/account/data.json" className="button" download>
          {t("accountData.download")}
        </a>
      </p>
      <p>
        <Link to="/account">{t("verifyEmail.toAccount")}</Link>
      </p>
    </div>
  );
}
