import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/accounts/guards.server";
import { getProjectBySlug } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import { openThread, THREAD_TITLE_MAX } from "~/discussion/discussion.server";
import { cookMarkdown } from "~/discussion/markdown.server";
import { FormAlert, TextField, useFieldError, type FormReply } from "~/discussion/forms";
import { attempt, formValues } from "~/ui/domain-response.server";
import { MarkdownField } from "~/ui/MarkdownField";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "discussion.newThreadMeta", { title: data?.project.title ?? "" });

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
  if (intent !== "open") throw new Response("Bad request", { status: 400 });
  const result = attempt(() => openThread(context.db, user, project.id, { title: values.title, body: values.body }), values, intent);
  if (!result.ok) return result.response;
  return redirect(`/projects/${project.slug}/threads/${result.value.id}`);
}

export default function NewThread() {
  const { project, participation, titleMax } = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  const { t } = useTranslation();
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const labels = { title: t("discussion.threadTitle"), body: t("discussion.threadBody") };
  return (
    <div className="narrow-wide">
      <p className="back-link">
        <Link to={`/projects/${project.slug}#threads`}>← {project.title}</Link>
      </p>
      <h1>{t("discussion.newThread")}</h1>
      {/* A refused submission keeps its form and text, even when the window closed meanwhile. */}
      {participation.kind === "open" || failure ? (
        <>
          <p>{t("discussion.newThreadLead")}</p>
          <Form method="post" className="compose-form" noValidate>
            <FormAlert failure={failure} labels={labels} idPrefix="thread" />
            <TextField
              name="title"
              idPrefix="thread"
              label={labels.title}
              defaultValue={reply?.values?.title}
              error={fieldError("title")}
              hint={t("discussion.threadTitleHint", { max: titleMax })}
            />
            <MarkdownField name="body" idPrefix="thread" label={labels.body} defaultValue={reply?.values?.body} error={fieldError("body")} previewHtml={reply?.ok ? reply.preview : undefined} rows={8} />
            <div className="form-actions">
              <button type="submit" name="intent" value="preview" className="button--secondary">
                {t("markdown.previewButton")}
              </button>
              <button type="submit" name="intent" value="open">
                {t("discussion.openThread")}
              </button>
            </div>
          </Form>
        </>
      ) : (
        <ParticipationNotice state={participation} purpose="thread" />
      )}
    </div>
  );
}
