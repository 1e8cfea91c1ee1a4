import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser, safeRedirectPath } from "~/http/guards.server";
import { resendVerification } from "~/accounts/verification.server";
import { DomainError } from "~/domain-error";
import { FormMessage } from "~/ui/FormMessage";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";
import { retryAfterHeaders } from "~/http/retry-after.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "verifyEmail.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return { verified: Boolean(user.emailVerifiedAt), email: user.email };
}

/** "Send the link again", from this page, the account page or a vote box (rate-limited in the domain). */
export const intents = ["resend"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const form = await request.formData();
  readIntent(form, intents, "resend");
  const redirectTo = form.get("redirectTo") ? safeRedirectPath(form.get("redirectTo")) : null;
  try {
    const { sent } = resendVerification(context.db, user);
    return { sent, error: null, redirectTo };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ sent: false, error: { key: error.key, params: error.params }, redirectTo }, { status: error.status, headers: retryAfterHeaders(error) });
  }
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { verified, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>{t("verifyEmail.title")}</h1>
      <div role="status" aria-live="polite">
        {actionData?.sent ? <p className="notice notice--success">{t("verifyEmail.sent", { email })}</p> : null}
      </div>
      <FormMessage message={actionData?.error ?? null} />
      {verified ? (
        <p className="notice notice--success">{t("verifyEmail.alreadyVerified", { email })}</p>
      ) : (
        <>
          <p>{t("verifyEmail.why")}</p>
          <p>{t("verifyEmail.pending", { email })}</p>
          <Form method="post">
            {actionData?.redirectTo ? <input type="hidden" name="redirectTo" value={actionData.redirectTo} /> : null}
            <button type="submit" name="intent" value="resend">
              {t("verifyEmail.resend")}
            </button>
          </Form>
        </>
      )}
      {actionData?.redirectTo ? (
        <p>
          <Link to={actionData.redirectTo}>{t("verifyEmail.back")}</Link>
        </p>
      ) : (
        <p>
          <Link to="/account">{t("verifyEmail.toAccount")}</Link>
        </p>
      )}
    </div>
  );
}
