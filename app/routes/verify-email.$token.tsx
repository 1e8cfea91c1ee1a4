import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { checkVerificationToken, verifyEmail } from "~/accounts/verification.server";
import { LinkProblem, linkProblemOf, linkProblemStatus, type LinkStatus } from "~/accounts/LinkProblem";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "verifyEmail.confirmTitle");

/**
 * The link in the verification e-mail. Opening it only shows a button: mail scanners follow
 * links, and a GET that used up the single-use link would leave the person with a dead one.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const check = await checkVerificationToken(context.db, params.token ?? "");
  // After the confirmation (POST, then redirect here): a used verification link means a confirmed address.
  if (check.status === "used" && new URL(request.url).searchParams.get("confirmed") === "1") return { problem: null, confirmed: true };
  if (check.status !== "valid") return data({ problem: check.status as LinkStatus, confirmed: false }, { status: linkProblemStatus(check.status) });
  return { problem: null, confirmed: false };
}

export const intents = ["verify"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const intent = readIntent(await request.formData(), intents, "verify");
  // A link that cannot be used comes back as a refusal whose `link` says why (the page explains it).
  const result = await attemptAsync(() => verifyEmail(context.db, params.token ?? ""), {}, intent);
  if (!result.ok) return result.response;
  // Post/redirect/get: reloading the page does not post again.
  throw redirect(`${new URL(request.url).pathname}?confirmed=1`);
}

export default function ConfirmEmail() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const problem = linkProblemOf(failed) ?? loaded.problem;
  if (problem) return <LinkProblem status={problem} kind="verify" />;
  if (loaded.confirmed) {
    return (
      <div className="narrow">
        <h1>{t("verifyEmail.doneTitle")}</h1>
        <p className="notice notice--success" role="status">
          {t("verifyEmail.done")}
        </p>
        <p>
          <Link to="/projects" className="button">
            {t("verifyEmail.toProjects")}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("verifyEmail.confirmTitle")}</h1>
      <p>{t("verifyEmail.confirmLead")}</p>
      <Form method="post">
        <button type="submit">{t("verifyEmail.confirm")}</button>
      </Form>
    </div>
  );
}
