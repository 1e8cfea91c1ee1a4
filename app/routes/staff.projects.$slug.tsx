import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { listKelurahan } from "~/accounts/users.server";
import { previewMarkdown } from "~/discussion/preview.server";
import { allowedTransitions, getProjectBySlug, listProjectUpdates, moveProjectPhase, postProjectUpdate, updateProject } from "~/projects/projects.server";
import { listKecamatan } from "~/projects/queries.server";
import { ConsultationWindow, PhaseBadge } from "~/projects/ProjectCard";
import { PROJECT_FIELDS, ProjectForm, groupAreas, projectFormValues, projectInputOf } from "~/projects/ProjectForm";
import { PhaseMoveForms } from "~/projects/PhaseMoveForms";
import { ProjectUpdatesTimeline } from "~/projects/ProjectUpdatesTimeline";
import { DoneNotice, PreviewNotice } from "~/projects/StaffProjectNotices";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { ErrorSummary, useFieldError } from "~/ui/form";
import { useFormat } from "~/ui/locale-format";
import { MarkdownField } from "~/ui/MarkdownField";
import { pageTitle } from "~/ui/meta";
import { Pagination, pageParam } from "~/ui/pagination";
import type { Phase } from "~db/schema/values";
import { readIntent } from "~/http/intent.server";
import { projectPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "staffProjects.page.metaTitle", { title: data?.project.title ?? "" });

async function loadProject(request: Request, context: LoaderFunctionArgs["context"], slug: string | undefined) {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  const row = await getProjectBySlug(context.db, slug ?? "", actor);
  if (!row) throw new Response("Not found", { status: 404 });
  return { actor, row };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { row } = await loadProject(request, context, params.slug);
  const { project } = row;
  const timeZone = context.config.cityTimezone;
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const updates = await listProjectUpdates(context.db, project.id, pageParam(url));
  return {
    project: {
      slug: project.slug,
      title: project.title,
      phase: project.phase,
      outcome: project.outcome,
      outcomeReason: project.outcomeReason,
      category: project.category,
      budgetRupiah: project.budgetRupiah,
      consultationOpensAt: project.consultationOpensAt,
      consultationClosesAt: project.consultationClosesAt,
      updatedAt: project.updatedAt,
    },
    area: row.parentAreaName && row.areaLevel === "kelurahan" ? `${row.areaName}, ${row.parentAreaName}` : row.areaName,
    transitions: allowedTransitions(project),
    values: projectFormValues(project, timeZone),
    areas: groupAreas(await listKecamatan(context.db), await listKelurahan(context.db)),
    updates: {
      ...updates,
      rows: updates.rows.map((u) => ({ id: u.id, kind: u.kind, fromPhase: u.fromPhase, toPhase: u.toPhase, bodyHtml: u.bodyHtml, createdAt: u.createdAt })),
    },
    timeZone,
    done: done === "created" || done === "edited" ? done : null,
    now: new Date(),
  };
}

const PHASE_FIELDS = ["to", "opensAt", "closesAt", "outcome", "reason", "note"];

/** What a section's form is answered with when it worked (a refusal is a FormFailure, see attemptAsync()). */
interface Reply {
  ok: true;
  intent: "edit" | "preview" | "phase" | "update";
  section: "project" | "update" | null;
  values: Record<string, string> | null;
  previewHtml: string | null;
  done: { key: string; phase?: Phase } | null;
}

const reply = (r: Partial<Reply> & Pick<Reply, "intent">): Reply => ({
  ok: true,
  section: null,
  values: null,
  previewHtml: null,
  done: null,
  ...r,
});

export const intents = ["preview", "edit", "phase", "update"] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, row } = await loadProject(request, context, params.slug);
  const { project } = row;
  const { db } = context;
  const timeZone = context.config.cityTimezone;
  const form = await request.formData();
  const intent = readIntent(form, intents);

  if (intent === "preview") {
    const section = form.get("section") === "update" ? "update" : "project";
    const values = { ...formValues(form, section === "update" ? [] : [...PROJECT_FIELDS]), ...formValues(form, ["body"], 65_536) };
    // A refused preview is shown on the form it came from, with everything typed.
    const preview = await attemptAsync(() => previewMarkdown(db, actor, values.body), values, section === "update" ? "update" : "edit");
    if (!preview.ok) return preview.response;
    return reply({ intent, section, values, previewHtml: preview.value });
  }

  if (intent === "edit") {
    const values = formValues(form, [...PROJECT_FIELDS]);
    const result = await attemptAsync(() => updateProject(db, actor, project.id, projectInputOf(values), timeZone), values, intent);
    if (!result.ok) return result.response;
    // A new slug is a new address: the page follows it.
    if (result.value.slug !== project.slug) return redirect(`/staff/projects/${result.value.slug}?done=edited#edit`);
    return reply({ intent, section: "project", done: { key: "staffProjects.done.edited" } });
  }

  if (intent === "phase") {
    const values = formValues(form, PHASE_FIELDS);
    const result = await attemptAsync(
      () =>
        moveProjectPhase(
          db,
          actor,
          project.id,
          {
            to: (values.to ?? "") as Phase,
            outcome: values.outcome ?? null,
            reason: values.reason ?? null,
            opensAt: values.opensAt ?? null,
            closesAt: values.closesAt ?? null,
            note: values.note ?? null,
          },
          timeZone,
        ),
      values,
      intent,
    );
    if (!result.ok) return result.response;
    return reply({ intent, done: { key: "staffProjects.done.moved", phase: result.value.phase } });
  }

  const values = formValues(form, ["body"]);
  const result = await attemptAsync(() => postProjectUpdate(db, actor, project.id, values.body ?? ""), values, intent);
  if (!result.ok) return result.response;
  return reply({ intent, section: "update", done: { key: "staffProjects.done.posted" } });
}

export default function StaffProject() {
  const { t } = useTranslation();
  const f = useFormat();
  const { project, area, transitions, values, areas, updates, timeZone, done, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const result = actionData?.ok ? actionData : null;
  const edit = result && result.section === "project" ? result : null;
  const updateReply = result && result.section === "update" ? result : null;
  const updateFailure = failure?.intent === "update" ? failure : null;
  const phaseFailure = failure?.intent === "phase" ? failure : null;
  const editFailure = failure?.intent === "edit" ? failure : null;
  const updateError = useFieldError(updateFailure);
  const postingUpdate = navigation.state === "submitting" && navigation.formData?.get("intent") === "update";
  const doneText = (d: { key: string; phase?: Phase }) => t(d.key, d.phase ? { phase: t(`phases.${d.phase}`) } : {});
  return (
    <div className="staff-project">
      <p className="staff-project__back">
        <Link to="/staff/projects">{t("staffProjects.back")}</Link>
      </p>
      <h1>{project.title}</h1>
      <div role="status">{done === "created" ? <DoneNotice>{t("staffProjects.done.created")}</DoneNotice> : null}</div>
      <ErrorSummary failure={failure && !failure.intent ? failure : null} layout="inline" />
      <dl className="facts">
        <div>
          <dt>{t("staffProjects.page.phase")}</dt>
          <dd>
            <PhaseBadge phase={project.phase} />
          </dd>
        </div>
        <div>
          <dt>{t("projects.area")}</dt>
          <dd>{area}</dd>
        </div>
        <div>
          <dt>{t("projects.category")}</dt>
          <dd>{t(`categories.${project.category}`)}</dd>
        </div>
        <div>
          <dt>{t("projects.budget")}</dt>
          <dd>{f.rupiah(project.budgetRupiah)}</dd>
        </div>
      </dl>
      <p>
        <Link to={projectPath(project.slug)}>{t("staffProjects.page.publicLink")}</Link>
        {project.phase === "draft" ? <span className="muted"> {t("staffProjects.page.draftNote")}</span> : null}
      </p>
      <p>
        <Link to={`/staff/projects/${project.slug}/report`}>{t("reports.links.projectReport")}</Link>
      </p>
      <nav className="staff-project__sections" aria-label={t("staffProjects.page.sections")}>
        <ul>
          <li>
            <a href="#edit">{t("staffProjects.edit.heading")}</a>
          </li>
          <li>
            <a href="#phase">{t("staffProjects.phase.heading")}</a>
          </li>
          <li>
            <a href="#updates">{t("staffProjects.updates.heading")}</a>
          </li>
          <li>
            <a href="#timeline">{t("staffProjects.updates.timeline")}</a>
          </li>
        </ul>
      </nav>

      <section id="edit" aria-labelledby="edit-title" className="staff-project__section">
        <h2 id="edit-title">{t("staffProjects.edit.heading")}</h2>
        <div role="status">
          {edit?.done || done === "edited" ? <DoneNotice>{t("staffProjects.done.edited")}</DoneNotice> : null}
          {edit?.intent === "preview" ? <PreviewNotice /> : null}
        </div>
        <ProjectForm
          key={`edit-${String(project.updatedAt)}`}
          intent="edit"
          editing
          action="#edit"
          submitLabel={t("staffProjects.edit.submit")}
          values={edit?.values ?? editFailure?.values ?? values}
          failure={editFailure}
          previewHtml={edit?.previewHtml}
          areas={areas}
          timeZone={timeZone}
          headingLevel={3}
        />
      </section>

      <section id="phase" aria-labelledby="phase-title" className="staff-project__section">
        <h2 id="phase-title">{t("staffProjects.phase.heading")}</h2>
        <div role="status">{result?.intent === "phase" && result.done ? <DoneNotice>{doneText(result.done)}</DoneNotice> : null}</div>
        <p>
          {t("staffProjects.phase.current")} <PhaseBadge phase={project.phase} />
        </p>
        {project.outcome ? (
          <dl className="facts">
            <div>
              <dt>{t("staffProjects.phase.outcome")}</dt>
              <dd>{t(`staffProjects.outcomes.${project.outcome}`)}</dd>
            </div>
            {project.outcomeReason ? (
              <div>
                <dt>{t("staffProjects.phase.reason")}</dt>
                <dd>{project.outcomeReason}</dd>
              </div>
            ) : null}
          </dl>
        ) : null}
        <ConsultationWindow project={project} now={now} />
        <PhaseMoveForms
          key={`phase-${project.phase}-${String(project.updatedAt)}`}
          phase={project.phase}
          transitions={transitions}
          prefill={{ opensAt: values.opensAt, closesAt: values.closesAt }}
          failure={phaseFailure}
          timeZone={timeZone}
          action="#phase"
        />
      </section>

      <section id="updates" aria-labelledby="updates-title" className="staff-project__section">
        <h2 id="updates-title">{t("staffProjects.updates.heading")}</h2>
        <p>{project.phase === "draft" ? t("staffProjects.updates.draftNote") : t("staffProjects.updates.lead")}</p>
        <div role="status">
          {updateReply?.done ? <DoneNotice>{t(updateReply.done.key)}</DoneNotice> : null}
          {updateReply?.intent === "preview" ? <PreviewNotice target="update-body" /> : null}
        </div>
        <ErrorSummary failure={updateFailure} layout="inline" />
        <Form method="post" action="#updates" noValidate key={`update-${updates.total}`}>
          <input type="hidden" name="section" value="update" />
          <MarkdownField
            name="body"
            idPrefix="update"
            label={t("staffProjects.updates.body")}
            defaultValue={updateReply?.values?.body ?? updateFailure?.values.body}
            error={updateError("body")}
            previewHtml={updateReply?.previewHtml}
          />
          <div className="button-row">
            <button type="submit" name="intent" value="preview" className="button-secondary">
              {t("markdown.previewButton")}
            </button>
            <button type="submit" name="intent" value="update" disabled={postingUpdate}>
              {t("staffProjects.updates.submit")}
            </button>
          </div>
        </Form>
      </section>

      <section id="timeline" aria-labelledby="timeline-title" className="staff-project__section">
        <h2 id="timeline-title">{t("staffProjects.updates.timeline")}</h2>
        <p>{t("staffProjects.updates.count", { count: updates.total, formatted: f.number(updates.total) })}</p>
        <ProjectUpdatesTimeline updates={updates.rows} />
        <Pagination page={updates.page} pageCount={updates.pageCount} />
      </section>
    </div>
  );
}
