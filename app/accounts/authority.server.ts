import type { Role, User } from "~db/schema";
import { forbidden } from "~/domain-error";
import { assertMayWrite } from "./users.server";

/**
 * The one check for every staff power (hide, decide, lock, answer, publish, move a phase, change a
 * role or a setting, suspend or lift): the actor holds one of `roles` and may write now. A
 * suspended account keeps its role but only reads and appeals, whatever that role is.
 */
export function assertActsAs(actor: User, roles: readonly Role[], now = new Date()) {
  if (!roles.includes(actor.role)) throw forbidden();
  assertMayWrite(actor, now);
}
