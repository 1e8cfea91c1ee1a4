import { type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestPasswordReset } from "~/accounts/password-reset.server";
import { RETENTION } from "~/privacy/retention";
import { ErrorSummary, Field, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "forgotPassword.title");

/** The answer is the same whether or not an account has the address; see requestPasswordReset. */
export const intents = ["request-reset"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "request-reset");
  const email = String(form.get("email") ?? "").slice(0, 500);
  const result = await attemptAsync(() => requestPasswordReset(context.db, { email, clientAddress: context.clientAddress }), { email }, "request-reset");
  if (!result.ok) return result.response;
  return { ok: true as const, email: email.trim() };
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const fieldError = useFieldError(failure);
  const labels = { email: t("fields.email") };
  if (actionData?.ok) {
    return (
      <div className="narrow">
        <h1>{t("forgotPassword.title")}</h1>
        <div role="status" className="notice notice--success">
          <p>{t("forgotPassword.sent", { email: actionData.email })}</p>
        </div>
        <p>{t("forgotPassword.sentHint", { count: RETENTION.resetLinkMinutes })}</p>
        <p>
          <Link to="/login">{t("forgotPassword.backToLogin")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("forgotPassword.title")}</h1>
      <p>{t("forgotPassword.lead")}</p>
      <ErrorSummary failure={failure} labels={labels} />
      <Form method="post" noValidate>
        <Field name="email" type="email" label={labels.email} autoComplete="email" required defaultValue={failure?.values.email} error={fieldError("email")} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("forgotPassword.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("forgotPassword.backToLogin")}</Link>
      </p>
    </div>
  );
}
