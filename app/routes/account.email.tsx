import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/http/guards.server";
import { getEmailMode, setEmailMode } from "~/notifications/email-preferences.server";
import { NOTIFICATION_EMAIL_MODES } from "~db/schema/mail-values";
import { attemptAsync } from "~/http/domain-response.server";
import { ErrorSummary } from "~/ui/form";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "emailPrefs.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { mode: await getEmailMode(context.db, user.id), verified: Boolean(user.emailVerifiedAt), email: user.email };
}

export const intents = ["set-email-mode"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = readIntent(form, intents, "set-email-mode");
  const result = await attemptAsync(async () => setEmailMode(context.db, user.id, form.get("mode")), {}, intent);
  if (!result.ok) return result.response;
  return { ok: true as const, saved: result.value };
}

export default function EmailPreferences() {
  const { t } = useTranslation();
  const { mode, verified, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const current = (actionData?.ok ? actionData.saved : null) ?? mode;
  return (
    <div className="narrow">
      <h1>{t("emailPrefs.title")}</h1>
      <p>{t("emailPrefs.lead", { email })}</p>
      {verified ? null : (
        <p className="notice notice--warning">
          {t("emailPrefs.unverified")} <Link to="/verify-email">{t("emailPrefs.verifyLink")}</Link>
        </p>
      )}
      <div role="status" aria-live="polite">
        {actionData?.ok ? <p className="notice notice--success">{t("emailPrefs.saved", { choice: t(`emailPrefs.modes.${actionData.saved}`) })}</p> : null}
      </div>
      <ErrorSummary failure={actionData && !actionData.ok ? actionData : null} layout="inline" />
      <Form method="post">
        <fieldset>
          <legend>{t("emailPrefs.legend")}</legend>
          {NOTIFICATION_EMAIL_MODES.map((m) => (
            <div className="radio" key={m}>
              <input type="radio" id={`mode-${m}`} name="mode" value={m} defaultChecked={current === m} aria-describedby={`mode-${m}-hint`} />
              <label htmlFor={`mode-${m}`}>{t(`emailPrefs.modes.${m}`)}</label>
              <p className="field__hint" id={`mode-${m}-hint`}>
                {t(`emailPrefs.hints.${m}`)}
              </p>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t("emailPrefs.save")}</button>
      </Form>
      <p className="muted">{t("emailPrefs.inApp")}</p>
      <p>
        <Link to="/account">{t("verifyEmail.toAccount")}</Link>
      </p>
    </div>
  );
}
