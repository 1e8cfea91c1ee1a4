import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { FieldError, FormFailure } from "~/domain-error";
import { useMessage } from "~/ui/message";

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
  /** Already translated (useFieldError). */
  error?: string | null;
  hint?: string;
  type?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: React.HTMLAttributes<HTMLInputElement>["inputMode"];
}) {
  return (
    <FieldFrame id={`field-${name}`} label={label} optional={!required} hint={hint} error={error}>
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

/**
 * The one error summary of every form: what a refused form's reply (FormFailure) says, announced
 * (role="alert") and focused when it arrives, so screen readers read it and keyboard users start
 * there. A field error whose field has a label is a link to that field (`#${idPrefix}-${field}`;
 * the same message also sits next to the field); an error of the whole form is its message alone.
 * It is server-rendered markup: without JavaScript the page comes back with it in place.
 *
 * `layout="list"` (the default) is a box with a heading and one line per error, above a page's
 * main form; `layout="inline"` is one notice inside a small form (a comment, a vote, a moderation
 * button) where several forms share a page. A list's filters refused by its loader (a GET form,
 * whose page may reload itself) are announced without taking focus: `takeFocus={false}`.
 */
export function ErrorSummary({
  failure,
  labels = {},
  idPrefix = "field",
  layout = "list",
  title,
  takeFocus = true,
  children,
}: {
  failure: Pick<FormFailure, "errors"> | null | undefined;
  /** The labels of the fields that can be linked to; an error of another field shows its message alone. */
  labels?: Partial<Record<string, string>>;
  /** The fields' ids are `${idPrefix}-${field}` (Field's are `field-…`). */
  idPrefix?: string;
  layout?: "list" | "inline";
  /** The heading; "Ada yang perlu diperbaiki" unless given. */
  title?: string;
  takeFocus?: boolean;
  /** Said after the errors (say, that nothing was saved). */
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const render = useMessage();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const errors = failure?.errors ?? [];
  useEffect(() => {
    if (takeFocus && failure?.errors.length) ref.current?.focus();
  }, [failure, takeFocus]);
  if (!errors.length) return null;
  const heading = title ?? t("form.errorSummary");
  const line = (e: FieldError) => {
    const label = e.field === "form" ? undefined : labels[e.field];
    return label ? <a href={`#${idPrefix}-${e.field}`}>{`${label}: ${render(e)}`}</a> : render(e);
  };
  const list = (
    <ul>
      {errors.map((e) => (
        <li key={`${e.field}:${e.key}`}>{line(e)}</li>
      ))}
    </ul>
  );
  if (layout === "inline") {
    const linked = errors.some((e) => e.field !== "form" && labels[e.field]);
    return (
      <div ref={ref} tabIndex={-1} role="alert" className="notice notice--error">
        {linked ? (
          <>
            <strong>{heading.endsWith(":") ? heading : `${heading}:`}</strong>{" "}
          </>
        ) : null}
        {errors.length === 1 ? line(errors[0]!) : list}
        {children}
      </div>
    );
  }
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 id={titleId}>{heading}</h2>
      {list}
      {children}
    </div>
  );
}

/** The translated message of one field of a refused form (its first error), or null. */
export function useFieldError(failure: Pick<FormFailure, "errors"> | null | undefined) {
  const render = useMessage();
  return (field: string) => {
    const error = failure?.errors.find((e) => e.field === field);
    return error ? render(error) : null;
  };
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
