import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/http/guards.server";
import { appealDecision, APPEAL_MAX } from "~/moderation/review.server";
import { listOwnModeratedContent } from "~/moderation/own-decisions.server";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { ErrorSummary, FieldFrame } from "~/ui/form";
import { useMessage } from "~/ui/message";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";
import { TARGET_TYPES, type TargetType } from "~db/schema/values";
import { readIntent } from "~/http/intent.server";
import { parseId } from "~/ids";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "moderation.decisions.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { ...(await listOwnModeratedContent(context.db, user.id, pageParam(new URL(request.url)))), appealMax: APPEAL_MAX };
}

export const intents = ["appeal"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  readIntent(form, intents, "appeal");
  const values = formValues(form, ["type", "id", "appeal"], APPEAL_MAX + 1000);
  const type = values.type as TargetType;
  const id = parseId(values.id);
  if (!TARGET_TYPES.includes(type) || id === null) throw new Response("Not found", { status: 404 });
  const result = await attemptAsync(() => appealDecision(context.db, user, type, id, values.appeal ?? ""), values, "appeal");
  if (!result.ok) return result.response;
  return data({ ok: true as const, target: `${type}-${id}` });
}

export default function OwnDecisions() {
  const { t } = useTranslation();
  const f = useFormat();
  const message = useMessage();
  const { rows, total, page, pageCount, appealMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const appealedTarget = actionData?.ok ? actionData.target : null;
  const errorRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (failure) errorRef.current?.focus();
  }, [failure]);
  const statusOf = (r: (typeof rows)[number]) =>
    r.kind === "edit" ? "editPending" : r.visibility === "rejected" ? "rejected" : r.visibility === "hidden" ? "hidden" : "pending";

  return (
    <div className="narrow-wide decisions-page">
      <p className="back-link">
        <Link to="/account">{t("moderation.decisions.back")}</Link>
      </p>
      <h1>{t("moderation.decisions.title")}</h1>
      <p>{t("moderation.decisions.lead")}</p>
      <div role="status">{appealedTarget ? <p className="notice notice--success">{t("moderation.decisions.appealSent")}</p> : null}</div>
      <ErrorSummary
        failure={failure && !rows.some((r) => r.canAppeal && failure.values.type === r.kind && failure.values.id === String(r.id)) ? failure : null}
        layout="inline"
      />
      <p>{t("moderation.decisions.count", { count: total, formatted: f.number(total) })}</p>
      {rows.length ? (
        <ol className="mod-cards">
          {rows.map((r) => {
            const key = `${r.kind}-${r.id}`;
            const status = statusOf(r);
            const mine = failure && failure.values.type === r.kind && failure.values.id === String(r.id) ? failure : null;
            const fieldId = `appeal-${key}`;
            return (
              <li key={key} className="mod-card" id={key}>
                <h2 className="mod-card__title">
                  {t(`moderation.decisions.kinds.${r.kind}`)}
                  {r.project ? <span className="muted"> · {r.project.title}</span> : null}
                </h2>
                <p>
                  <span className={`badge decision-status decision-status--${status}`}>{t(`moderation.decisions.status.${status}`)}</span>{" "}
                  <span className="muted">{t("moderation.decisions.postedAt", { date: f.dateTime(r.createdAt) })}</span>
                </p>
                <p className="muted">{t(`moderation.decisions.explain.${status}`)}</p>
                {r.threadTitle ? (
                  <p>
                    {t("moderation.decisions.inThread")} <Link to={r.link}>{r.threadTitle}</Link>
                  </p>
                ) : r.project ? (
                  <p>
                    <Link to={r.link}>{t("moderation.decisions.open")}</Link>
                  </p>
                ) : null}
                <div className="decision-content">
                  {r.title ? <p className="decision-content__title">{r.title}</p> : null}
                  <div className="prose" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
                </div>
                {r.rejection ? (
                  <dl className="facts">
                    <div>
                      <dt>{t("moderation.decisions.reason")}</dt>
                      <dd className="pre-line">{r.rejection.reason ?? "—"}</dd>
                    </div>
                    {r.rejection.decidedAt ? (
                      <div>
                        <dt>{t("moderation.decisions.decidedAt")}</dt>
                        <dd>{f.dateTime(r.rejection.decidedAt)}</dd>
                      </div>
                    ) : null}
                  </dl>
                ) : null}
                {r.appeal ? (
                  <div className="decision-appeal">
                    <h3 id={`${key}-appeal`}>{t("moderation.decisions.yourAppeal")}</h3>
                    <p className="pre-line">{r.appeal.text}</p>
                    {r.appeal.status === "open" ? (
                      <p className="notice notice--info">{t("moderation.decisions.appealOpen")}</p>
                    ) : r.appeal.status === "rejected" ? (
                      <p className="notice notice--warning">
                        {t("moderation.decisions.appealUpheld", { date: r.appeal.decidedAt ? f.dateTime(r.appeal.decidedAt) : "" })}
                        {r.appeal.reason ? ` ${t("moderation.decisions.appealUpheldReason", { reason: r.appeal.reason })}` : null}
                      </p>
                    ) : null}
                  </div>
                ) : null}
                {r.canAppeal ? (
                  <Form method="post" className="decision-appeal-form" noValidate>
                    <input type="hidden" name="type" value={r.kind} />
                    <input type="hidden" name="id" value={r.id} />
                    <FieldFrame
                      id={fieldId}
                      label={t("moderation.decisions.appealLabel")}
                      hint={t("moderation.decisions.appealHint", { max: appealMax })}
                      // The appeal form has one field: its refusal, whatever it names, is said there.
                      error={mine ? message(mine.errors[0]!) : null}
                      errorRole="alert"
                    >
                      {({ id, aria }) => (
                        <textarea
                          ref={mine ? errorRef : undefined}
                          id={id}
                          name="appeal"
                          rows={4}
                          maxLength={appealMax}
                          required
                          defaultValue={mine?.values.appeal ?? ""}
                          {...aria}
                        />
                      )}
                    </FieldFrame>
                    <button type="submit" disabled={navigation.state === "submitting" && navigation.formData?.get("id") === String(r.id)}>
                      {t("moderation.decisions.appealSubmit")}
                    </button>
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="notice notice--info">{t("moderation.decisions.empty")}</p>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  );
}
