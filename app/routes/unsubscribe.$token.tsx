import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getEmailMode } from "~/notifications/email-preferences.server";
import { readUnsubscribeToken, unsubscribeByToken } from "~/notifications/unsubscribe.server";
import { LinkProblem } from "~/accounts/LinkProblem";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "unsubscribe.title");

/**
 * The unsubscribe link of notification e-mail. GET changes nothing — mail scanners follow links —
 * and shows one confirm button. POST, from that button or from a mail client's one-click
 * unsubscribe (RFC 8058, `List-Unsubscribe=One-Click`), turns notification e-mail off. The signed
 * token is the authentication: no sign-in, and this path alone is exempt from the Origin check
 * (server/app.ts), because mail clients post without one.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const userId = await readUnsubscribeToken(context.db, params.token ?? "");
  if (userId === null) return data({ valid: false, subscribed: false }, { status: 400 });
  return { valid: true, subscribed: (await getEmailMode(context.db, userId)) !== "none" };
}

export const intents = ["unsubscribe"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  // A mail client's one-click post (RFC 8058) carries `List-Unsubscribe=One-Click`, or a body we
  // cannot read: the signed token in the URL is what counts, so an unreadable body is no intent.
  const intent = readIntent(await request.formData().catch(() => new FormData()), intents, "unsubscribe");
  const result = await attemptAsync(() => unsubscribeByToken(context.db, params.token ?? ""), {}, intent);
  if (!result.ok) return result.response;
  return { ok: true as const };
}

export default function Unsubscribe() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  if (done ? !done.ok : !loaded.valid) return <LinkProblem status="invalid" kind="unsubscribe" />;
  if (done?.ok) {
    return (
      <div className="narrow">
        <h1>{t("unsubscribe.doneTitle")}</h1>
        <p className="notice notice--success" role="status">
          {t("unsubscribe.done")}
        </p>
        <p>{t("unsubscribe.inApp")}</p>
        <p>
          <Link to="/account/email">{t("unsubscribe.change")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("unsubscribe.title")}</h1>
      <p>{loaded.subscribed ? t("unsubscribe.lead") : t("unsubscribe.already")}</p>
      <Form method="post">
        <button type="submit">{t("unsubscribe.confirm")}</button>
      </Form>
      <p>
        <Link to="/account/email">{t("unsubscribe.change")}</Link>
      </p>
    </div>
  );
}
