import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { openThread } from "~/discussion/discussion.server";
import { composeAction, composeLoaderData, loadComposeProject } from "~/http/compose.server";
import { ComposePage } from "~/discussion/ComposePage";
import type { FormReply } from "~/ui/participation-form";
import { pageTitle } from "~/ui/meta";
import { threadPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "discussion.newThreadMeta", { title: data?.project.title ?? "" });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { user, project } = await loadComposeProject(params.slug, request, context);
  return composeLoaderData(project, user);
}

/** composeAction answers "preview" and the page's own intent, and refuses any other with 400. */
export const intents = ["preview", "open"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { user, project } = await loadComposeProject(params.slug, request, context);
  return composeAction(
    request,
    { db: context.db, user },
    intents[1],
    (input) => openThread(context.db, user, project.id, input),
    (id) => threadPath(project.slug, { id, proposalId: null }),
  );
}

export default function NewThread() {
  const data = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  return <ComposePage kind="thread" {...data} reply={reply} />;
}
