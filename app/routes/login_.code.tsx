import { redirect, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous, safeRedirectPath } from "~/http/guards.server";
import { sessionCookie } from "~/accounts/session.server";
import { readCookie } from "~/http/cookies.server";
import { challengeCookie, challengeCookieName, challengeIsValid, completeSignIn } from "~/accounts/two-factor.server";
import { audienceOf } from "~/i18n/audience";
import { readIntent } from "~/http/intent.server";
import { ErrorSummary, Field, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoFactor.signIn.title");

/** Back to the password, with the half sign-in forgotten; "expired" only when there was one. */
function restart(context: ActionFunctionArgs["context"], hadChallenge: boolean, redirectTo: string) {
  const query = new URLSearchParams({ ...(hadChallenge ? { expired: "1" } : {}), ...(redirectTo !== "/" ? { redirectTo } : {}) }).toString();
  return redirect(`/login${query ? `?${query}` : ""}`, { headers: { "Set-Cookie": challengeCookie(context.config, null) } });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  requireAnonymous(context, redirectTo);
  const token = readCookie(request, challengeCookieName(context.config));
  if (!(await challengeIsValid(context.db, token))) throw restart(context, Boolean(token), redirectTo);
  return null;
}

export const intents = ["verify"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "verify");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  requireAnonymous(context, redirectTo);
  const token = readCookie(request, challengeCookieName(context.config));
  const code = form.get("code");
  const attempted = await attemptAsync(
    () => completeSignIn(context.db, context.config, token, code),
    { code: typeof code === "string" ? code.slice(0, 64) : "" },
    "verify",
  );
  if (!attempted.ok) return attempted.status === 410 ? restart(context, Boolean(token), redirectTo) : attempted.response;
  const result = attempted.value;
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(context.config, result.token, result.expiresAt));
  headers.append("Set-Cookie", challengeCookie(context.config, null));
  // As after a password alone: staff get a new document with the staff area's strings.
  return audienceOf(result.user.role) === "staff" ? redirectDocument(redirectTo, { headers }) : redirect(redirectTo, { headers });
}

export default function SignInCode() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const fieldError = useFieldError(actionData);
  // A wrong code that has grown a delay, or a wait that holds, says how long.
  const wait = actionData?.errors[0]?.params.seconds;
  const labels = { code: t("twoFactor.signIn.code") };
  return (
    <div className="narrow">
      <h1>{t("twoFactor.signIn.title")}</h1>
      <p>{t("twoFactor.signIn.lead")}</p>
      <ErrorSummary failure={actionData} labels={labels} />
      {typeof wait === "number" ? <p className="notice notice--warning">{t("twoFactor.retryAfter", { count: wait })}</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          name="code"
          label={labels.code}
          hint={t("twoFactor.signIn.hint")}
          autoComplete="one-time-code"
          inputMode="text"
          maxLength={64}
          required
          defaultValue={actionData?.values.code}
          error={fieldError("code")}
        />
        <button type="submit" name="intent" value="verify" disabled={navigation.state === "submitting"}>
          {t("twoFactor.signIn.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("twoFactor.signIn.startAgain")}</Link>
      </p>
      <p>{t("twoFactor.signIn.lost")}</p>
    </div>
  );
}
