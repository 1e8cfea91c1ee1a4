import { redirect, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous, safeRedirectPath } from "~/http/guards.server";
import { signIn } from "~/accounts/sign-in.server";
import { audienceOf } from "~/i18n/audience";
import { sessionCookie } from "~/accounts/session.server";
import { challengeCookie } from "~/accounts/two-factor.server";
import { ErrorSummary, Field, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context, safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export const intents = ["sign-in"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "sign-in");
  const email = String(form.get("email") ?? "").slice(0, 500);
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const attempted = await attemptAsync(() => signIn(context, { email, password }), { email }, "sign-in");
  if (!attempted.ok) return attempted.response;
  const result = attempted.value;
  if (result.step === "second-factor") {
    // The password was right; no session until the code. The code page holds the half sign-in.
    const headers = { "Set-Cookie": challengeCookie(context.config, result.challengeToken, result.expiresAt) };
    return redirect(`/login/code?redirectTo=${encodeURIComponent(redirectTo)}`, { headers });
  }
  const headers = { "Set-Cookie": sessionCookie(context.config, result.token, result.expiresAt) };
  // Staff need the staff area's strings, which a resident's page did not load: a new document
  // fetches them (see app/i18n/audience.ts). Residents go on without reloading.
  return audienceOf(result.user.role) === "staff" ? redirectDocument(redirectTo, { headers }) : redirect(redirectTo, { headers });
}

export default function Login() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const fieldError = useFieldError(actionData);
  // A rate limit's refusal says how long to wait.
  const wait = actionData?.errors[0]?.params.seconds;
  const labels = { email: t("fields.email"), password: t("fields.password") };
  return (
    <div className="narrow">
      <h1>{t("login.title")}</h1>
      {params.get("expired") === "1" && !actionData ? (
        <p className="notice notice--warning" role="status">
          {t("twoFactor.challengeExpired")}
        </p>
      ) : null}
      {params.get("reset") === "1" && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("resetPassword.done")}
        </p>
      ) : null}
      <ErrorSummary failure={actionData} labels={labels} />
      {typeof wait === "number" ? <p className="notice notice--warning">{t("errorPages.retryAfter", { count: Math.ceil(wait / 60) })}</p> : null}
      <Form method="post" noValidate ref={formRef}>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          name="email"
          type="email"
          label={labels.email}
          autoComplete="email"
          required
          defaultValue={actionData?.values.email}
          error={fieldError("email")}
        />
        <Field name="password" type="password" label={labels.password} autoComplete="current-password" required error={fieldError("password")} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("forgotPassword.link")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link to="/register">{t("login.registerLink")}</Link>
      </p>
    </div>
  );
}
