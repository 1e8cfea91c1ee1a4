import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { liftSuspension } from "~/moderation/suspensions.server";
import { listSuspendedUsers } from "~/moderation/suspended-users.server";
import { ModerationNav } from "~/moderation/ModerationNav";
import { attemptAsync, formValues, refused } from "~/http/domain-response.server";
import { DomainError } from "~/domain-error";
import { ErrorSummary } from "~/ui/form";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";
import { readIntent } from "~/http/intent.server";
import { parseId } from "~/ids";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "moderation.suspensions.title");

const LIFT_REASON_MAX = 500;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, MODERATOR_ROLES);
  const url = new URL(request.url);
  const result = await listSuspendedUsers(context.db, pageParam(url));
  return {
    ...result,
    rows: result.rows.map((r) => ({ ...r, permanent: Boolean(r.suspendedUntil && r.suspendedUntil.getUTCFullYear() >= 9999) })),
  };
}

export const intents = ["lift"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, MODERATOR_ROLES);
  const form = await request.formData();
  readIntent(form, intents, "lift");
  const values = formValues(form, ["userId", "name", "reason"], LIFT_REASON_MAX + 100);
  const userId = parseId(values.userId);
  if (userId === null) throw new Response("Not found", { status: 404 });
  if ((values.reason ?? "").length > LIFT_REASON_MAX)
    return refused(new DomainError(400, "errors.tooLongMax", { max: LIFT_REASON_MAX }, "reason"), values, "lift").response;
  const result = await attemptAsync(() => liftSuspension(context.db, moderator, userId, values.reason ?? ""), values, "lift");
  if (!result.ok) return result.response;
  return { ok: true as const, name: values.name ?? "" };
}

export default function Suspensions() {
  const { t } = useTranslation();
  const f = useFormat();
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mod-page">
      <h1>{t("moderation.suspensions.title")}</h1>
      <ModerationNav />
      <p>{t("moderation.suspensions.lead")}</p>
      <div role="status">
        {actionData?.ok ? <p className="notice notice--success">{t("moderation.suspensions.lifted", { name: actionData.name })}</p> : null}
      </div>
      <ErrorSummary failure={failure} layout="inline" />
      <p>{t("moderation.suspensions.count", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <ul className="mod-cards">
          {rows.map((u) => (
            <li key={u.id} className="mod-card">
              <h2 className="mod-card__title">
                {u.displayName}
                {u.role !== "resident" ? <span className="muted"> ({t(`roles.${u.role}`)})</span> : null}
              </h2>
              <dl className="facts">
                <div>
                  <dt>{t("moderation.suspensions.until")}</dt>
                  <dd>{u.permanent ? t("moderation.suspensions.permanent") : f.dateTime(u.suspendedUntil!)}</dd>
                </div>
                <div>
                  <dt>{t("moderation.suspensions.reason")}</dt>
                  <dd className="pre-line">{u.suspensionReason ?? "—"}</dd>
                </div>
                {u.suspendedAt ? (
                  <div>
                    <dt>{t("moderation.suspensions.since")}</dt>
                    <dd>{t("moderation.suspensions.sinceBy", { date: f.dateTime(u.suspendedAt), name: u.suspendedBy ?? "?" })}</dd>
                  </div>
                ) : null}
              </dl>
              <Form method="post" className="mod-card__form">
                <input type="hidden" name="userId" value={u.id} />
                <input type="hidden" name="name" value={u.displayName} />
                <div className="field">
                  <label htmlFor={`lift-reason-${u.id}`}>
                    {t("moderation.suspensions.liftReason")} <span className="optional">({t("form.optional")})</span>
                  </label>
                  <input
                    id={`lift-reason-${u.id}`}
                    name="reason"
                    type="text"
                    maxLength={LIFT_REASON_MAX}
                    defaultValue={failure?.values.userId === String(u.id) ? failure.values.reason : undefined}
                  />
                </div>
                <button type="submit" disabled={navigation.state === "submitting" && navigation.formData?.get("userId") === String(u.id)}>
                  {t("moderation.suspensions.lift")}
                  <span className="visually-hidden"> {u.displayName}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="notice notice--info">{t("moderation.suspensions.empty")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
