import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ParticipationNotice } from "~/projects/ParticipationNotice";
import type { ParticipationState } from "~/projects/participation.server";
import { MarkdownField } from "~/ui/MarkdownField";
import { TextField, type FormReply } from "~/ui/participation-form";
import { ErrorSummary, useFieldError } from "~/ui/form";
import { projectPath } from "~/content/links";

/** The texts and names that differ between opening a thread and proposing. */
const KINDS = {
  thread: {
    anchor: "threads",
    heading: "discussion.newThread",
    lead: "discussion.newThreadLead",
    title: "discussion.threadTitle",
    body: "discussion.threadBody",
    titleHint: "discussion.threadTitleHint",
    submit: "discussion.openThread",
    intent: "open",
    purpose: "thread",
  },
  proposal: {
    anchor: "proposals",
    heading: "proposals.new",
    lead: "proposals.newLead",
    title: "proposals.titleField",
    body: "proposals.bodyField",
    titleHint: "proposals.titleHint",
    submit: "proposals.submit",
    intent: "submit",
    purpose: "propose",
  },
} as const;

/** Writing a new thread or proposal: a title and a Markdown body, with a server-side preview. */
export function ComposePage({
  kind,
  project,
  participation,
  titleMax,
  reply,
}: {
  kind: keyof typeof KINDS;
  project: { slug: string; title: string };
  participation: ParticipationState;
  titleMax: number;
  reply: FormReply | null;
}) {
  const { t } = useTranslation();
  const k = KINDS[kind];
  const failure = reply && !reply.ok ? reply : null;
  const fieldError = useFieldError(failure);
  const labels = { title: t(k.title), body: t(k.body) };
  return (
    <div className="narrow-wide">
      <p className="back-link">
        <Link to={projectPath(project.slug, k.anchor)}>← {project.title}</Link>
      </p>
      <h1>{t(k.heading)}</h1>
      {/* A refused submission keeps its form and text, even when the window closed meanwhile. */}
      {participation.kind === "open" || failure ? (
        <>
          <p>{t(k.lead)}</p>
          <Form method="post" className="compose-form" noValidate>
            <ErrorSummary failure={failure} labels={labels} idPrefix={kind} layout="inline" />
            <TextField
              name="title"
              idPrefix={kind}
              label={labels.title}
              defaultValue={reply?.values?.title}
              error={fieldError("title")}
              hint={t(k.titleHint, { max: titleMax })}
            />
            <MarkdownField
              name="body"
              idPrefix={kind}
              label={labels.body}
              defaultValue={reply?.values?.body}
              error={fieldError("body")}
              previewHtml={reply?.ok ? reply.preview : undefined}
              rows={8}
            />
            <div className="form-actions">
              <button type="submit" name="intent" value="preview" className="button--secondary">
                {t("markdown.previewButton")}
              </button>
              <button type="submit" name="intent" value={k.intent}>
                {t(k.submit)}
              </button>
            </div>
          </Form>
        </>
      ) : (
        <ParticipationNotice state={participation} purpose={k.purpose} />
      )}
    </div>
  );
}
