import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { currentUser, requireUser } from "~/http/guards.server";
import { isStaff, PLANNER_ROLES } from "~/accounts/roles";
import { actsAs } from "~/accounts/authority.server";
import { flaggedBy } from "~/moderation/flags.server";
import { ModerationControls } from "~/moderation/ModerationControls";
import { parseTargetParam } from "~/http/moderation-intents.server";
import { getProjectBySlug } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import { previewMarkdown } from "~/discussion/preview.server";
import { contributionPowers, handleCommentIntent, isCommentIntent, loadCommentPage } from "~/http/comment-page.server";
import { COMMENT_INTENTS } from "~/discussion/comment-intents";
import { readIntent } from "~/http/intent.server";
import { CommentSection } from "~/discussion/CommentList";
import { AuthorName } from "~/discussion/AuthorName";
import { StatusMessage, replyFor, type FormReply } from "~/ui/participation-form";
import type { FormFailure } from "~/domain-error";
import { answerProposal, getProposal, hasSupported, remainingSupports, supportProposal, withdrawProposal, withdrawSupport } from "~/proposals/proposals.server";
import { answererName } from "~/proposals/answerer.server";
import { ProposalStatusBadge } from "~/proposals/ProposalStatusBadge";
import { attemptAsync, formValues, idParam } from "~/http/domain-response.server";
import { ErrorSummary, FieldFrame, useFieldError } from "~/ui/form";
import { MarkdownField } from "~/ui/MarkdownField";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { projectPath, proposalPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "proposals.meta", { title: data.proposal.title, project: data.project.title }) : pageTitle(matches, "errorPages.404.title");

async function loadProposal(params: LoaderFunctionArgs["params"], context: LoaderFunctionArgs["context"]) {
  const viewer = await currentUser(context);
  const proposalId = idParam(params.id);
  const row = await getProjectBySlug(context.db, params.slug ?? "", viewer);
  if (!row) throw new Response("Not found", { status: 404 });
  const proposal = await getProposal(context.db, row.project.id, proposalId, viewer);
  if (!proposal) throw new Response("Not found", { status: 404 });
  return { viewer, project: row.project, ...proposal };
}

/** Six to twelve queries whatever the number of supports or comments. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { viewer, project, proposal, authorName, authorRole, authorDeleted, thread } = await loadProposal(params, context);
  const url = new URL(request.url);
  const now = new Date();
  const mayAnswer = actsAs(viewer, PLANNER_ROLES, now);
  const powers = contributionPowers(viewer, now);
  const isAuthor = viewer?.id === proposal.authorId;
  return {
    project: { slug: project.slug, title: project.title },
    proposal: {
      id: proposal.id,
      title: proposal.title,
      bodyHtml: proposal.bodyHtml,
      status: proposal.status,
      visibility: proposal.visibility,
      supportCount: proposal.supportCount,
      createdAt: proposal.createdAt,
      authorName: authorDeleted ? null : authorName,
      official: !authorDeleted && isStaff(authorRole),
      answerHtml: proposal.answerHtml,
      answeredAt: proposal.answeredAt,
      answererName: proposal.answeredBy ? await answererName(context.db, proposal.answeredBy) : null,
      answerSource: mayAnswer ? proposal.answerSource : null,
    },
    page: thread ? await loadCommentPage(context.db, url, thread.id, viewer, now) : null,
    participation: participationState(project, viewer, now, { locked: thread?.locked ?? false }),
    supportState: participationState(project, viewer, now, { verified: true, resident: true }),
    supported: viewer ? await hasSupported(context.db, viewer.id, proposal.id) : false,
    remaining: viewer ? await remainingSupports(context.db, viewer.id, project.id) : null,
    isAuthor,
    mayAnswer,
    confirmWithdraw: url.searchParams.has("withdraw"),
    signedIn: Boolean(viewer),
    /** What the viewer may do to the proposal itself: flagContent's and hideContent's own checks. */
    may: {
      flag: powers.flag && !isAuthor && !(await flaggedBy(context.db, viewer!.id, [{ type: "proposal", id: proposal.id }])).length,
      hide: powers.hide,
    },
    flag: parseTargetParam(url.searchParams.get("flag")),
    hide: parseTargetParam(url.searchParams.get("hide")),
  };
}

export const intents = ["support", "unsupport", "withdraw", "answer", ...COMMENT_INTENTS] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { project, proposal, thread } = await loadProposal(params, context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  const mode = String(form.get("mode") ?? "");
  switch (intent) {
    case "support":
    case "unsupport": {
      const result = await attemptAsync<unknown>(
        () => (intent === "support" ? supportProposal(context.db, user, proposal.id) : withdrawSupport(context.db, user, proposal.id)),
        { mode: "support" },
        intent,
      );
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values: { mode: "support" } };
    }
    case "withdraw": {
      const result = await attemptAsync(() => withdrawProposal(context.db, user, proposal.id), { mode: "withdraw" }, intent);
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values: { mode: "withdraw" } };
    }
    case "answer": {
      const values = { ...formValues(form, ["mode", "status"], 100), ...formValues(form, ["answer"], 65_536) };
      const result = await attemptAsync(() => answerProposal(context.db, user, proposal.id, { status: values.status, answer: values.answer }), values, intent);
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values: { mode: "answer" } };
    }
  }
  if (intent === "preview" && mode === "answer") {
    const values = { ...formValues(form, ["mode", "status"], 100), ...formValues(form, ["answer"], 65_536) };
    const result = await attemptAsync(() => previewMarkdown(context.db, user, values.answer, { field: "answer" }), values, intent);
    if (!result.ok) return result.response;
    return { ok: true as const, intent, values, preview: result.value };
  }
  if (!isCommentIntent(intent) || !thread) throw new Response("Bad request", { status: 400 });
  return handleCommentIntent(context.db, user, project.slug, thread, intent, form);
}

export default function ProposalPage() {
  const data = useLoaderData<typeof loader>();
  const { project, proposal, page, participation, signedIn } = data;
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  const { t } = useTranslation();
  const f = useFormat();
  const base = proposalPath(project.slug, proposal.id);
  // A refusal whose box is not on the page (a tampered or outdated form) is shown at the top.
  const failure = reply && !reply.ok ? reply : null;
  const mode = failure?.values.mode;
  const open = proposal.status === "open" || proposal.status === "under_evaluation";
  const unplaced =
    (mode === "withdraw" && !(data.isAuthor && open)) || (mode === "answer" && !(data.mayAnswer && proposal.status !== "withdrawn")) ? failure : null;
  return (
    <div className="proposal-page">
      <p className="back-link">
        <Link to={projectPath(project.slug, "proposals")}>← {project.title}</Link>
      </p>
      <article aria-labelledby="proposal-title">
        <p className="card__meta">
          <span>{t("proposals.kicker")}</span> <ProposalStatusBadge status={proposal.status} />
        </p>
        <h1 id="proposal-title">{proposal.title}</h1>
        <ErrorSummary failure={unplaced} layout="inline" />
        <p className="item__meta">
          <span>
            {t("proposals.by")} <AuthorName name={proposal.authorName} official={proposal.official} />
          </span>
          <time dateTime={new Date(proposal.createdAt).toISOString()}>{f.dateTime(proposal.createdAt)}</time>
        </p>
        {proposal.visibility === "pending" ? <p className="notice notice--warning">{t("proposals.pendingNotice")}</p> : null}
        {proposal.visibility === "hidden" || proposal.visibility === "rejected" ? (
          <p className="notice notice--warning">{t("proposals.hiddenNotice")}</p>
        ) : null}
        <div className="prose" dangerouslySetInnerHTML={{ __html: proposal.bodyHtml }} />
        {proposal.visibility === "published" && signedIn ? (
          <ModerationControls
            target={{ type: "proposal", id: proposal.id }}
            hrefWith={(params, hash) => `${base}?${new URLSearchParams(params).toString()}#${hash || "proposal-title"}`}
            openFlag={data.flag?.type === "proposal" && data.flag.id === proposal.id}
            openHide={data.hide?.type === "proposal" && data.hide.id === proposal.id}
            canFlag={data.may.flag}
            canHide={data.may.hide}
            reply={reply}
            label={proposal.title}
          />
        ) : null}
      </article>

      {proposal.answerHtml ? (
        <section aria-labelledby="answer-heading" className="official-answer">
          <h2 id="answer-heading">{t("proposals.officialAnswer")}</h2>
          <p className="item__meta">
            <span>
              <AuthorName name={proposal.answererName} official />
            </span>
            {proposal.answeredAt ? <time dateTime={new Date(proposal.answeredAt).toISOString()}>{f.dateTime(proposal.answeredAt)}</time> : null}
          </p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: proposal.answerHtml }} />
        </section>
      ) : null}

      <SupportBox data={data} reply={reply} />
      <WithdrawBox data={data} reply={reply} base={base} />
      <AnswerBox data={data} reply={reply} />

      {page ? (
        <CommentSection basePath={base} data={page} state={participation} reply={reply} signedIn={signedIn} headingKey="discussion.discussionHeading" />
      ) : null}
    </div>
  );
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function SupportBox({ data, reply }: { data: PageData; reply: FormReply | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { proposal, supportState, supported, remaining, isAuthor } = data;
  const mine = replyFor(reply, "support");
  const failure = mine && !mine.ok ? mine : null;
  const supportable = proposal.status === "open" || proposal.status === "under_evaluation";
  return (
    <section aria-labelledby="support-heading" id="support" className="support-box">
      <h2 id="support-heading">{t("proposals.supportHeading")}</h2>
      <p className="support-count">{t("proposals.supportCount", { count: proposal.supportCount, formatted: f.number(proposal.supportCount) })}</p>
      <StatusMessage>{mine?.ok ? t(mine.intent === "support" ? "proposals.supported" : "proposals.unsupported") : null}</StatusMessage>
      <ErrorSummary failure={failure} layout="inline" />
      {!supportable ? (
        <p className="notice notice--info">{t("proposals.notSupportable")}</p>
      ) : supportState.kind !== "open" ? (
        <ParticipationNotice state={supportState} purpose="support" />
      ) : isAuthor ? (
        <p>{t("proposals.ownProposal")}</p>
      ) : (
        <>
          {supported ? <p>{t("proposals.youSupport")}</p> : null}
          {supported || (remaining ?? 0) > 0 ? (
            <Form method="post" preventScrollReset>
              <button type="submit" name="intent" value={supported ? "unsupport" : "support"} className={supported ? "button--secondary" : undefined}>
                {supported ? t("proposals.unsupport") : t("proposals.support")}
              </button>
            </Form>
          ) : (
            <p>{t("proposals.noSupportsLeft")}</p>
          )}
          {remaining !== null ? <p className="muted">{t("proposals.remaining", { count: remaining, formatted: f.number(remaining) })}</p> : null}
        </>
      )}
    </section>
  );
}

function WithdrawBox({ data, reply, base }: { data: PageData; reply: FormReply | null; base: string }) {
  const { t } = useTranslation();
  const { proposal, isAuthor, confirmWithdraw } = data;
  const mine = replyFor(reply, "withdraw");
  const failure = mine && !mine.ok ? mine : null;
  if (mine?.ok) {
    return (
      <section aria-labelledby="withdraw-heading" id="withdraw">
        <h2 id="withdraw-heading">{t("proposals.withdrawHeading")}</h2>
        <StatusMessage>{t("proposals.withdrawn")}</StatusMessage>
      </section>
    );
  }
  if (!isAuthor || (proposal.status !== "open" && proposal.status !== "under_evaluation")) return null;
  return (
    <section aria-labelledby="withdraw-heading" id="withdraw">
      <h2 id="withdraw-heading">{t("proposals.withdrawHeading")}</h2>
      {confirmWithdraw || failure ? (
        <Form method="post" className="confirm" preventScrollReset>
          <ErrorSummary failure={failure} layout="inline" />
          <p>
            <strong>{t("proposals.withdrawConfirm")}</strong> {t("proposals.withdrawExplained")}
          </p>
          <div className="form-actions">
            <button type="submit" name="intent" value="withdraw" className="button--danger">
              {t("proposals.withdrawYes")}
            </button>
            <Link to={`${base}#withdraw`} preventScrollReset>
              {t("discussion.cancel")}
            </Link>
          </div>
        </Form>
      ) : (
        <p>
          <Link to={`${base}?withdraw=1#withdraw`} preventScrollReset>
            {t("proposals.withdraw")}
          </Link>
        </p>
      )}
    </section>
  );
}

/** The statuses a planner's answer may set (the domain's ANSWER_STATUSES, which stays on the server). */
const ANSWER_STATUSES = ["under_evaluation", "accepted", "rejected"] as const;

function AnswerBox({ data, reply }: { data: PageData; reply: FormReply | null }) {
  const { t } = useTranslation();
  const { proposal, mayAnswer } = data;
  const mine = replyFor(reply, "answer");
  const failure: FormFailure | null = mine && !mine.ok ? mine : null;
  const fieldError = useFieldError(failure);
  if (!mayAnswer || proposal.status === "withdrawn") return null;
  const statusError = fieldError("status");
  const current = (ANSWER_STATUSES as readonly string[]).includes(proposal.status) ? proposal.status : "under_evaluation";
  const labels = { status: t("proposals.answerStatus"), answer: t("proposals.answerField") };
  return (
    <section aria-labelledby="answer-form-heading" id="answer-form" className="staff-tools">
      <h2 id="answer-form-heading">{t("proposals.answerHeading")}</h2>
      <StatusMessage>{mine?.ok && mine.intent === "answer" ? t("proposals.answered") : null}</StatusMessage>
      <Form method="post" preventScrollReset noValidate>
        <input type="hidden" name="mode" value="answer" />
        <ErrorSummary failure={failure} labels={labels} idPrefix="answer" layout="inline" />
        <FieldFrame id="answer-status" label={labels.status} error={statusError}>
          {({ id, aria }) => (
            <select id={id} name="status" defaultValue={mine?.values?.status ?? current} {...aria}>
              {ANSWER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`proposals.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <MarkdownField
          name="answer"
          idPrefix="answer"
          label={labels.answer}
          defaultValue={mine?.values?.answer ?? proposal.answerSource ?? ""}
          error={fieldError("answer")}
          previewHtml={mine?.ok ? mine.preview : undefined}
          required={false}
        />
        <div className="form-actions">
          <button type="submit" name="intent" value="preview" className="button--secondary">
            {t("markdown.previewButton")}
          </button>
          <button type="submit" name="intent" value="answer">
            {t("proposals.saveAnswer")}
          </button>
        </div>
      </Form>
    </section>
  );
}
