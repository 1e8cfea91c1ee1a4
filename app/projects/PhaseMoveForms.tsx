import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FormFailure } from "~/domain-error";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";
import { OUTCOMES, type Phase } from "~db/schema/values";

/** What a refused phase move sends back: the form's reply, with the phase it was for among the values. */
export type PhaseFailure = Pick<FormFailure, "errors" | "values">;

const NOTE_MAX = 10_000;

function PhaseInput({
  id,
  name,
  label,
  hint,
  error,
  defaultValue,
  required,
  multiline,
  type = "text",
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string | null;
  defaultValue?: string;
  required?: boolean;
  multiline?: boolean;
  type?: string;
}) {
  return (
    <FieldFrame id={id} label={label} optional={!required} hint={hint} error={error}>
      {({ aria }) =>
        multiline ? (
          <textarea id={id} name={name} defaultValue={defaultValue} required={required} {...aria} rows={4} maxLength={NOTE_MAX} />
        ) : (
          <input id={id} name={name} defaultValue={defaultValue} required={required} {...aria} type={type} />
        )
      }
    </FieldFrame>
  );
}

/**
 * One small form per allowed next phase, each asking only for what that move needs. A refused
 * move comes back to its own form, with the message next to the field it concerns.
 */
export function PhaseMoveForms({
  phase,
  transitions,
  prefill,
  failure,
  timeZone,
  action,
}: {
  phase: Phase;
  transitions: Phase[];
  prefill: { opensAt: string; closesAt: string };
  failure: PhaseFailure | null;
  timeZone: string;
  action: string;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const fieldError = useFieldError(failure);
  const submittingTo = navigation.state === "submitting" && navigation.formData?.get("intent") === "phase" ? navigation.formData.get("to") : null;
  const stray = failure && !transitions.includes(failure.values.to as Phase) ? failure : null;
  if (!transitions.length) {
    return (
      <>
        <ErrorSummary failure={stray} layout="inline" />
        <p>{t("staffProjects.phase.final")}</p>
      </>
    );
  }
  return (
    <>
      <ErrorSummary failure={stray} layout="inline" />
      {transitions.map((to) => {
        const mine = failure && failure.values.to === to ? failure : null;
        const id = (name: string) => `phase-${to}-${name}`;
        const errorOf = (name: string) => (mine ? fieldError(name) : null);
        const valueOf = (name: string, fallback = "") => (mine ? (mine.values[name] ?? "") : fallback);
        const reopen = to === "consultation" && phase !== "draft";
        const explain = reopen ? "reopen" : to;
        return (
          <section key={to} className="phase-move" aria-labelledby={id("title")}>
            <h3 id={id("title")}>{t("staffProjects.phase.moveTo", { phase: t(`phases.${to}`) })}</h3>
            <p>{t(`staffProjects.phase.explain.${explain}`)}</p>
            <Form method="post" action={action} noValidate>
              <input type="hidden" name="intent" value="phase" />
              <input type="hidden" name="to" value={to} />
              {/* Announced and focused; a field's own message also sits next to it. */}
              <ErrorSummary failure={mine} layout="inline" />
              {to === "consultation" && !reopen ? (
                <PhaseInput
                  id={id("opensAt")}
                  name="opensAt"
                  type="datetime-local"
                  label={t("staffProjects.phase.opensAt")}
                  hint={t("staffProjects.phase.opensAtHint", { zone: timeZone })}
                  error={errorOf("opensAt")}
                  defaultValue={valueOf("opensAt", prefill.opensAt)}
                />
              ) : null}
              {to === "consultation" ? (
                <PhaseInput
                  id={id("closesAt")}
                  name="closesAt"
                  type="datetime-local"
                  required
                  label={reopen ? t("staffProjects.phase.newClosesAt") : t("staffProjects.phase.closesAt")}
                  hint={t("staffProjects.phase.closesAtHint", { zone: timeZone })}
                  error={errorOf("closesAt")}
                  defaultValue={valueOf("closesAt", reopen ? "" : prefill.closesAt)}
                />
              ) : null}
              {to === "decided" ? (
                <fieldset
                  className={`field phase-move__outcome${errorOf("outcome") ? " field--error" : ""}`}
                  aria-describedby={errorOf("outcome") ? id("outcome-error") : undefined}
                >
                  <legend>{t("staffProjects.phase.outcome")}</legend>
                  {errorOf("outcome") ? (
                    <p className="field__error" id={id("outcome-error")}>
                      {errorOf("outcome")}
                    </p>
                  ) : null}
                  {OUTCOMES.map((o) => (
                    <div className="choice" key={o}>
                      <input type="radio" id={id(`outcome-${o}`)} name="outcome" value={o} defaultChecked={valueOf("outcome") === o} required />
                      <label htmlFor={id(`outcome-${o}`)}>{t(`staffProjects.outcomes.${o}`)}</label>
                    </div>
                  ))}
                </fieldset>
              ) : null}
              {to === "decided" || to === "cancelled" ? (
                <PhaseInput
                  id={id("reason")}
                  name="reason"
                  multiline
                  required
                  label={t("staffProjects.phase.reason")}
                  hint={t("staffProjects.phase.reasonHint")}
                  error={errorOf("reason")}
                  defaultValue={valueOf("reason")}
                />
              ) : (
                <PhaseInput
                  id={id("note")}
                  name="note"
                  multiline
                  label={t("staffProjects.phase.note")}
                  hint={t("staffProjects.phase.noteHint")}
                  error={errorOf("note")}
                  defaultValue={valueOf("note")}
                />
              )}
              <button type="submit" disabled={submittingTo === to} className={to === "cancelled" ? "button-danger" : undefined}>
                {reopen ? t("staffProjects.phase.submitReopen") : t("staffProjects.phase.submit", { phase: t(`phases.${to}`) })}
              </button>
            </Form>
          </section>
        );
      })}
    </>
  );
}
