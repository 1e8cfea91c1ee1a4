import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAnonymous } from "~/http/guards.server";
import { assertSignUpAllowed } from "~/accounts/sign-in.server";
import { signUp } from "~/accounts/sign-up.server";
import { listKelurahan, PASSWORD_HINT } from "~/accounts/users.server";
import { ErrorSummary, Field, FieldFrame, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "register.title");

export async function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return { kelurahan: await listKelurahan(context.db), passwordHint: PASSWORD_HINT };
}

export const intents = ["register"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "register");
  const values = {
    displayName: String(form.get("displayName") ?? ""),
    email: String(form.get("email") ?? ""),
    areaId: String(form.get("areaId") ?? ""),
  };
  const result = await attemptAsync(
    async () => {
      await assertSignUpAllowed(context);
      return signUp(context.db, { ...values, areaId: values.areaId || null, password: String(form.get("password") ?? ""), locale: context.locale });
    },
    values,
    "register",
  );
  if (!result.ok) return result.response;
  // The same answer whether or not the address was registered already (see signUp): no session,
  // no redirect, only "check your inbox".
  return { ok: true as const, sent: result.value };
}

export default function Register() {
  const { t } = useTranslation();
  const { kelurahan, passwordHint } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const fieldError = useFieldError(failure);
  const values = failure?.values;
  const labels = {
    displayName: t("fields.displayName"),
    email: t("fields.email"),
    password: t("fields.password"),
    areaId: t("fields.kelurahan"),
  };
  if (actionData?.ok) {
    return (
      <div className="narrow">
        <h1>{t("register.sentTitle")}</h1>
        <div role="status" className="notice notice--success">
          <p>{t("register.sent", { email: actionData.sent.email })}</p>
        </div>
        <p>{t("register.sentHint")}</p>
        <p>
          <Link to="/login">{t("register.signInLink")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("register.title")}</h1>
      <p>{t("register.lead")}</p>
      <p>{t("verifyEmail.registerHint")}</p>
      <ErrorSummary failure={failure} labels={labels} />
      <Form method="post" noValidate ref={formRef}>
        <Field
          name="displayName"
          label={labels.displayName}
          autoComplete="nickname"
          required
          maxLength={60}
          defaultValue={values?.displayName}
          error={fieldError("displayName")}
          hint={t("register.displayNameHint")}
        />
        <Field
          name="email"
          type="email"
          label={labels.email}
          autoComplete="email"
          required
          defaultValue={values?.email}
          error={fieldError("email")}
          hint={t("register.emailHint")}
        />
        <Field
          name="password"
          type="password"
          label={labels.password}
          autoComplete="new-password"
          required
          error={fieldError("password")}
          hint={t("register.passwordHint", passwordHint)}
        />
        <FieldFrame id="field-areaId" label={labels.areaId} optional hint={t("register.kelurahanHint")} error={fieldError("areaId")}>
          {({ id, aria }) => (
            <select id={id} name="areaId" defaultValue={values?.areaId ?? ""} {...aria}>
              <option value="">{t("register.noKelurahan")}</option>
              {kelurahan.map((k) => (
                <option key={k.id} value={k.id}>
                  {`${k.name} (${k.kecamatan})`}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("register.submit")}
        </button>
      </Form>
      <p>
        {t("register.haveAccount")} <Link to="/login">{t("register.loginLink")}</Link>
      </p>
    </div>
  );
}
