import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/http/guards.server";
import { readIntent } from "~/http/intent.server";
import { refused } from "~/http/domain-response.server";
import { DomainError } from "~/domain-error";
import { ErrorSummary } from "~/ui/form";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "~/notifications/notifications.server";
import { safeRedirectPath } from "~/http/guards.server";
import { Pagination, pageParam } from "~/ui/pagination";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import type { Notification } from "~db/schema";
import { parseId } from "~/ids";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const result = await listNotifications(context.db, user.id, pageParam(new URL(request.url)));
  return {
    ...result,
    rows: result.rows.map((n) => ({ id: n.id, kind: n.kind, link: safeRedirectPath(n.link), params: n.params, readAt: n.readAt, createdAt: n.createdAt })),
  };
}

export const intents = ["read", "read-all"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  if (intent === "read-all") {
    const changed = await markAllNotificationsRead(context.db, user.id);
    return { ok: true as const, message: "notifications.allMarked", count: changed };
  }
  const id = parseId(form.get("id"));
  if (id === null) return refused(new DomainError(400, "errors.invalid"), {}, intent).response;
  await markNotificationRead(context.db, user.id, id);
  return { ok: true as const, message: "notifications.marked", count: 1 };
}

type Row = Pick<Notification, "id" | "kind" | "link" | "params" | "readAt" | "createdAt">;

function useNotificationText() {
  const { t } = useTranslation();
  return (n: Pick<Row, "kind" | "params">) => {
    const params: Record<string, string> = { ...n.params };
    if (params.phase) params.phase = t(`phases.${params.phase}`);
    if (params.status) params.status = t(`notifications.status.${params.status}`);
    if (params.outcome) params.outcome = t(`notifications.outcome.${params.outcome}`);
    return t(`notifications.kinds.${n.kind}`, params);
  };
}

export default function Notifications() {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useNotificationText();
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const unreadOnPage = rows.some((n) => !n.readAt);
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      <div role="status" aria-live="polite">
        {actionData?.ok ? <p className="notice notice--success">{t(actionData.message)}</p> : null}
      </div>
      <ErrorSummary failure={actionData && !actionData.ok ? actionData : null} layout="inline" />
      {total === 0 ? <p>{t("notifications.none")}</p> : null}
      {unreadOnPage || page > 1 ? (
        <Form method="post">
          <button type="submit" name="intent" value="read-all">
            {t("notifications.markAll")}
          </button>
        </Form>
      ) : null}
      <ul className="notification-list">
        {rows.map((n) => (
          <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
            <p>
              {n.readAt ? null : <span className="badge">{t("notifications.new")}</span>} <Link to={n.link}>{text(n)}</Link>
            </p>
            <p className="muted">{f.dateTime(n.createdAt)}</p>
            {n.readAt ? null : (
              <Form method="post">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" name="intent" value="read" className="link-button">
                  {t("notifications.markRead")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}
