import type { Role, User } from "~db/schema";
import { forbidden } from "~/domain-error";
import { assertMayWrite, canWrite } from "./users.server";

/**
 * The one check for every staff power (hide, decide, lock, answer, publish, move a phase, change a
 * role or a setting, suspend or lift): the actor holds one of `roles` and may write now. A
 * suspended account keeps its role but only reads and appeals, whatever that role is.
 */
export function assertActsAs(actor: User, roles: readonly Role[], now = new Date()) {
  if (!roles.includes(actor.role)) throw forbidden();
  assertMayWrite(actor, now);
}

/**
 * assertActsAs as a question, for pages: they offer a staff power only when the domain would
 * accept it, so a suspended moderator sees no "Hide" and a resident no "Lock".
 */
export function actsAs(actor: User | null, roles: readonly Role[], now = new Date()): boolean {
  return actor !== null && roles.includes(actor.role) && canWrite(actor, now);
}
