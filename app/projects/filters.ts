export const PROJECT_SORTS = ["closing", "active", "newest"] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
