import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { eq } from "drizzle-orm";
import { requireUser } from "~/http/guards.server";
import { sessionCookie } from "~/accounts/session.server";
import { mayUseSecondFactor, twoFactorStatus } from "~/accounts/two-factor.server";
import { changePassword, PASSWORD_HINT } from "~/accounts/users.server";
import { getEmailMode } from "~/notifications/email-preferences.server";
import { ErrorSummary, Field, useClearPasswordsOnResult, useFieldError } from "~/ui/form";
import { attemptAsync } from "~/http/domain-response.server";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { tables } from "~db/engine";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const twoFactor = await twoFactorStatus(context.db, user, context.config);
  const { areas } = tables(context.db);
  const area = user.areaId ? (await context.db.select({ name: areas.name }).from(areas).where(eq(areas.id, user.areaId)).limit(1))[0] : null;
  return {
    profile: {
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      area: area?.name ?? null,
      createdAt: user.createdAt,
      suspendedUntil: user.suspendedUntil,
      verified: Boolean(user.emailVerifiedAt),
    },
    emailMode: await getEmailMode(context.db, user.id),
    passwordHint: PASSWORD_HINT,
    // Staff are offered a second factor; anyone who still has one (a former moderator) may manage it.
    twoFactor: mayUseSecondFactor(user) || twoFactor.enabled ? twoFactor : null,
  };
}

export const intents = ["change-password"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  readIntent(form, intents, "change-password");
  const input = { currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") };
  const result = await attemptAsync(() => changePassword(context.db, user, input), {}, "change-password");
  if (!result.ok) return result.response;
  return data({ ok: true as const }, { headers: { "Set-Cookie": sessionCookie(context.config, result.value.token, result.value.expiresAt) } });
}

export default function Account() {
  const { t } = useTranslation();
  const f = useFormat();
  const { profile, emailMode, passwordHint, twoFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formRef = useClearPasswordsOnResult(actionData);
  const failure = actionData && !actionData.ok ? actionData : null;
  const fieldError = useFieldError(failure);
  const labels = { currentPassword: t("fields.currentPassword"), newPassword: t("fields.newPassword") };
  return (
    <div className="narrow">
      <h1>{t("account.title")}</h1>
      <dl className="facts">
        <div>
          <dt>{t("fields.displayName")}</dt>
          <dd>{profile.displayName}</dd>
        </div>
        <div>
          <dt>{t("fields.email")}</dt>
          <dd>
            {profile.email}{" "}
            {profile.verified ? (
              <span className="badge">{t("accountRights.verified")}</span>
            ) : (
              <span className="badge badge--pending">{t("accountRights.unverified")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("account.role")}</dt>
          <dd>{t(`roles.${profile.role}`)}</dd>
        </div>
        <div>
          <dt>{t("fields.kelurahan")}</dt>
          <dd>{profile.area ?? t("account.noArea")}</dd>
        </div>
        <div>
          <dt>{t("account.memberSince")}</dt>
          <dd>{f.date(profile.createdAt)}</dd>
        </div>
      </dl>
      {profile.verified ? null : (
        <div className="notice notice--warning">
          <p>{t("accountRights.unverifiedHint")}</p>
          <Form method="post" action="/verify-email" className="inline-form">
            <input type="hidden" name="redirectTo" value="/account" />
            <button type="submit" name="intent" value="resend" className="button--secondary">
              {t("verifyEmail.resend")}
            </button>
          </Form>
        </div>
      )}
      <h2>{t("accountRights.heading")}</h2>
      <ul>
        <li>
          <Link to="/account/email">{t("emailPrefs.title")}</Link> — {t(`emailPrefs.modes.${emailMode}`)}
        </li>
        <li>
          <Link to="/account/data">{t("accountData.title")}</Link>
        </li>
        <li>
          <Link to="/account/delete">{t("accountDelete.title")}</Link>
        </li>
        <li>
          <Link to="/privacy">{t("privacy.title")}</Link>
        </li>
      </ul>
      {twoFactor ? (
        <>
          <h2>{t("twoFactor.title")}</h2>
          <p>
            {twoFactor.enabled ? t("twoFactor.statusOn", { count: twoFactor.recoveryCodesLeft }) : t("twoFactor.statusOff")}{" "}
            <Link to="/account/two-factor">{twoFactor.enabled ? t("twoFactor.manageLink") : t("twoFactor.enrolLink")}</Link>
          </p>
        </>
      ) : null}
      <h2>{t("account.changePassword")}</h2>
      <div role="status" aria-live="polite">
        {actionData?.ok ? <p className="notice notice--success">{t("account.passwordChanged")}</p> : null}
      </div>
      <ErrorSummary failure={failure} labels={labels} />
      <Form method="post" noValidate ref={formRef}>
        <Field
          name="currentPassword"
          type="password"
          label={labels.currentPassword}
          autoComplete="current-password"
          required
          error={fieldError("currentPassword")}
        />
        <Field
          name="newPassword"
          type="password"
          label={labels.newPassword}
          autoComplete="new-password"
          required
          error={fieldError("newPassword")}
          hint={t("register.passwordHint", passwordHint)}
        />
        <button type="submit">{t("account.changePasswordSubmit")}</button>
      </Form>
    </div>
  );
}
