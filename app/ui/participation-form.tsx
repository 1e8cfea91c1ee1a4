import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useMessage, type MessageData } from "~/ui/FormMessage";
import { FieldFrame } from "~/ui/form";

/** What an action of the participation pages answers with (besides redirects). */
export interface FormFailure {
  ok: false;
  error: { key: string; params: Record<string, string | number>; field: string };
  values: Record<string, string>;
  intent: string | null;
}
export interface FormSuccess {
  ok: true;
  intent: string;
  values?: Record<string, string>;
  /** Cooked Markdown for a preview. */
  preview?: string;
  message?: MessageData;
}
export type FormReply = FormFailure | FormSuccess;

/** The action's reply when it belongs to the form of this `mode` (and target id), else null. */
export function replyFor(reply: FormReply | null | undefined, mode: string, target?: { name: string; id: number }): FormReply | null {
  if (!reply?.values || reply.values.mode !== mode) return null;
  if (target && reply.values[target.name] !== String(target.id)) return null;
  return reply;
}

/** The translated error of one field, when the failure names it. */
export function useFieldError(failure: FormFailure | null) {
  const render = useMessage();
  return (field: string) => (failure && failure.error.field === field ? render(failure.error) : null);
}

/**
 * A form's error, announced and focused: a link to the field it belongs to (the same message is
 * also shown next to the field), or the message alone when it concerns the whole form.
 */
export function FormAlert({ failure, labels, idPrefix }: { failure: FormFailure | null; labels: Record<string, string>; idPrefix: string }) {
  const { t } = useTranslation();
  const render = useMessage();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) ref.current?.focus();
  }, [failure]);
  if (!failure) return null;
  const { field } = failure.error;
  const message = render(failure.error);
  return (
    <div ref={ref} tabIndex={-1} role="alert" className="notice notice--error">
      {labels[field] ? (
        <>
          <strong>{t("form.errorSummary")}:</strong> <a href={`#${idPrefix}-${field}`}>{`${labels[field]}: ${message}`}</a>
        </>
      ) : (
        message
      )}
    </div>
  );
}

/** A single-line text field whose (already translated) error is tied to it. */
export function TextField({
  name,
  label,
  idPrefix,
  defaultValue,
  error,
  maxLength,
  hint,
}: {
  name: string;
  label: string;
  idPrefix: string;
  defaultValue?: string;
  error?: string | null;
  maxLength?: number;
  hint?: string;
}) {
  return (
    <FieldFrame id={`${idPrefix}-${name}`} label={label} hint={hint} error={error}>
      {({ id, aria }) => <input id={id} name={name} type="text" defaultValue={defaultValue} required maxLength={maxLength} {...aria} />}
    </FieldFrame>
  );
}

/** A status message (success) that screen readers announce politely. */
export function StatusMessage({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" aria-live="polite">
      {children ? <p className="notice notice--success">{children}</p> : null}
    </div>
  );
}
