import { REVIEW_REASONS, TARGET_TYPES, type ReviewReason, type TargetType } from "~db/schema/values";
import { parseId } from "~/ids";
import type { QueueFilters } from "~/moderation/review.server";

/**
 * The moderation queue's filters, read from /staff/moderation's URL (the domain owns the filter
 * type and the query): status (open unless approved or rejected), reason, content type and
 * project. A value the queue does not know falls back to its default.
 */
export function parseQueueFilters(url: URL): QueueFilters {
  const status = url.searchParams.get("status");
  const reason = url.searchParams.get("reason");
  const type = url.searchParams.get("type");
  const projectId = parseId(url.searchParams.get("project"));
  return {
    status: status === "approved" || status === "rejected" ? status : "open",
    reason: REVIEW_REASONS.includes(reason as ReviewReason) ? (reason as ReviewReason) : null,
    type: TARGET_TYPES.includes(type as TargetType) ? (type as TargetType) : null,
    projectId,
  };
}
