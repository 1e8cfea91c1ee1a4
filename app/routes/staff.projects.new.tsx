import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/http/guards.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { listKelurahan } from "~/accounts/users.server";
import { previewMarkdown } from "~/discussion/preview.server";
import { createProject } from "~/projects/projects.server";
import { listKecamatan } from "~/projects/queries.server";
import { PROJECT_FIELDS, ProjectForm, groupAreas, projectInputOf } from "~/projects/ProjectForm";
import { PreviewNotice } from "~/projects/StaffProjectNotices";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import { pageTitle } from "~/ui/meta";
import { readIntent } from "~/http/intent.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffProjects.new.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, PLANNER_ROLES);
  return {
    areas: groupAreas(await listKecamatan(context.db), await listKelurahan(context.db)),
    timeZone: context.config.cityTimezone,
  };
}

export const intents = ["preview", "create"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, context, PLANNER_ROLES);
  const form = await request.formData();
  const values = { ...formValues(form, [...PROJECT_FIELDS]), ...formValues(form, ["body"], 65_536) };
  const intent = readIntent(form, intents, "create");
  if (intent === "preview") {
    const preview = await attemptAsync(() => previewMarkdown(context.db, actor, values.body), values, intent);
    if (!preview.ok) return preview.response;
    return { ok: true as const, intent, values, previewHtml: preview.value };
  }
  const result = await attemptAsync(() => createProject(context.db, actor, projectInputOf(values), context.config.cityTimezone), values, intent);
  if (!result.ok) return result.response;
  return redirect(`/staff/projects/${result.value.slug}?done=created`);
}

export default function NewProject() {
  const { t } = useTranslation();
  const { areas, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && !actionData.ok ? actionData : null;
  const result = actionData?.ok ? actionData : null;
  return (
    <div className="staff-project">
      <p className="staff-project__back">
        <Link to="/staff/projects">{t("staffProjects.back")}</Link>
      </p>
      <h1>{t("staffProjects.new.title")}</h1>
      <p>{t("staffProjects.new.lead")}</p>
      <div role="status">{result?.intent === "preview" ? <PreviewNotice /> : null}</div>
      <ProjectForm
        intent="create"
        submitLabel={t("staffProjects.new.submit")}
        values={actionData?.values}
        failure={failure}
        previewHtml={result?.previewHtml}
        areas={areas}
        timeZone={timeZone}
        headingLevel={2}
      />
    </div>
  );
}
