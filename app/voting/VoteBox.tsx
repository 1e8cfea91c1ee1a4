import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CHOICES, type Choice } from "~db/schema/values";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import type { ParticipationState } from "~/projects/participation.server";
import { StatusMessage, type FormReply } from "~/ui/participation-form";
import { ErrorSummary, useFieldError } from "~/ui/form";

/**
 * The resident's ballot: three radio buttons, their current choice checked, changeable while the
 * consultation is open. Otherwise it says why there is nothing to choose.
 */
export function VoteBox({ ownVote, state, reply }: { ownVote: Choice | null; state: ParticipationState; reply: FormReply | null }) {
  const { t } = useTranslation();
  const failure = reply && !reply.ok && reply.intent === "vote" ? reply : null;
  const done = reply && reply.ok && reply.intent === "vote" ? reply : null;
  const checked = (failure?.values.choice as Choice | undefined) ?? ownVote;
  const choiceError = useFieldError(failure)("choice");
  return (
    <>
      <StatusMessage>
        {done?.values?.choice
          ? t(done.values.changed === "1" ? "voting.recorded" : "voting.unchanged", { choice: t(`voting.choices.${done.values.choice}`) })
          : null}
      </StatusMessage>
      {ownVote ? (
        <p>
          {t("voting.yourChoice")} <strong>{t(`voting.choices.${ownVote}`)}</strong>
          {state.kind === "open" ? `. ${t("voting.changeWhileOpen")}` : null}
        </p>
      ) : null}
      {state.kind === "open" ? (
        <Form method="post" className="vote-form" preventScrollReset>
          <ErrorSummary failure={failure} labels={{ choice: t("voting.legend") }} idPrefix="vote" layout="inline" />
          <fieldset id="vote-choice" className={choiceError ? "field--error" : undefined} aria-describedby={choiceError ? "vote-choice-error" : undefined}>
            <legend>{t("voting.legend")}</legend>
            {choiceError ? (
              <p className="field__error" id="vote-choice-error">
                {choiceError}
              </p>
            ) : null}
            {CHOICES.map((choice) => (
              <div className="radio" key={choice}>
                <input type="radio" id={`vote-${choice}`} name="choice" value={choice} defaultChecked={checked === choice} required />
                <label htmlFor={`vote-${choice}`}>{t(`voting.choices.${choice}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" name="intent" value="vote">
            {ownVote ? t("voting.change") : t("voting.submit")}
          </button>
        </Form>
      ) : (
        <ParticipationNotice state={state} purpose="vote" />
      )}
    </>
  );
}
