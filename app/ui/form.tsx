import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export type FormErrors = Partial<Record<string, string>>;

/** A labelled input whose error is tied to it for screen readers and shown next to it. */
export function Field({
  name,
  label,
  error,
  hint,
  type = "text",
  defaultValue,
  autoComplete,
  required,
  maxLength,
  inputMode,
}: {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  type?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: React.HTMLAttributes<HTMLInputElement>["inputMode"];
}) {
  const { t } = useTranslation();
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="optional"> ({t("form.optional")})</span>}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {t(error)}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}

/** Lists the form's errors as links to their fields; takes focus so screen readers announce it. */
export function ErrorSummary({ errors, labels }: { errors?: FormErrors | null; labels: Record<string, string> }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {}).filter((e): e is [string, string] => Boolean(e[1]));
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t("form.errorSummary")}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            {field === "form" ? t(key) : <a href={`#field-${field}`}>{`${labels[field] ?? field}: ${t(key)}`}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Empties a form's password inputs whenever a new action result arrives. Without JavaScript the
 * page comes back with them empty; with JavaScript the inputs would otherwise keep the typed
 * password after a refusal or a change. Pass the route's action data; put the ref on the <Form>.
 */
export function useClearPasswordsOnResult(result: unknown) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!result || !ref.current) return;
    for (const input of ref.current.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = "";
  }, [result]);
  return ref;
}
