import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Project, User } from "~db/schema";
import { requireUser } from "~/http/guards.server";
import { getProjectBySlug } from "~/projects/projects.server";
import { participationState } from "~/projects/participation.server";
import { attemptAsync, formValues } from "~/http/domain-response.server";
import type { AppDb } from "~db/engine";
import { previewMarkdown } from "~/discussion/preview.server";
import { THREAD_TITLE_MAX } from "~/discussion/discussion.server";

/** The project a new thread or proposal is written for, as the signed-in user may see it. */
export async function loadComposeProject(slug: string | undefined, request: Request, context: AppLoadContext) {
  const user = await requireUser(request, context);
  const row = await getProjectBySlug(context.db, slug ?? "", user);
  if (!row) throw new Response("Not found", { status: 404 });
  return { user, project: row.project };
}

export function composeLoaderData(project: Project, user: User) {
  return { project: { slug: project.slug, title: project.title }, titleMax: THREAD_TITLE_MAX, participation: participationState(project, user, new Date()) };
}

/**
 * The action of a "title + Markdown body" page: preview, or create through the domain and go to
 * what was created; a refusal (of the preview too) returns the message with everything typed.
 */
export async function composeAction(
  request: Request,
  writer: { db: AppDb; user: User },
  submitIntent: string,
  create: (input: { title: string | undefined; body: string | undefined }) => Promise<{ id: number }>,
  pathOf: (id: number) => string,
) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form, ["title"], 2_000), ...formValues(form, ["body"], 65_536) };
  if (intent === "preview") {
    const preview = await attemptAsync(() => previewMarkdown(writer.db, writer.user, values.body), values, intent);
    if (!preview.ok) return preview.response;
    return { ok: true as const, intent, values, preview: preview.value };
  }
  if (intent !== submitIntent) throw new Response("Bad request", { status: 400 });
  const result = await attemptAsync(() => create({ title: values.title, body: values.body }), values, intent);
  if (!result.ok) return result.response;
  return redirect(pathOf(result.value.id));
}
