/**
 * Every address of a piece of content, built in one place: pages, e-mails and notifications,
 * exports, search, the moderation log and queue, report themes and one's own decisions all link
 * through these functions, so a route that moves changes one file. No server code: the UI uses
 * them too.
 */

/** What a thread's address needs: a proposal's discussion lives on the proposal's page. */
export interface ThreadRef {
  id: number;
  proposalId: number | null;
}

export function projectPath(slug: string, anchor?: string): string {
  return `/projects/${slug}${anchor ? `#${anchor}` : ""}`;
}

export function proposalPath(slug: string, proposalId: number): string {
  return `/projects/${slug}/proposals/${proposalId}`;
}

export function threadPath(slug: string, thread: ThreadRef): string {
  return thread.proposalId ? proposalPath(slug, thread.proposalId) : `/projects/${slug}/threads/${thread.id}`;
}

/** A comment on its thread's page: `?comment=` finds the page it is on, the fragment scrolls to it. */
export function commentPath(slug: string, thread: ThreadRef, commentId: number): string {
  return `${threadPath(slug, thread)}?comment=${commentId}#comment-${commentId}`;
}

/** Any contribution by kind: a thread and a comment need their thread, a proposal only its id. */
export type ContentRef =
  { type: "project" } | { type: "proposal"; id: number } | { type: "thread"; thread: ThreadRef } | { type: "comment"; id: number; thread: ThreadRef };

export function contentPath(slug: string, content: ContentRef): string {
  switch (content.type) {
    case "project":
      return projectPath(slug);
    case "proposal":
      return proposalPath(slug, content.id);
    case "thread":
      return threadPath(slug, content.thread);
    case "comment":
      return commentPath(slug, content.thread, content.id);
  }
}
