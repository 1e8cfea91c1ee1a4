/** The role groups are value sets of the schema (db/schema/values.ts); accounts' modules read them here. */
export { MODERATOR_ROLES, PLANNER_ROLES, STAFF_ROLES, isStaff } from "~db/schema/values";
