import { useTranslation } from "react-i18next";

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
  const id = `${idPrefix}-${name}`;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <p className="field__hint" id={`${id}-hint`}>
        {t("markdown.hint", { max: maxLength.toLocaleString("id-ID") })}
      </p>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
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
    </div>
  );
}
