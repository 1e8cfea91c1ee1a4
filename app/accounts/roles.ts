import type { Role } from "~db/schema/values";

export const PLANNER_ROLES: readonly Role[] = ["planner", "admin"];
export const MODERATOR_ROLES: readonly Role[] = ["moderator", "admin"];
export const STAFF_ROLES: readonly Role[] = ["moderator", "planner", "admin"];

/** Staff contributions carry an "official" badge. */
export const isStaff = (role: Role) => STAFF_ROLES.includes(role);

