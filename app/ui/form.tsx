import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export type FormErrors = Partial<Record<string, string>>;

/** What FieldFrame hands its control: the id to put on it, and the aria attributes to spread on it. */
export interface FieldControl {
  id: string;
  aria: { "aria-invalid": true | undefined; "aria-describedby": string | undefined };
}

/**
 * The frame of one form field: the wrapper (marked when in error), the label, the hint and the
 * error, in that order, and the control given by `children` with the id the label points at,
 * `aria-invalid` when in error, and `aria-describedby` naming the hint and the error.
 * `error` is already translated. `optional` adds "(opsional)", or `optionalText`, to the label.
 */
export function FieldFrame({
  id,
  label,
  optional,
  optionalText,
  hint,
  error,
  errorRole,
  children,
}: {
  id: string;
  label: React.ReactNode;
  optional?: boolean;
  optionalText?: string;
  hint?: React.ReactNode;
  error?: React.ReactNode;
  /** "alert" where no summary above the form announces the error. */
  errorRole?: "alert";
  children: (control: FieldControl) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const marker = optionalText ?? t("form.optional");
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const aria = {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
  } as const;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional ? (
          <>
            {" "}
            <span className="optional">({marker})</span>
          </>
        ) : null}
      </label>
      {hintId ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p className="field__error" id={errorId} role={errorRole}>
          {error}
        </p>
      ) : null}
      {children({ id, aria })}
    </div>
  );
}

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
  return (
    <FieldFrame id={`field-${name}`} label={label} optional={!required} hint={hint} error={error ? t(error) : null}>
      {({ id, aria }) => (
        <input
          id={id}
          name={name}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          required={required}
          maxLength={maxLength}
          inputMode={inputMode}
          {...aria}
        />
      )}
    </FieldFrame>
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
          <li key={field}>{field === "form" ? t(key) : <a href={`#field-${field}`}>{`${labels[field] ?? field}: ${t(key)}`}</a>}</li>
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
