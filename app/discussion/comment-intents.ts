/**
 * The intents of the comment forms shared by thread and proposal pages (flag and hide are
 * moderation's, see moderation-intents.server.ts). A module of its own, without server code,
 * because each page exports its list of intents and that export reaches the browser's bundle.
 */
export const COMMENT_INTENTS = ["comment", "reply", "edit", "delete", "preview", "flag", "hide"] as const;
export type CommentIntent = (typeof COMMENT_INTENTS)[number];
