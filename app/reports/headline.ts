/** The headline figures of a report, in the order the report page and its spreadsheet show them. */
export const HEADLINE_FIGURES = ["participants", "threads", "comments", "proposals", "supports", "followers", "ballots"] as const;
