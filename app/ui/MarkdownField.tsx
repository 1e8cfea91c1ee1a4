import { useTranslation } from "react-i18next";
import { FieldFrame } from "./form";

/**
 * A Markdown textarea with its label, hint, error and an optional preview of the cooked HTML.
 * The preview comes from the server (a "Preview" submit button with name="intent" value="preview"),
 * so it works without JavaScript. `previewHtml` is sanitized HTML produced by cookMarkdown.
 */
export function MarkdownField({
  name,
  label,
  defaultValue,
  error,
  maxLength = 10000,
  rows = 6,
  previewHtml,
  required = true,
  idPrefix = "field",
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string | null;
  maxLength?: number;
  rows?: number;
  previewHtml?: string | null;
  required?: boolean;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  return (
    <FieldFrame id={`${idPrefix}-${name}`} label={label} hint={t("markdown.hint", { max: maxLength.toLocaleString("id-ID") })} error={error}>
      {({ id, aria }) => (
        <>
          <textarea id={id} name={name} rows={rows} defaultValue={defaultValue} required={required} {...aria} />
          {previewHtml !== undefined && previewHtml !== null ? (
            <section className="preview" aria-label={t("markdown.preview")}>
              <h3 className="preview__title">{t("markdown.preview")}</h3>
              {previewHtml ? (
                <div className="prose" dangerouslySetInnerHTML={{ __html: previewHtml }} />
              ) : (
                <p className="muted">{t("markdown.previewEmpty")}</p>
              )}
            </section>
          ) : null}
        </>
      )}
    </FieldFrame>
  );
}
