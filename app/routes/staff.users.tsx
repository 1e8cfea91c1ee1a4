import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { changeRole, listUsers } from "~/accounts/users.server";
import { DomainError } from "~/domain-error";
import { formValues, refused } from "~/http/domain-response.server";
import { ErrorSummary } from "~/ui/form";
import { Pagination, pageParam } from "~/ui/pagination";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { ROLES, type Role } from "~db/schema/values";
import { readIntent } from "~/http/intent.server";
import { parseId } from "~/ids";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffUsers.title");

const isRole = (v: unknown): v is Role => typeof v === "string" && (ROLES as readonly string[]).includes(v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const role = url.searchParams.get("role");
  const result = await listUsers(context.db, { query, role: isRole(role) ? role : null, page: pageParam(url) });
  return { ...result, query, role: isRole(role) ? role : "" };
}

export const intents = ["change-role"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const intent = readIntent(form, intents, "change-role");
  const values = formValues(form, ["userId", "role"], 50);
  const userId = parseId(values.userId);
  const role = values.role;
  if (userId === null || !isRole(role)) return refused(new DomainError(400, "staffUsers.invalid"), values, intent).response;
  try {
    const result = await changeRole(context.db, actor, userId, role);
    if (!result.changed)
      return refused(new DomainError(400, result.reason === "self" ? "staffUsers.notSelf" : "staffUsers.unchanged"), values, intent).response;
    return { ok: true as const, userId };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // A suspended admin keeps the page but not the power (decision 009): said in one plain sentence.
    const refusal = error.key.startsWith("accounts.refusal.suspended") ? new DomainError(error.status, "accounts.refusal.suspended") : error;
    return refused(refusal, values, intent).response;
  }
}

export default function StaffUsers() {
  const { t } = useTranslation();
  const f = useFormat();
  const { rows, total, page, pageCount, query, role } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("staffUsers.title")}</h1>
      <Form method="get" action="/staff/users" className="filters" role="search">
        <div className="field">
          <label htmlFor="users-q">{t("staffUsers.search")}</label>
          <input id="users-q" name="q" type="search" defaultValue={query} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="users-role">{t("staffUsers.role")}</label>
          <select id="users-role" name="role" defaultValue={role}>
            <option value="">{t("staffUsers.allRoles")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("staffUsers.apply")}</button>
      </Form>
      <div role="status" aria-live="polite">
        {actionData?.ok ? <p className="notice notice--success">{t("staffUsers.changed")}</p> : null}
      </div>
      <ErrorSummary failure={actionData && !actionData.ok ? actionData : null} layout="inline" />
      <p>{t("staffUsers.count", { count: total, formatted: f.number(total) })}</p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("staffUsers.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("fields.displayName")}</th>
              <th scope="col">{t("fields.email")}</th>
              <th scope="col">{t("staffUsers.joined")}</th>
              <th scope="col">{t("staffUsers.role")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.displayName}</th>
                <td>{u.email}</td>
                <td>{f.date(u.createdAt)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={u.id} />
                    <label htmlFor={`role-${u.id}`} className="visually-hidden">
                      {t("staffUsers.roleOf", { name: u.displayName })}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role} key={`${u.id}-${u.role}`}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`roles.${r}`)}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" aria-label={t("staffUsers.saveRoleOf", { name: u.displayName })}>
                      {t("staffUsers.save")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}
