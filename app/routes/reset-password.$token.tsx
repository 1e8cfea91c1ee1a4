import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { checkResetToken, resetPassword } from "~/accounts/password-reset.server";
import { blankSessionCookie } from "~/accounts/session.server";
import { PASSWORD_HINT } from "~/accounts/users.server";
import { LinkProblem, linkProblemOf, linkProblemStatus, type LinkStatus } from "~/accounts/LinkProblem";
import { ErrorSummary, Field, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "resetPassword.title");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const check = await checkResetToken(context.db, params.token ?? "");
  if (check.status !== "valid") return data({ problem: check.status as LinkStatus, passwordHint: PASSWORD_HINT }, { status: linkProblemStatus(check.status) });
  return { problem: null, passwordHint: PASSWORD_HINT };
}

export const intents = ["reset-password"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "reset-password");
  // A link that can no longer be used comes back as a refusal whose `link` says why (the page explains it).
  const result = await attemptAsync(() => resetPassword(context.db, params.token ?? "", String(form.get("password") ?? "")), {}, "reset-password");
  if (!result.ok) return result.response;
  // Every session of the account ended, this device's too: sign in again with the new password.
  throw redirect("/login?reset=1", { headers: { "Set-Cookie": blankSessionCookie(context.config) } });
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { problem: loadProblem, passwordHint } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const navigation = useNavigation();
  const fieldError = useFieldError(actionData);
  const problem = linkProblemOf(actionData) ?? loadProblem;
  if (problem) return <LinkProblem status={problem} kind="reset" />;
  const labels = { password: t("fields.newPassword") };
  return (
    <div className="narrow">
      <h1>{t("resetPassword.title")}</h1>
      <p>{t("resetPassword.lead")}</p>
      <ErrorSummary failure={actionData} labels={labels} />
      <Form method="post" noValidate ref={formRef}>
        <Field
          name="password"
          type="password"
          label={labels.password}
          autoComplete="new-password"
          required
          error={fieldError("password")}
          hint={t("register.passwordHint", passwordHint)}
        />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("resetPassword.submit")}
        </button>
      </Form>
    </div>
  );
}
