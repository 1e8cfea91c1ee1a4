import type { Project, User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { assertMayWrite } from "~/accounts/users.server";
import { isConsultationOpen } from "./projects.server";

/**
 * Why a person may or may not take part on a page right now, for the page to explain itself.
 * It only reads the domain's own rules (the window, suspension, and with `verified` the verified
 * e-mail that voting and supporting need); the domain still enforces them.
 */
export type ParticipationState =
  | { kind: "open" }
  | { kind: "closed" }
  | { kind: "notYetOpen"; opensAt: Date }
  | { kind: "locked" }
  | { kind: "anonymous" }
  | { kind: "refused"; key: string; params: Record<string, string | number> };

export function participationState(
  project: Pick<Project, "phase" | "consultationOpensAt" | "consultationClosesAt">,
  viewer: User | null,
  now: Date,
  { locked = false, verified = false, resident = false }: { locked?: boolean; verified?: boolean; resident?: boolean } = {},
): ParticipationState {
  if (!isConsultationOpen(project, now)) {
    if (project.phase === "consultation" && project.consultationOpensAt && project.consultationOpensAt > now) {
      return { kind: "notYetOpen", opensAt: project.consultationOpensAt };
    }
    return { kind: "closed" };
  }
  if (locked) return { kind: "locked" };
  if (!viewer) return { kind: "anonymous" };
  try {
    assertMayWrite(viewer, now, { verified, resident });
  } catch (error) {
    if (error instanceof DomainError) return { kind: "refused", key: error.key, params: error.params };
    throw error;
  }
  return { kind: "open" };
}
