import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser, safeRedirectPath } from "~/http/guards.server";
import { resendVerification } from "~/accounts/verification.server";
import { ErrorSummary } from "~/ui/form";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";
import { attemptAsync } from "~/http/domain-response.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "verifyEmail.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { verified: Boolean(user.emailVerifiedAt), email: user.email };
}

/** "Send the link again", from this page, the account page or a vote box (rate-limited in the domain). */
export const intents = ["resend"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = readIntent(form, intents, "resend");
  const redirectTo = form.get("redirectTo") ? safeRedirectPath(form.get("redirectTo")) : null;
  const result = await attemptAsync(() => resendVerification(context.db, user), redirectTo ? { redirectTo } : {}, intent);
  if (!result.ok) return result.response;
  return { ok: true as const, sent: result.value.sent, redirectTo };
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { verified, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const redirectTo = actionData?.ok ? actionData.redirectTo : actionData?.values.redirectTo;
  return (
    <div className="narrow">
      <h1>{t("verifyEmail.title")}</h1>
      <div role="status" aria-live="polite">
        {actionData?.ok && actionData.sent ? <p className="notice notice--success">{t("verifyEmail.sent", { email })}</p> : null}
      </div>
      <ErrorSummary failure={actionData && !actionData.ok ? actionData : null} layout="inline" />
      {verified ? (
        <p className="notice notice--success">{t("verifyEmail.alreadyVerified", { email })}</p>
      ) : (
        <>
          <p>{t("verifyEmail.why")}</p>
          <p>{t("verifyEmail.pending", { email })}</p>
          <Form method="post">
            {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
            <button type="submit" name="intent" value="resend">
              {t("verifyEmail.resend")}
            </button>
          </Form>
        </>
      )}
      {redirectTo ? (
        <p>
          <Link to={redirectTo}>{t("verifyEmail.back")}</Link>
        </p>
      ) : (
        <p>
          <Link to="/account">{t("verifyEmail.toAccount")}</Link>
        </p>
      )}
    </div>
  );
}
