import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireSignedIn, safeRedirectPath } from "~/http/guards.server";
import {
  confirmEnrolment,
  disableSecondFactor,
  enrolmentFor,
  mayUseSecondFactor,
  renewRecoveryCodes,
  TOTP_DIGITS,
  TOTP_PERIOD_SECONDS,
  twoFactorStatus,
} from "~/accounts/two-factor.server";
import { readIntent } from "~/http/intent.server";
import { attemptAsync } from "~/http/domain-response.server";
import { ErrorSummary, Field, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoFactor.title");

// The page shows a secret and recovery codes: no cache may keep it.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

/**
 * GET /account/two-factor — staff add, renew or turn off their second factor. The one page an
 * admin of a real deployment may open before having one (requireSignedIn, not requireUser).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireSignedIn(request, context);
  const status = await twoFactorStatus(context.db, user, context.config);
  if (!status.enabled && !mayUseSecondFactor(user)) throw new Response("Not Found", { status: 404 });
  const params = new URL(request.url).searchParams;
  return {
    status,
    enrolment: status.enabled ? null : await enrolmentFor(context.db, context.config, user),
    redirectTo: safeRedirectPath(params.get("redirectTo"), "/account"),
    turnedOff: params.get("off") === "1",
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
  };
}

export const intents = ["confirm", "new-secret", "renew-codes", "disable"] as const;

type Intent = (typeof intents)[number];

const codeField = (intent: Intent) => (intent === "renew-codes" ? "renewCode" : "code");

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireSignedIn(request, context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  // The renewal form sits on the same page as the one that turns the factor off: its field has a name (and id) of its own.
  const field = codeField(intent);
  const code = form.get(field);
  const typed = { [field]: typeof code === "string" ? code.slice(0, 64) : "" };
  const here = `/account/two-factor?redirectTo=${encodeURIComponent(safeRedirectPath(form.get("redirectTo"), "/account"))}`;
  if (intent === "new-secret") {
    await enrolmentFor(context.db, context.config, user, { fresh: true });
    return redirect(here);
  }
  const options = { fieldNames: { code: field } };
  if (intent === "disable") {
    const disabled = await attemptAsync(
      () => disableSecondFactor(context.db, context.config, user, { password: form.get("password"), code }),
      typed,
      intent,
      options,
    );
    return disabled.ok ? redirect("/account/two-factor?off=1") : disabled.response;
  }
  const result = await attemptAsync(
    () => (intent === "confirm" ? confirmEnrolment : renewRecoveryCodes)(context.db, context.config, user, code),
    typed,
    intent,
    options,
  );
  if (!result.ok) return result.response;
  // Shown once, after turning the factor on or renewing the codes.
  return { ok: true as const, intent, recoveryCodes: result.value.recoveryCodes };
}

/** One form that takes a code (and, to turn the factor off, the password), with its own errors. */
function CodeForm({
  intent,
  submit,
  buttonClass,
  redirectTo,
  withPassword = false,
}: {
  intent: Intent;
  submit: string;
  buttonClass?: string;
  redirectTo: string;
  withPassword?: boolean;
}) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const mine = actionData && !actionData.ok && actionData.intent === intent ? actionData : null;
  const fieldError = useFieldError(mine);
  const field = codeField(intent);
  // A wrong code that has grown a delay, or a wait that holds, says how long.
  const wait = mine?.errors[0]?.params.seconds;
  const labels = { [field]: t("twoFactor.code"), password: t("fields.password") };
  return (
    <>
      <ErrorSummary failure={mine} labels={labels} />
      {typeof wait === "number" ? <p className="notice notice--warning">{t("twoFactor.retryAfter", { count: wait })}</p> : null}
      <Form method="post" noValidate ref={formRef}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {withPassword ? (
          <Field name="password" type="password" label={labels.password} autoComplete="current-password" required error={fieldError("password")} />
        ) : null}
        <Field
          name={field}
          label={t("twoFactor.code")}
          // Turning it off takes a recovery code too, which has letters.
          hint={withPassword ? t("twoFactor.disableCodeHint") : undefined}
          inputMode={withPassword ? "text" : "numeric"}
          autoComplete="one-time-code"
          maxLength={64}
          required
          defaultValue={mine?.values[field]}
          error={fieldError(field)}
        />
        <button type="submit" name="intent" value={intent} className={buttonClass}>
          {submit}
        </button>
      </Form>
    </>
  );
}

export default function TwoFactor() {
  const { t } = useTranslation();
  const { status, enrolment, redirectTo, turnedOff, period, digits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>{t("twoFactor.title")}</h1>
      {turnedOff && !actionData ? (
        <p className="notice notice--success" role="status">
          {t("twoFactor.turnedOff")}
        </p>
      ) : null}
      {status.required && !status.enabled ? <p className="notice notice--warning">{t("twoFactor.requiredLead")}</p> : null}

      {actionData?.ok ? (
        <section className="notice notice--success" aria-labelledby="recovery-title">
          <h2 id="recovery-title">{actionData.intent === "confirm" ? t("twoFactor.enabled") : t("twoFactor.codesRenewed")}</h2>
          <p>{t("twoFactor.recoveryLead")}</p>
          <ol className="recovery-codes">
            {actionData.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <p>
            <Link to={redirectTo}>{t("twoFactor.continue")}</Link>
          </p>
        </section>
      ) : null}

      {status.enabled ? (
        <>
          <p>{t("twoFactor.statusOn", { count: status.recoveryCodesLeft })}</p>
          <h2>{t("twoFactor.renewTitle")}</h2>
          <p>{t("twoFactor.renewLead")}</p>
          <CodeForm intent="renew-codes" submit={t("twoFactor.renewSubmit")} buttonClass="button--secondary" redirectTo={redirectTo} />
          <h2>{t("twoFactor.disableTitle")}</h2>
          {status.required ? (
            <p>{t("twoFactor.requiredForAdmins")}</p>
          ) : (
            <>
              <p>{t("twoFactor.disableLead")}</p>
              <CodeForm intent="disable" submit={t("twoFactor.disableSubmit")} buttonClass="button--danger" redirectTo={redirectTo} withPassword />
            </>
          )}
        </>
      ) : enrolment ? (
        <>
          <p>{t("twoFactor.lead")}</p>
          <ol>
            <li>{t("twoFactor.step1")}</li>
            <li>
              {t("twoFactor.step2")}
              <dl className="facts">
                <div>
                  <dt>{t("twoFactor.secret")}</dt>
                  <dd>
                    <code>{enrolment.secretText}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t("twoFactor.settings")}</dt>
                  <dd>{t("twoFactor.settingsValue", { digits, period })}</dd>
                </div>
                <div>
                  <dt>{t("twoFactor.uri")}</dt>
                  <dd>
                    <a href={enrolment.uri} className="break-anywhere">
                      {enrolment.uri}
                    </a>
                  </dd>
                </div>
              </dl>
            </li>
            <li>{t("twoFactor.step3", { digits })}</li>
          </ol>
          <CodeForm intent="confirm" submit={t("twoFactor.confirmSubmit")} redirectTo={redirectTo} />
          <Form method="post">
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <p>
              {t("twoFactor.newSecretLead")}{" "}
              <button type="submit" name="intent" value="new-secret" className="button--secondary">
                {t("twoFactor.newSecretSubmit")}
              </button>
            </p>
          </Form>
        </>
      ) : null}
    </div>
  );
}
