import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { currentUser, requireUser } from "~/http/guards.server";
import { isStaff } from "~/accounts/roles";
import { getProjectBySlug, followProject, isFollowing, listProjectUpdates, unfollowProject } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { ConsultationWindow, PhaseBadge } from "~/projects/ProjectCard";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import { castVote, getOwnVote, tallyOf } from "~/voting/voting.server";
import { VoteBox } from "~/voting/VoteBox";
import { TallyBars } from "~/voting/TallyBars";
import { listThreads } from "~/discussion/discussion.server";
import { AuthorName } from "~/discussion/AuthorName";
import { PageLinks, namedPage } from "~/ui/pagination";
import { StatusMessage, type FormReply } from "~/ui/participation-form";
import { listProposals } from "~/proposals/proposals.server";
import { ProposalStatusBadge } from "~/proposals/ProposalStatusBadge";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";
import { projectPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data ? pageTitle(matches, "projectPage.metaTitle", { title: data.project.title }) : pageTitle(matches, "errorPages.404.title");

async function loadProject(slug: string | undefined, context: LoaderFunctionArgs["context"]) {
  const row = await getProjectBySlug(context.db, slug ?? "", await currentUser(context));
  if (!row) throw new Response("Not found", { status: 404 });
  return row;
}

/** Nine queries at most (seven for visitors), whatever the number of threads, proposals or updates. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { project, areaName, areaLevel, parentAreaName } = await loadProject(params.slug, context);
  const viewer = await currentUser(context);
  const url = new URL(request.url);
  const now = new Date();
  return {
    project: {
      slug: project.slug,
      title: project.title,
      summary: project.summary,
      bodyHtml: project.bodyHtml,
      category: project.category,
      phase: project.phase,
      outcome: project.outcome,
      outcomeReason: project.outcomeReason,
      lat: project.lat,
      lng: project.lng,
      budgetRupiah: project.budgetRupiah,
      consultationOpensAt: project.consultationOpensAt,
      consultationClosesAt: project.consultationClosesAt,
      areaName,
      areaLevel,
      parentAreaName,
    },
    tally: tallyOf(project),
    threads: await listThreads(context.db, project.id, namedPage(url, "threads")),
    proposals: await listProposals(context.db, project.id, namedPage(url, "proposals")),
    updates: await listProjectUpdates(context.db, project.id, namedPage(url, "updates")),
    ownVote: viewer ? await getOwnVote(context.db, viewer.id, project.id) : null,
    following: viewer ? await isFollowing(context.db, viewer.id, project.id) : false,
    participation: participationState(project, viewer, now),
    voting: participationState(project, viewer, now, { verified: true, resident: true }),
    signedIn: Boolean(viewer),
    /** After a thread or proposal was hidden from its own page, its reader lands here with a word why. */
    notice: HIDDEN_NOTICES.has(url.searchParams.get("notice") ?? "") ? `moderationUi.${url.searchParams.get("notice")}` : null,
    now,
  };
}

const HIDDEN_NOTICES = new Set(["flaggedHidden", "hidden"]);

export const intents = ["vote", "follow", "unfollow"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { project } = await loadProject(params.slug, context);
  const form = await request.formData();
  const intent = readIntent(form, intents);
  const values = formValues(form, ["choice"], 20);
  switch (intent) {
    case "vote": {
      const result = await attemptAsync(() => castVote(context.db, user, project.id, values.choice ?? null), values, intent);
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values: { choice: result.value.choice, changed: result.value.changed ? "1" : "0" } };
    }
    case "follow":
    case "unfollow": {
      const result = await attemptAsync(
        () => (intent === "follow" ? followProject(context.db, user.id, project.id) : unfollowProject(context.db, user.id, project.id)),
        {},
        intent,
      );
      if (!result.ok) return result.response;
      return { ok: true as const, intent, values: {} };
    }
  }
}

export default function ProjectPage() {
  const { project, tally, threads, proposals, updates, ownVote, following, participation, voting, signedIn, notice, now } = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  const { t } = useTranslation();
  const f = useFormat();
  const base = projectPath(project.slug);
  const area =
    project.areaLevel === "kelurahan" && project.parentAreaName
      ? t("projectPage.areaKelurahan", { kelurahan: project.areaName, kecamatan: project.parentAreaName })
      : project.areaLevel === "kecamatan"
        ? t("projectPage.areaKecamatan", { kecamatan: project.areaName })
        : project.areaName;
  const followDone = reply?.ok && (reply.intent === "follow" || reply.intent === "unfollow") ? reply.intent : null;
  const open = participation.kind === "open";
  return (
    <article className="project-page">
      <div role="status">{notice ? <p className="notice notice--success">{t(notice)}</p> : null}</div>
      <header className="project-page__header">
        <p className="card__meta">
          <PhaseBadge phase={project.phase} /> <span>{t(`categories.${project.category}`)}</span>
        </p>
        <h1>{project.title}</h1>
        {project.phase === "draft" ? <p className="notice notice--warning">{t("projectPage.draftNotice")}</p> : null}
        <p className="lead">{project.summary}</p>
        <dl className="facts">
          <div>
            <dt>{t("projects.area")}</dt>
            <dd>{area}</dd>
          </div>
          <div>
            <dt>{t("projects.budget")}</dt>
            <dd>{f.rupiah(project.budgetRupiah)}</dd>
          </div>
          {project.lat !== null && project.lng !== null ? (
            <div>
              <dt>{t("projectPage.location")}</dt>
              <dd>
                {`${project.lat}, ${project.lng}`} ·{" "}
                <a href={`https://www.openstreetmap.org/?mlat=${project.lat}&mlon=${project.lng}#map=17/${project.lat}/${project.lng}`} rel="noopener">
                  {t("projectPage.openMap")}
                </a>
              </dd>
            </div>
          ) : null}
        </dl>
        <ConsultationWindow project={project} now={now} />
        <nav className="jump-links" aria-label={t("projectPage.jumpLabel")}>
          <ul>
            <li>
              <a href="#vote">{t("voting.heading")}</a>
            </li>
            <li>
              <a href="#threads">{t("projectPage.jumpThreads")}</a>
            </li>
            <li>
              <a href="#proposals">{t("projectPage.jumpProposals")}</a>
            </li>
            <li>
              <a href="#updates">{t("projectPage.updates")}</a>
            </li>
          </ul>
        </nav>
        {signedIn ? (
          <div className="follow">
            <Form method="post" preventScrollReset>
              <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className={following ? "button--secondary" : undefined}>
                {following ? t("projectPage.unfollow") : t("projectPage.follow")}
              </button>
            </Form>
            <p className="muted">{following ? t("projectPage.followingHint") : t("projectPage.followHint")}</p>
            <StatusMessage>{followDone ? t(followDone === "follow" ? "projectPage.followed" : "projectPage.unfollowed") : null}</StatusMessage>
          </div>
        ) : null}
      </header>

      {project.outcome ? (
        <section aria-labelledby="decision-heading" className="decision">
          <h2 id="decision-heading">{t("projectPage.decision")}</h2>
          <p>
            <strong>{t(`projectPage.outcomes.${project.outcome}`)}</strong>
          </p>
          {project.outcomeReason ? <p className="pre-line">{project.outcomeReason}</p> : null}
        </section>
      ) : null}

      <section aria-labelledby="about-heading">
        <h2 id="about-heading">{t("projectPage.about")}</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: project.bodyHtml }} />
      </section>

      <section aria-labelledby="vote-heading" className="vote-box" id="vote">
        <h2 id="vote-heading">{t("voting.heading")}</h2>
        <VoteBox ownVote={ownVote} state={voting} reply={reply} />
      </section>

      <section aria-labelledby="tally-heading" id="tally">
        <h2 id="tally-heading">{t("voting.tallyHeading")}</h2>
        <TallyBars tally={tally} />
      </section>

      <section aria-labelledby="threads-heading" id="threads">
        <h2 id="threads-heading">{t("projectPage.threads", { count: threads.total, formatted: f.number(threads.total) })}</h2>
        {open || participation.kind === "anonymous" ? (
          <p>
            <Link to={`${base}/threads/new`} className="button">
              {t("projectPage.newThread")}
            </Link>
          </p>
        ) : (
          <ParticipationNotice state={participation} purpose="thread" />
        )}
        {threads.rows.length ? (
          <ul className="item-list">
            {threads.rows.map((th) => (
              <li key={th.id} className="item">
                <h3 className="item__title">
                  <Link to={`${base}/threads/${th.id}`}>{th.title}</Link>
                </h3>
                <p className="item__meta">
                  {th.pinned ? <span className="badge badge--pinned">{t("discussion.pinned")}</span> : null}
                  {th.locked ? <span className="badge badge--locked">{t("discussion.lockedBadge")}</span> : null}
                  <span>
                    <AuthorName name={th.authorDeleted ? null : th.authorName} official={!th.authorDeleted && isStaff(th.authorRole)} />
                  </span>
                  <span>{t("projects.commentCount", { count: th.commentCount, formatted: f.number(th.commentCount) })}</span>
                  {th.lastActivityAt ? <span>{t("projectPage.lastActivity", { date: f.date(th.lastActivityAt) })}</span> : null}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("projectPage.noThreads")}</p>
        )}
        <PageLinks page={threads.page} pageCount={threads.pageCount} param="threads" hash="threads" label={t("projectPage.threadPages")} />
      </section>

      <section aria-labelledby="proposals-heading" id="proposals">
        <h2 id="proposals-heading">{t("projectPage.proposals", { count: proposals.total, formatted: f.number(proposals.total) })}</h2>
        <p>{t("projectPage.proposalsLead")}</p>
        {open || participation.kind === "anonymous" ? (
          <p>
            <Link to={`${base}/proposals/new`} className="button">
              {t("projectPage.newProposal")}
            </Link>
          </p>
        ) : (
          <ParticipationNotice state={participation} purpose="propose" />
        )}
        {proposals.rows.length ? (
          <ul className="item-list">
            {proposals.rows.map((p) => (
              <li key={p.id} className="item">
                <h3 className="item__title">
                  <Link to={`${base}/proposals/${p.id}`}>{p.title}</Link>
                </h3>
                <p className="item__meta">
                  <ProposalStatusBadge status={p.status} />
                  <span>{t("proposals.supportCount", { count: p.supportCount, formatted: f.number(p.supportCount) })}</span>
                  <span>
                    <AuthorName name={p.authorDeleted ? null : p.authorName} official={!p.authorDeleted && isStaff(p.authorRole)} />
                  </span>
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("projectPage.noProposals")}</p>
        )}
        <PageLinks page={proposals.page} pageCount={proposals.pageCount} param="proposals" hash="proposals" label={t("projectPage.proposalPages")} />
      </section>

      <section aria-labelledby="updates-heading" id="updates">
        <h2 id="updates-heading">{t("projectPage.updates")}</h2>
        {updates.rows.length ? (
          <ol className="timeline">
            {updates.rows.map((u) => (
              <li key={u.id} id={`update-${u.id}`} className="timeline__item">
                <h3 className="timeline__title">
                  {u.kind === "phase_change" && u.toPhase
                    ? u.fromPhase
                      ? t("projectPage.phaseChanged", { from: t(`phases.${u.fromPhase}`), to: t(`phases.${u.toPhase}`) })
                      : t("projectPage.phaseSet", { to: t(`phases.${u.toPhase}`) })
                    : t("projectPage.officialUpdate")}
                </h3>
                <p className="timeline__date">
                  <time dateTime={new Date(u.createdAt).toISOString()}>{f.dateTime(u.createdAt)}</time>
                </p>
                {u.bodyHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: u.bodyHtml }} /> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p>{t("projectPage.noUpdates")}</p>
        )}
        <PageLinks page={updates.page} pageCount={updates.pageCount} param="updates" hash="updates" label={t("projectPage.updatePages")} />
      </section>
    </article>
  );
}
