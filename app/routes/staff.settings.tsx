import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { currentModerationSettings, EDITABLE_NUMBERS, updateModerationSettings } from "~/moderation/settings-admin.server";
import { EDITABLE_NUMBER_KEYS } from "~/moderation/settings-labels";
import { formValues } from "~/http/domain-response.server";
import { FieldFrame } from "~/ui/form";
import { FormMessage, useMessage, type MessageData } from "~/ui/FormMessage";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";
import { DomainError } from "~/domain-error";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "settings.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(request, context, ["admin"]);
  const current = currentModerationSettings(context.db);
  return {
    values: {
      ...Object.fromEntries(EDITABLE_NUMBER_KEYS.map((k) => [k, String(current.numbers[k])])),
      blockedWords: current.blockedWords.join("\n"),
    } as Record<string, string>,
    bounds: EDITABLE_NUMBERS,
  };
}

export const intents = ["save-settings"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(request, context, ["admin"]);
  const form = await request.formData();
  readIntent(form, intents, "save-settings");
  const values = { ...formValues(form, [...EDITABLE_NUMBER_KEYS], 50), ...formValues(form, ["blockedWords"], 100_000) };
  let result: ReturnType<typeof updateModerationSettings>;
  try {
    result = updateModerationSettings(context.db, admin, {
      numbers: Object.fromEntries(EDITABLE_NUMBER_KEYS.map((k) => [k, values[k] ?? ""])),
      blockedWords: values.blockedWords ?? "",
    });
  } catch (error) {
    // A suspended admin keeps the page but not the power (decision 009): say so, keep what was typed.
    if (!(error instanceof DomainError)) throw error;
    const refusal: MessageData = { key: error.key, params: error.params };
    return data({ ok: false as const, errors: {} as Record<string, MessageData>, values, changed: [] as string[], refusal }, { status: error.status });
  }
  if (!result.ok)
    return data({ ok: false as const, errors: result.errors as Record<string, MessageData>, values, changed: [] as string[], refusal: null }, { status: 400 });
  return { ok: true as const, errors: {} as Record<string, MessageData>, values: null, changed: result.changed, refusal: null };
}

const FIELDS = [...EDITABLE_NUMBER_KEYS, "blockedWords"] as const;

export default function StaffSettings() {
  const { t } = useTranslation();
  const message = useMessage();
  const { values: current, bounds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? current;
  const summaryRef = useRef<HTMLDivElement>(null);
  const hasErrors = Object.keys(errors).length > 0;
  useEffect(() => {
    if (hasErrors) summaryRef.current?.focus();
  }, [actionData, hasErrors]);
  const label = (key: string) => t(`settings.fields.${key}.label`);
  const changedText = actionData?.ok
    ? actionData.changed.length
      ? t("settings.saved", { list: actionData.changed.map(label).join(", ") })
      : t("settings.unchanged")
    : null;
  return (
    <div className="narrow-wide settings-page">
      <h1>{t("settings.title")}</h1>
      <p>{t("settings.lead")}</p>
      <div role="status">{changedText ? <p className="notice notice--success">{changedText}</p> : null}</div>
      <FormMessage message={actionData?.refusal} />
      {hasErrors ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="settings-errors-title">
          <h2 id="settings-errors-title">{t("settings.errorSummary")}</h2>
          <ul>
            {FIELDS.filter((k) => errors[k]).map((k) => (
              <li key={k}>
                <a href={`#setting-${k}`}>{`${label(k)}: ${message(errors[k]!)}`}</a>
              </li>
            ))}
          </ul>
          <p>{t("settings.nothingChanged")}</p>
        </div>
      ) : null}
      {/* Saved values come back from the loader: remount so the fields show them (normalised word list). */}
      <Form method="post" noValidate key={JSON.stringify(current)}>
        <fieldset className="settings-group">
          <legend>{t("settings.numbersLegend")}</legend>
          {EDITABLE_NUMBER_KEYS.map((k) => {
            const error = errors[k];
            return (
              <FieldFrame
                key={k}
                id={`setting-${k}`}
                label={label(k)}
                hint={
                  <>
                    {t(`settings.fields.${k}.hint`)} {t("settings.range", { min: bounds[k].min, max: bounds[k].max })}
                  </>
                }
                error={error ? message(error) : null}
              >
                {({ id, aria }) => (
                  <input
                    id={id}
                    name={k}
                    type="text"
                    inputMode="numeric"
                    autoComplete="off"
                    spellCheck={false}
                    defaultValue={values[k]}
                    className="settings-number"
                    {...aria}
                  />
                )}
              </FieldFrame>
            );
          })}
        </fieldset>
        <FieldFrame
          id="setting-blockedWords"
          label={label("blockedWords")}
          hint={t("settings.fields.blockedWords.hint")}
          error={errors.blockedWords ? message(errors.blockedWords) : null}
        >
          {({ id, aria }) => (
            <textarea id={id} name="blockedWords" rows={10} defaultValue={values.blockedWords} spellCheck={false} autoCapitalize="none" {...aria} />
          )}
        </FieldFrame>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("settings.save")}
        </button>
      </Form>
    </div>
  );
}
