import { useTranslation } from "react-i18next";

/** An author's public name, "deleted user" once the account is erased, and the staff badge. */
export function AuthorName({ name, official }: { name: string | null; official: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {name ?? <span className="deleted-user">{t("discussion.deletedUser")}</span>}
      {official ? (
        <>
          {" "}
          <span className="badge badge--official">{t("discussion.official")}</span>
        </>
      ) : null}
    </>
  );
}
