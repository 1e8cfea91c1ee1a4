import { useTranslation } from "react-i18next";

/** Says that a Markdown preview was rendered and that nothing was saved, with a link to it. */
export function PreviewNotice({ target = "project-preview" }: { target?: string }) {
  const { t } = useTranslation();
  return (
    <p className="notice notice--warning">
      {t("staffProjects.done.preview")} <a href={`#${target}`}>{t("staffProjects.done.previewLink")}</a>
    </p>
  );
}

/** A success message after an action; sits inside an always-present role="status" region. */
export function DoneNotice({ children }: { children: React.ReactNode }) {
  return <p className="notice notice--success">{children}</p>;
}
