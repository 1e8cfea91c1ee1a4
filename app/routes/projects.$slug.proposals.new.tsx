import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/accounts/guards.server";
import { getProjectBySlug } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import { THREAD_TITLE_MAX } from "~/discussion/discussion.server";
import { cookMarkdown } from "~/discussion/markdown.server";
import { FormAlert, TextField, useFieldError, type FormReply } from "~/discussion/forms";
import { submitProposal } from "~/proposals/proposals.server";
import { attempt, formValues } from "~/ui/domain-response.server";
import { MarkdownField } from "~/ui/MarkdownField";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "proposals.newMeta", { title: data?.project.title ?? "" });

function loadProject(slug: string | undefined, request: Request, context: LoaderFunctionArgs["context"]) {
  const user = requireUser(request, context);
  const row = getProjectBySlug(context.db, slug ?? "", user);
  if (!row) throw new Response("Not found", { status: 404 });
  return { user, project: row.project };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { user, project } = loadProject(params.slug, request, context);
  return { project: { slug: project.slug, title: project.title }, titleMax: THREAD_TITLE_MAX, participation: participationState(project, user, new Date()) };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { user, project } = loadProject(params.slug, request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form, ["title"], 2_000), ...formValues(form, ["body"], 65_536) };
  if (intent === "preview") return { ok: true as const, intent, values, preview: cookMarkdown(values.body ?? "") };
  if (intent !== "submit") throw new Response("Bad request", { status: 400 });
  const result = attempt(() => submitProposal(context.db, user, project.id, { title: values.title, body: values.body }), values, intent);
  if (!result.ok) return result.response;
  return redirect(`/projects/${project.slug}/proposals/${result.value.id}`);
}

export default function NewProposal() {
  const { project, participation, titleMax } = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  const { t } = useTranslation();
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const labels = { title: t("proposals.titleField"), body: t("proposals.bodyField") };
  return (
    <div className="narrow-wide">
      <p className="back-link">
        <Link to={`/projects/${project.slug}#proposals`}>← {project.title}</Link>
      </p>
      <h1>{t("proposals.new")}</h1>
      {/* A refused submission keeps its form and text, even when the window closed meanwhile. */}
      {participation.kind === "open" || failure ? (
        <>
          <p>{t("proposals.newLead")}</p>
          <Form method="post" className="compose-form" noValidate>
            <FormAlert failure={failure} labels={labels} idPrefix="proposal" />
            <TextField
              name="title"
              idPrefix="proposal"
              label={labels.title}
              defaultValue={reply?.values?.title}
              error={fieldError("title")}
              hint={t("proposals.titleHint", { max: titleMax })}
            />
            <MarkdownField name="body" idPrefix="proposal" label={labels.body} defaultValue={reply?.values?.body} error={fieldError("body")} previewHtml={reply?.ok ? reply.preview : undefined} rows={8} />
            <div className="form-actions">
              <button type="submit" name="intent" value="preview" className="button--secondary">
                {t("markdown.previewButton")}
              </button>
              <button type="submit" name="intent" value="submit">
                {t("proposals.submit")}
              </button>
            </div>
          </Form>
        </>
      ) : (
        <ParticipationNotice state={participation} purpose="propose" />
      )}
    </div>
  );
}
