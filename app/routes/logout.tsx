import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { blankSessionCookie, invalidateSession } from "~/accounts/session.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "logout.title");

/** GET never signs out (link prefetchers and scanners follow links); it offers the button. */
export async function loader({ context }: LoaderFunctionArgs) {
  return { signedIn: Boolean(context.session) };
}

export const intents = ["sign-out"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  readIntent(await request.formData(), intents, "sign-out");
  if (context.session) await invalidateSession(context.db, context.session.sessionId);
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie(context.config) } });
}

export default function Logout() {
  const { t } = useTranslation();
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>{t("logout.title")}</h1>
      {signedIn ? (
        <Form method="post">
          <p>{t("logout.confirm")}</p>
          <button type="submit">{t("nav.logout")}</button>
        </Form>
      ) : (
        <p>{t("logout.done")}</p>
      )}
    </div>
  );
}
