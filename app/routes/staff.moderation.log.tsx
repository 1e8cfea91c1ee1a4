import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { parseCityDayRange } from "~/i18n/city-time";
import { listLog, logActions } from "~/audit/log.server";
import { describeLogTargets, logTargetTypes } from "~/moderation/log-targets.server";
import { isKnown } from "~/moderation/log-labels";
import { LogDetails } from "~/moderation/LogDetails";
import { ModerationNav } from "~/moderation/ModerationNav";
import { ErrorSummary, FieldFrame } from "~/ui/form";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";
import type { LogAction, LogTargetType } from "~db/schema/values";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "moderation.log.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, MODERATOR_ROLES);
  const { db } = context;
  const timeZone = context.config.cityTimezone;
  const url = new URL(request.url);
  const actions = await logActions(db);
  const targetTypes = await logTargetTypes(db);
  const action = url.searchParams.get("action") ?? "";
  const targetType = url.searchParams.get("target") ?? "";
  const fromValue = (url.searchParams.get("from") ?? "").slice(0, 20);
  const toValue = (url.searchParams.get("to") ?? "").slice(0, 20);
  // "To" includes the whole day: the filter ends at the next day's start.
  const { from, to, errors: dayErrors } = parseCityDayRange(fromValue, toValue, timeZone);
  const errors: { from?: string; to?: string } = {};
  if (dayErrors.from) errors.from = "moderation.log.dateInvalid";
  if (dayErrors.to) errors.to = dayErrors.to === "reversed" ? "moderation.log.rangeInvalid" : "moderation.log.dateInvalid";
  const result = await listLog(
    db,
    {
      action: isKnown(actions, action) ? action : null,
      targetType: isKnown(targetTypes, targetType) ? targetType : null,
      from: errors.from ? null : from,
      to: errors.to ? null : to,
    },
    pageParam(url),
  );
  const targets = await describeLogTargets(
    db,
    result.rows.map((r) => r.entry),
  );
  return {
    filters: { action: isKnown(actions, action) ? action : "", target: isKnown(targetTypes, targetType) ? targetType : "", from: fromValue, to: toValue },
    errors,
    actions,
    targetTypes,
    rows: result.rows.map((r, i) => ({
      id: r.entry.id,
      createdAt: r.entry.createdAt,
      actorName: r.entry.actorId === null ? null : (r.actorName ?? "?"),
      action: r.entry.action,
      targetType: r.entry.targetType,
      targetId: r.entry.targetId,
      reason: r.entry.reason,
      details: r.entry.details,
      target: targets[i]!,
    })),
    total: result.total,
    page: result.page,
    pageCount: result.pageCount,
  };
}

export default function ModerationLog() {
  const { t } = useTranslation();
  const f = useFormat();
  const { filters, errors, actions, targetTypes, rows, total, page, pageCount } = useLoaderData<typeof loader>();
  // The database accepts only LOG_ACTIONS and LOG_TARGET_TYPES, and each has a label (log-labels.ts).
  const actionLabel = (a: LogAction) => t(`moderation.actions.${a}`);
  const typeLabel = (ty: LogTargetType) => t(`moderation.logTargetTypes.${ty}`);
  const errorEntries = Object.entries(errors) as [string, string][];
  return (
    <div className="mod-page">
      <h1>{t("moderation.log.title")}</h1>
      <ModerationNav />
      <p>{t("moderation.log.lead")}</p>
      <Form method="get" className="filters mod-filters" role="search" aria-label={t("moderation.log.filtersLabel")} noValidate>
        <div className="field">
          <label htmlFor="log-action">{t("moderation.log.action")}</label>
          <select id="log-action" name="action" defaultValue={filters.action}>
            <option value="">{t("moderation.log.anyAction")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-target">{t("moderation.log.targetType")}</label>
          <select id="log-target" name="target" defaultValue={filters.target}>
            <option value="">{t("moderation.log.anyTarget")}</option>
            {targetTypes.map((ty) => (
              <option key={ty} value={ty}>
                {typeLabel(ty)}
              </option>
            ))}
          </select>
        </div>
        {(["from", "to"] as const).map((name) => (
          <FieldFrame key={name} id={`log-${name}`} label={t(`moderation.log.${name}`)} error={errors[name] ? t(errors[name]!) : null}>
            {({ id, aria }) => <input id={id} name={name} type="date" defaultValue={filters[name]} {...aria} />}
          </FieldFrame>
        ))}
        <button type="submit">{t("moderation.log.apply")}</button>
      </Form>
      <ErrorSummary
        failure={errorEntries.length ? { errors: errorEntries.map(([field, key]) => ({ field, key, params: {} })) } : null}
        labels={{ from: t("moderation.log.from"), to: t("moderation.log.to") }}
        idPrefix="log"
        layout="inline"
        takeFocus={false}
      >
        <p>{t("moderation.log.filterIgnored")}</p>
      </ErrorSummary>
      <p role="status">{t("moderation.log.count", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <div className="table-wrap" role="region" aria-labelledby="log-caption" tabIndex={0}>
          <table className="mod-table">
            <caption id="log-caption">{t("moderation.log.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("moderation.log.time")}</th>
                <th scope="col">{t("moderation.log.actor")}</th>
                <th scope="col">{t("moderation.log.action")}</th>
                <th scope="col">{t("moderation.log.target")}</th>
                <th scope="col">{t("moderation.log.reason")}</th>
                <th scope="col">{t("moderation.log.details")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const target = `${typeLabel(r.targetType)}${r.targetId ? ` #${r.targetId}` : ""}`;
                return (
                  <tr key={r.id}>
                    <th scope="row" className="mod-table__time">
                      {f.dateTime(r.createdAt)}
                    </th>
                    <td>{r.actorName ?? <span className="muted">{t("moderation.log.system")}</span>}</td>
                    <td>{actionLabel(r.action)}</td>
                    <td>
                      {r.target.href ? <Link to={r.target.href}>{target}</Link> : target}
                      {r.target.name ? <> ({r.target.name})</> : null}
                    </td>
                    <td className="pre-line">{r.reason ?? ""}</td>
                    <td>
                      <LogDetails action={r.action} targetId={r.targetId} details={r.details} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="notice notice--info">{t("moderation.log.empty")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
