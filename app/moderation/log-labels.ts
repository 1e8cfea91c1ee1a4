/** Log actions and target types the pages name; anything else is shown as it is stored. */
export const LOG_ACTIONS = [
  "role_change",
  "project_create",
  "project_edit",
  "phase_change",
  "proposal_answer",
  "thread_lock",
  "thread_unlock",
  "thread_pin",
  "thread_unpin",
  "review_approve",
  "review_reject",
  "appeal",
  "appeal_overturn",
  "appeal_uphold",
  "auto_hide",
  "suspend",
  "suspension_lift",
  "setting_change",
  "export",
  "two_factor_reset",
] as const;

export const LOG_TARGET_TYPES = ["thread", "comment", "proposal", "user", "project", "setting", "export", "report"] as const;

export const isKnown = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
