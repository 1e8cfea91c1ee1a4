export const SEARCH_KINDS = ["project", "thread", "comment", "proposal"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
