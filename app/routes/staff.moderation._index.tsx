import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { MODERATOR_ROLES } from "~/accounts/roles";
import { getT } from "~/i18n/i18n.server";
import { decideInBulk, decideReviewItem, listQueue, rejectingModerators, type Decision } from "~/moderation/review.server";
import { parseQueueFilters } from "~/http/queue-filters.server";
import { deciderNames, queueItemView, queueProjectOptions, reviewItemTargets } from "~/moderation/queue-page.server";
import { rejectionReasonText, REJECT_TEMPLATES } from "~/moderation/reject-reasons";
import { ModerationNav } from "~/moderation/ModerationNav";
import { QueueItem, REASON_MAX, type ItemFailure } from "~/moderation/QueueItem";
import { focusQueueItem, QueueShortcutHelp, useQueueShortcuts } from "~/moderation/queue-keyboard";
import { attemptAsync, formValues, refused } from "~/http/domain-response.server";
import { DomainError } from "~/domain-error";
import { ErrorSummary } from "~/ui/form";
import { readIntent } from "~/http/intent.server";
import { useMessage } from "~/ui/message";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";
import { REVIEW_REASONS, SUSPENSION_DURATIONS, TARGET_TYPES, type SuspensionDuration } from "~db/schema/values";
import { parseCount, parseId } from "~/ids";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "moderation.queue.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, context, MODERATOR_ROLES);
  const url = new URL(request.url);
  const filters = parseQueueFilters(url);
  const now = new Date();
  const queue = await listQueue(context.db, filters, pageParam(url));
  const deciders = await deciderNames(
    context.db,
    queue.rows.map((r) => r.item.decidedBy),
  );
  const rejectedBy = await rejectingModerators(
    context.db,
    queue.rows.map((r) => r.item),
  );
  return {
    filters: {
      status: filters.status ?? "open",
      reason: filters.reason ?? "",
      type: filters.type ?? "",
      project: filters.projectId ? String(filters.projectId) : "",
    },
    items: queue.rows.map((row) => queueItemView(row, deciders, now, viewer, rejectedBy)),
    total: queue.total,
    page: queue.page,
    pageCount: queue.pageCount,
    projects: await queueProjectOptions(context.db),
  };
}

const SUSPEND_INTENTS = Object.fromEntries(SUSPENSION_DURATIONS.map((d) => [`suspend-${d}`, d])) as Record<string, SuspensionDuration>;

export const intents = ["approve", "reject", ...SUSPENSION_DURATIONS.map((d) => `suspend-${d}` as const), "bulk-approve", "bulk-reject"] as const;

/** Parses "12:3" (item id and the version the moderator saw); anything else is dropped. */
function bulkItems(form: FormData) {
  return form
    .getAll("item")
    .slice(0, 100)
    .map((v) => /^(\d{1,12}):(\d{1,9})$/.exec(String(v)))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: Number(m[1]), version: Number(m[2]) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, MODERATOR_ROLES);
  const { db } = context;
  const t = getT(context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  const values = formValues(form, ["itemId", "template", "reason"], REASON_MAX + 100);

  if (intent === "bulk-approve" || intent === "bulk-reject") {
    const decision: Decision = intent === "bulk-approve" ? "approve" : "reject";
    const items = bulkItems(form);
    if (!items.length) return refused(new DomainError(400, "moderation.queue.noneSelected", {}, "item"), values, intent).response;
    const reason = decision === "reject" ? rejectionReasonText(values.reason, values.template, t) : (values.reason ?? "").trim();
    const result = await attemptAsync(() => decideInBulk(db, moderator, items, decision, reason || null), values, intent);
    if (!result.ok) return result.response;
    // Nothing applied, for one reason (an empty rejection reason): answer as a form error and keep the selection.
    const first = result.value[0];
    if (first && !first.ok && result.value.every((r) => !r.ok && r.key === first.key)) {
      const selected: Record<string, string> = { ...values, selected: items.map((i) => `${i.id}:${i.version}`).join(",") };
      return refused(new DomainError(first.status, first.key, first.params, "reason"), selected, intent).response;
    }
    const targets = await reviewItemTargets(
      db,
      items.map((i) => i.id),
    );
    return {
      ok: true as const,
      kind: "bulk" as const,
      decision,
      results: result.value.map((r) => ({ ...r, target: targets[r.id] ?? null })),
    };
  }

  const suspend = SUSPEND_INTENTS[intent] ?? null;
  const itemId = parseId(values.itemId);
  const version = parseCount(form.get("version"));
  if (itemId === null || version === null) throw new Response("Not found", { status: 404 });
  const decision: Decision = intent === "approve" ? "approve" : "reject";
  const reason = decision === "reject" ? rejectionReasonText(values.reason, values.template, t) : (values.reason ?? "").trim();
  const result = await attemptAsync(
    () => decideReviewItem(db, moderator, itemId, { decision, version, reason: reason || null, suspend }, new Date(), context.config.cityTimezone),
    values,
    intent,
  );
  if (!result.ok) return result.response;
  return { ok: true as const, kind: "item" as const, itemId, decision, suspend };
}

/** A refused decision (409: someone else decided, or the item changed) must show the item as it is now. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 ? true : defaultShouldRevalidate;

function firstPageHref(filters: Record<string, string>) {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== "" && v !== "open"));
  const qs = params.toString();
  return `/staff/moderation${qs ? `?${qs}` : ""}`;
}

type ActionData = ReturnType<typeof useActionData<typeof action>>;

function failureOf(actionData: ActionData) {
  return actionData && !actionData.ok ? actionData : null;
}

export default function ModerationQueue() {
  const { t } = useTranslation();
  const f = useFormat();
  const message = useMessage();
  const { filters, items, total, page, pageCount, projects } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const listRef = useRef<HTMLOListElement>(null);
  const helpRef = useRef<HTMLDetailsElement>(null);
  const busyRef = useRef(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const focusIndex = useRef<number | null>(null);
  const submitting = navigation.state === "submitting" ? navigation.formData : undefined;
  // The shortcuts read it when a key is pressed: kept in step after each render, not during it.
  useEffect(() => {
    busyRef.current = navigation.state !== "idle";
  }, [navigation.state]);
  useQueueShortcuts(listRef, helpRef, busyRef);

  const failure = failureOf(actionData);
  const isBulk = typeof failure?.intent === "string" && failure.intent.startsWith("bulk-");
  const itemFailure = (id: number): ItemFailure | null => (failure && !isBulk && failure.values.itemId === String(id) ? failure : null);
  const bulkFailure = failure && isBulk ? failure : null;
  // The item may have left this view (someone else decided it): then the message shows at the top.
  const pageFailure = failure && !isBulk && !items.some((i) => failure.values.itemId === String(i.id)) ? failure : null;

  // After a decision the next item takes the decided one's place; with JavaScript it gets focus.
  useEffect(() => {
    if (navigation.state !== "idle" || focusIndex.current === null || !actionData) return;
    const index = focusIndex.current;
    focusIndex.current = null;
    if (!actionData.ok) {
      // A refused bulk action: back to what needs fixing (the reason, or the selection).
      if (actionData.intent === "bulk-approve" || actionData.intent === "bulk-reject") {
        const target =
          actionData.errors[0]?.field === "reason"
            ? document.getElementById("bulk-reason")
            : listRef.current?.querySelector<HTMLElement>("[data-shortcut=select]");
        target?.focus();
      }
      return;
    }
    const articles = listRef.current?.querySelectorAll<HTMLElement>("[data-queue-item]") ?? [];
    const next = articles[Math.min(index, articles.length - 1)];
    if (actionData.kind === "item" && next) focusQueueItem(next);
    else statusRef.current?.focus();
  }, [navigation.state, actionData, items]);

  const typeLabel = (target: { targetType: string; targetId: number } | null, id: number) =>
    target ? t("moderation.queue.itemLabel", { type: t(`moderation.targetTypes.${target.targetType}`), id: target.targetId }) : `#${id}`;
  const doneText = (() => {
    if (!actionData?.ok) return null;
    if (actionData.kind === "item") {
      if (actionData.decision === "approve") return t("moderation.queue.done.approved");
      if (actionData.suspend) return t("moderation.queue.done.rejectedSuspended", { duration: t(`moderation.durations.${actionData.suspend}`) });
      return t("moderation.queue.done.rejected");
    }
    return null;
  })();
  const bulk = actionData?.ok && actionData.kind === "bulk" ? actionData : null;
  const bulkOk = bulk ? bulk.results.filter((r) => r.ok).length : 0;
  const open = filters.status === "open";

  return (
    <div className="mod-page">
      <h1>{t("moderation.queue.title")}</h1>
      <ModerationNav />
      <QueueShortcutHelp ref={helpRef} />

      <Form method="get" action="/staff/moderation" className="filters mod-filters" role="search" aria-label={t("moderation.queue.filtersLabel")}>
        <div className="field">
          <label htmlFor="q-status">{t("moderation.queue.filterStatus")}</label>
          <select id="q-status" name="status" defaultValue={filters.status}>
            {(["open", "approved", "rejected"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`moderation.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-reason">{t("moderation.queue.filterReason")}</label>
          <select id="q-reason" name="reason" defaultValue={filters.reason}>
            <option value="">{t("moderation.queue.any")}</option>
            {REVIEW_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`moderation.reasons.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-type">{t("moderation.queue.filterType")}</label>
          <select id="q-type" name="type" defaultValue={filters.type}>
            <option value="">{t("moderation.queue.any")}</option>
            {TARGET_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`moderation.targetTypes.${ty}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-project">{t("moderation.queue.filterProject")}</label>
          <select id="q-project" name="project" defaultValue={filters.project}>
            <option value="">{t("moderation.queue.anyProject")}</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("moderation.queue.apply")}</button>
      </Form>

      <div ref={statusRef} tabIndex={-1} role="status" className="mod-status">
        {doneText ? <p className="notice notice--success">{doneText}</p> : null}
        {bulk ? (
          <div className={`notice ${bulkOk === bulk.results.length ? "notice--success" : "notice--warning"}`}>
            <p>
              {t(bulk.decision === "approve" ? "moderation.queue.bulkApproved" : "moderation.queue.bulkRejected", {
                count: bulkOk,
                total: bulk.results.length,
              })}
            </p>
            <ul>
              {bulk.results.map((r) => (
                <li key={r.id}>
                  {typeLabel(r.target, r.id)}:{" "}
                  {r.ok
                    ? t(bulk.decision === "approve" ? "moderation.queue.done.approved" : "moderation.queue.done.rejected")
                    : message({ key: r.key, params: r.params })}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>

      <ErrorSummary failure={pageFailure} layout="inline" />
      <p>{t("moderation.queue.count", { count: total, formatted: f.number(total) })}</p>

      {open && items.length ? (
        <Form
          method="post"
          id="bulk"
          className="mod-bulk"
          aria-labelledby="bulk-title"
          noValidate
          onSubmit={() => {
            focusIndex.current = 0;
          }}
        >
          <h2 id="bulk-title">{t("moderation.queue.bulkHeading")}</h2>
          <p className="field__hint">{t("moderation.queue.bulkHint")}</p>
          {/* The bulk form's own error, which its fields point at (focus goes to what needs fixing). */}
          {bulkFailure ? (
            <p className="notice notice--error" role="alert" id="bulk-error">
              {bulkFailure.errors.map(message).join(" ")}
            </p>
          ) : null}
          <div className="mod-bulk__fields">
            <div className="field">
              <label htmlFor="bulk-template">{t("moderation.queue.template")}</label>
              <select id="bulk-template" name="template" defaultValue={bulkFailure?.values.template ?? ""}>
                <option value="">{t("moderation.queue.templateNone")}</option>
                {REJECT_TEMPLATES.map((tpl) => (
                  <option key={tpl} value={tpl}>
                    {t(`moderation.templateNames.${tpl}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="bulk-reason">
                {t("moderation.queue.reason")} <span className="optional">({t("moderation.queue.reasonOptional")})</span>
              </label>
              <textarea
                id="bulk-reason"
                name="reason"
                rows={2}
                maxLength={REASON_MAX}
                defaultValue={bulkFailure?.values.reason ?? ""}
                aria-invalid={bulkFailure?.errors.some((e) => e.field === "reason") ? true : undefined}
                aria-describedby={bulkFailure ? "bulk-error" : undefined}
              />
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" name="intent" value="bulk-approve" disabled={Boolean(submitting)}>
              {t("moderation.queue.bulkApprove")}
            </button>
            <button type="submit" name="intent" value="bulk-reject" className="button--danger" disabled={Boolean(submitting)}>
              {t("moderation.queue.bulkReject")}
            </button>
          </div>
        </Form>
      ) : null}

      {items.length ? (
        <ol className="queue-list" ref={listRef} aria-label={t("moderation.queue.listLabel")}>
          {items.map((item, index) => (
            <li key={item.id}>
              <QueueItem
                item={item}
                failure={itemFailure(item.id)}
                selected={bulkFailure?.values.selected?.split(",").includes(`${item.id}:${item.version}`) ?? false}
                busy={submitting?.get("itemId") === String(item.id)}
                onDecide={() => {
                  focusIndex.current = index;
                }}
              />
            </li>
          ))}
        </ol>
      ) : page > 1 ? (
        <p>
          {t("moderation.queue.pageEmpty")} <Link to={firstPageHref(filters)}>{t("moderation.queue.firstPage")}</Link>
        </p>
      ) : (
        <p className="notice notice--info">{open ? t("moderation.queue.empty") : t("moderation.queue.emptyDecided")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
