import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { submitProposal } from "~/proposals/proposals.server";
import { composeAction, composeLoaderData, loadComposeProject } from "~/http/compose.server";
import { ComposePage } from "~/discussion/ComposePage";
import type { FormReply } from "~/ui/participation-form";
import { pageTitle } from "~/ui/meta";
import { proposalPath } from "~/content/links";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "proposals.newMeta", { title: data?.project.title ?? "" });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { user, project } = await loadComposeProject(params.slug, request, context);
  return composeLoaderData(project, user);
}

/** composeAction answers "preview" and the page's own intent, and refuses any other with 400. */
export const intents = ["preview", "submit"] as const;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { user, project } = await loadComposeProject(params.slug, request, context);
  return composeAction(
    request,
    { db: context.db, user },
    intents[1],
    (input) => submitProposal(context.db, user, project.id, input),
    (id) => proposalPath(project.slug, id),
  );
}

export default function NewProposal() {
  const data = useLoaderData<typeof loader>();
  const reply = (useActionData<typeof action>() ?? null) as FormReply | null;
  return <ComposePage kind="proposal" {...data} reply={reply} />;
}
