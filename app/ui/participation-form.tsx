import type { FormFailure } from "~/domain-error";
import type { MessageData } from "~/ui/message";
import { FieldFrame } from "~/ui/form";

/** What an action of the participation pages answers with (besides redirects): a refusal is the FormFailure every form gets. */
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
