import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/http/guards.server";
import { eraseAccount } from "~/accounts/erasure.server";
import { blankSessionCookie } from "~/accounts/session.server";
import { removeMailFiles } from "~/notifications/mail-transport.server";
import { ErrorSummary, Field, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accountDelete.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

export const intents = ["delete-account"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  readIntent(form, intents, "delete-account");
  const result = await attemptAsync(() => eraseAccount(context.db, user, String(form.get("password") ?? "")), {}, "delete-account");
  if (!result.ok) return result.response;
  // The demo writes mail to files; an erased account's go with it.
  removeMailFiles(context.config.mailDir ?? "./data/mail", result.value.erasedOutboxIds);
  throw redirect("/account/deleted", { headers: { "Set-Cookie": blankSessionCookie(context.config) } });
}

export default function AccountDelete() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const navigation = useNavigation();
  const fieldError = useFieldError(actionData);
  const labels = { password: t("fields.password") };
  const effects = ["identity", "access", "contributions", "ballots", "log", "final"] as const;
  return (
    <div className="narrow">
      <h1>{t("accountDelete.title")}</h1>
      <p>{t("accountDelete.lead")}</p>
      <ul>
        {effects.map((e) => (
          <li key={e}>{t(`accountDelete.effects.${e}`)}</li>
        ))}
      </ul>
      <p>
        {t("accountDelete.downloadFirst")} <Link to="/account/data">{t("accountDelete.downloadLink")}</Link>
      </p>
      <ErrorSummary failure={actionData} labels={labels} />
      <Form method="post" noValidate ref={formRef}>
        <Field
          name="password"
          type="password"
          label={labels.password}
          autoComplete="current-password"
          required
          error={fieldError("password")}
          hint={t("accountDelete.passwordHint")}
        />
        <button type="submit" className="button--danger" disabled={navigation.state === "submitting"}>
          {t("accountDelete.submit")}
        </button>
      </Form>
      <p>
        <Link to="/account">{t("accountDelete.cancel")}</Link>
      </p>
    </div>
  );
}
