import { eq } from "drizzle-orm";
import { tables, type AppDb } from "~db/engine";
import type { Project, User } from "~db/schema";
import { PLANNER_ROLES } from "~/accounts/roles";
import { forbidden, notFound } from "~/domain-error";
import { assertActsAs } from "~/accounts/authority.server";

/** Reports and exports are for planners and admins; residents and moderators are refused (403). */
export function assertReportReader(actor: Pick<User, "role"> | null): asserts actor is User {
  if (!actor || !PLANNER_ROLES.includes(actor.role)) throw forbidden();
}

/**
 * Downloads are a planner's power, and each one is written to the moderation log: the reader
 * must also be allowed to act (not suspended, decision 009). A suspended planner still reads
 * the report page.
 */
export function assertReportExporter(actor: User | null): asserts actor is User {
  assertReportReader(actor);
  assertActsAs(actor, PLANNER_ROLES);
}

export interface ReportProject {
  project: Project;
  /** "Kelurahan, Kecamatan" or the area's own name. */
  areaLabel: string;
}

/** The project a report is about, for an actor allowed to read reports; drafts included. */
export async function reportProject(db: AppDb, actor: Pick<User, "role"> | null, slug: string): Promise<ReportProject> {
  assertReportReader(actor);
  const { areas, projects } = tables(db);
  const [project] = await db.select().from(projects).where(eq(projects.slug, slug)).limit(1);
  if (!project) throw notFound();
  const [area] = await db.select({ name: areas.name, level: areas.level, parentId: areas.parentId }).from(areas).where(eq(areas.id, project.areaId)).limit(1);
  const [parent] =
    area?.level === "kelurahan" && area.parentId !== null ? await db.select({ name: areas.name }).from(areas).where(eq(areas.id, area.parentId)).limit(1) : [];
  return { project, areaLabel: parent ? `${area!.name}, ${parent.name}` : (area?.name ?? "") };
}
