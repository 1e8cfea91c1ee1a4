/**
 * The closed value sets of the schema, without any Drizzle import, so that UI code can use them
 * without pulling the ORM into the browser bundle.
 */
export const ROLES = ["resident", "moderator", "planner", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** Who plans, who moderates, who is staff (admins are all three). */
export const PLANNER_ROLES: readonly Role[] = ["planner", "admin"];
export const MODERATOR_ROLES: readonly Role[] = ["moderator", "admin"];
export const STAFF_ROLES: readonly Role[] = ["moderator", "planner", "admin"];
/** Staff contributions carry an "official" badge. */
export const isStaff = (role: Role) => STAFF_ROLES.includes(role);
export const LOCALES = ["id", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const AREA_LEVELS = ["city", "kecamatan", "kelurahan"] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const PHASES = ["draft", "consultation", "review", "decided", "in_progress", "completed", "cancelled"] as const;
export type Phase = (typeof PHASES)[number];
export const OUTCOMES = ["approved", "rejected", "deferred"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const CATEGORIES = ["roads", "drainage", "parks", "transport", "public_facilities", "housing", "other"] as const;
export type Category = (typeof CATEGORIES)[number];
export const VISIBILITIES = ["pending", "published", "hidden", "rejected", "deleted"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const STANCES = ["support", "oppose", "neutral"] as const;
export type Stance = (typeof STANCES)[number];
export const PROPOSAL_STATUSES = ["open", "under_evaluation", "accepted", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export const CHOICES = ["support", "oppose", "abstain"] as const;
export type Choice = (typeof CHOICES)[number];
export const TARGET_TYPES = ["thread", "comment", "proposal"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];
export const FLAG_REASONS = ["spam", "harassment", "sara", "misinformation", "personal_data", "off_topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_STATUSES = ["open", "upheld", "dismissed"] as const;
export const REVIEW_STATUSES = ["open", "approved", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const UPDATE_KINDS = ["update", "phase_change"] as const;
export const NOTIFICATION_KINDS = [
  "reply",
  "proposal_answer",
  "content_approved",
  "content_rejected",
  "content_hidden",
  "appeal_decided",
  "suspended",
  "phase_change",
  "project_update",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Why a review item is in the moderation queue. */
export const REVIEW_REASONS = ["new_author", "blocked_word", "too_many_links", "edit", "flagged", "appeal", "moderator_hide"] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export const SUSPENSION_DURATIONS = ["1d", "7d", "30d", "permanent"] as const;
export type SuspensionDuration = (typeof SUSPENSION_DURATIONS)[number];

/** What the moderation log records: every action a call of `logAction` writes. */
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
export type LogAction = (typeof LOG_ACTIONS)[number];
/** What a logged action was done to; "city" is a city-wide export, which has no row of its own. */
export const LOG_TARGET_TYPES = ["thread", "comment", "proposal", "user", "project", "setting", "city"] as const;
export type LogTargetType = (typeof LOG_TARGET_TYPES)[number];
