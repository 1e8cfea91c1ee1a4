import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { currentModerationSettings, EDITABLE_NUMBERS, updateModerationSettings } from "~/moderation/settings-admin.server";
import { EDITABLE_NUMBER_KEYS } from "~/moderation/settings-labels";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "settings.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const current = await currentModerationSettings(context.db);
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
  const admin = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const intent = readIntent(form, intents, "save-settings");
  const values = { ...formValues(form, [...EDITABLE_NUMBER_KEYS], 50), ...formValues(form, ["blockedWords"], 100_000) };
  // Every wrong field comes back at once; a suspended admin keeps the page but not the power
  // (decision 009). Either way, what was typed stays.
  const result = await attemptAsync(
    () =>
      updateModerationSettings(context.db, admin, {
        numbers: Object.fromEntries(EDITABLE_NUMBER_KEYS.map((k) => [k, values[k] ?? ""])),
        blockedWords: values.blockedWords ?? "",
      }),
    values,
    intent,
  );
  if (!result.ok) return result.response;
  return { ok: true as const, changed: result.value.changed };
}

const FIELDS = [...EDITABLE_NUMBER_KEYS, "blockedWords"] as const;

export default function StaffSettings() {
  const { t } = useTranslation();
  const { values: current, bounds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const fieldError = useFieldError(failure);
  const values = failure?.values ?? current;
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
      {failure?.errors.every((e) => e.field === "form") ? (
        // A refusal of the whole change (a suspended admin): its message alone.
        <ErrorSummary failure={failure} layout="inline" />
      ) : (
        <ErrorSummary failure={failure} labels={Object.fromEntries(FIELDS.map((k) => [k, label(k)]))} idPrefix="setting" title={t("settings.errorSummary")}>
          <p>{t("settings.nothingChanged")}</p>
        </ErrorSummary>
      )}
      {/* Saved values come back from the loader: remount so the fields show them (normalised word list). */}
      <Form method="post" noValidate key={JSON.stringify(current)}>
        <fieldset className="settings-group">
          <legend>{t("settings.numbersLegend")}</legend>
          {EDITABLE_NUMBER_KEYS.map((k) => {
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
                error={fieldError(k)}
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
        <FieldFrame id="setting-blockedWords" label={label("blockedWords")} hint={t("settings.fields.blockedWords.hint")} error={fieldError("blockedWords")}>
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
