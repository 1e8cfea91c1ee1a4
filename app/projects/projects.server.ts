import { and, count, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { areas, follows, projectUpdates, projects, CATEGORIES, OUTCOMES, type Outcome, type Phase, type Project, type User } from "~db/schema";
import type { LogAction } from "~db/schema/values";
import { DomainError, notFound } from "~/domain-error";
import { cookMarkdown, MARKDOWN_MAX } from "~/content/markdown.server";
import { assertActsAs } from "~/accounts/authority.server";
import { outsideCityYears, parseCityDateTime } from "~/i18n/city-time";
import { parseId } from "~/ids";
import { notifyFollowers } from "~/notifications/notifications.server";
import { PLANNER_ROLES } from "~/accounts/roles";
import { logAction } from "~/audit/log.server";
import { projectPath } from "~/content/links";
import { paginate } from "~/paginate";

export const TITLE_MAX = 150;
export const SUMMARY_MAX = 300;
export const BODY_MAX = MARKDOWN_MAX;
export const SLUG_MAX = 80;
/** A trillion rupiah: far above any single city work, low enough to catch a slip of the keyboard. */
export const BUDGET_MAX = 1_000_000_000_000_000;

/** DESIGN.md's phase table: where each phase may move. */
export const PHASE_TRANSITIONS: Record<Phase, readonly Phase[]> = {
  draft: ["consultation", "cancelled"],
  consultation: ["review", "cancelled"],
  review: ["consultation", "decided", "cancelled"],
  decided: ["in_progress", "consultation", "cancelled"],
  in_progress: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

export function allowedTransitions(project: Pick<Project, "phase" | "outcome">): Phase[] {
  return PHASE_TRANSITIONS[project.phase].filter((to) => {
    if (project.phase !== "decided") return true;
    if (to === "in_progress") return project.outcome === "approved";
    if (to === "consultation") return project.outcome === "deferred";
    return true;
  });
}

/** Open: in the consultation phase and inside its window. Only then may residents take part. */
export function isConsultationOpen(project: Pick<Project, "phase" | "consultationOpensAt" | "consultationClosesAt">, now = new Date()) {
  return (
    project.phase === "consultation" &&
    (!project.consultationOpensAt || project.consultationOpensAt.getTime() <= now.getTime()) &&
    Boolean(project.consultationClosesAt) &&
    project.consultationClosesAt!.getTime() > now.getTime()
  );
}

export function assertConsultationOpen(project: Project, now = new Date()) {
  if (project.phase === "draft") throw notFound();
  if (!isConsultationOpen(project, now)) {
    if (project.phase === "consultation" && project.consultationOpensAt && project.consultationOpensAt > now) {
      throw new DomainError(403, "participation.notYetOpen");
    }
    throw new DomainError(403, "participation.closed");
  }
}

export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
}

function rupiah(value: string): number | null {
  let amount = value
    .replace(/^\s*Rp\.?\s*/i, "")
    .trim()
    .replace(/,-$/, "");
  // "1.250.000,00" (id) or "1,250,000.00" (en): rupiah have no cents, so only a zero decimal part
  // is accepted, and it must not be read as two more digits (a hundred times the amount).
  const cents = /[.,](\d{1,2})$/.exec(amount);
  if (cents) {
    if (!/^0+$/.test(cents[1]!)) return null;
    amount = amount.slice(0, cents.index);
  }
  const digits = amount.replace(/[.\s,]/g, "");
  if (!/^\d{1,16}$/.test(digits)) return null;
  return Number(digits);
}

function coordinate(value: string | undefined, limit: number): number | null | "invalid" {
  if (!value?.trim()) return null;
  const n = Number(value.trim().replace(",", "."));
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : "invalid";
}

export interface ProjectInput {
  title: string;
  slug?: string;
  summary: string;
  body: string;
  category: string;
  areaId: string;
  budget: string;
  lat?: string;
  lng?: string;
  opensAt?: string;
  closesAt?: string;
}

const textField = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");

export interface ValidProject {
  title: string;
  slug: string;
  summary: string;
  bodySource: string;
  bodyHtml: string;
  category: (typeof CATEGORIES)[number];
  areaId: number;
  budgetRupiah: number;
  lat: number | null;
  lng: number | null;
  consultationOpensAt: Date | null;
  consultationClosesAt: Date | null;
}

/** The message for a date-time the form could not read. */
function dateRefusal(value: string) {
  return outsideCityYears(value) ? "projects.form.dateOutOfRange" : "projects.form.dateInvalid";
}

/** Checks a planner's project form as a whole: the project's values, or one 400 DomainError naming every wrong field. */
export function validateProjectInput(db: Db, input: ProjectInput, timeZone: string): ValidProject {
  const errors: Record<string, string> = {};
  const check = (field: string, schema: z.ZodType<string>, value: string | undefined) => {
    const r = schema.safeParse(value ?? "");
    if (!r.success) errors[field] = r.error.issues[0]!.message;
    return r.success ? r.data : "";
  };
  const title = check("title", textField(TITLE_MAX), input.title);
  const summary = check("summary", textField(SUMMARY_MAX), input.summary);
  const body = check("body", textField(BODY_MAX), input.body);
  const slug = slugify(input.slug?.trim() ? input.slug : title);
  if (input.slug?.trim() && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug.trim())) errors.slug = "projects.form.slugInvalid";
  else if (!slug || slug.length < 3) errors.slug = "projects.form.slugInvalid";
  if (!CATEGORIES.includes(input.category as ValidProject["category"])) errors.category = "errors.required";
  const areaId = parseId(input.areaId);
  const area = areaId !== null ? db.select({ id: areas.id }).from(areas).where(eq(areas.id, areaId)).get() : undefined;
  if (!area) errors.areaId = "errors.areaUnknown";
  const budget = rupiah(input.budget ?? "");
  if (budget === null || budget > BUDGET_MAX) errors.budget = "projects.form.budgetInvalid";
  const lat = coordinate(input.lat, 90);
  const lng = coordinate(input.lng, 180);
  if (lat === "invalid") errors.lat = "projects.form.coordinateInvalid";
  if (lng === "invalid") errors.lng = "projects.form.coordinateInvalid";
  if ((lat === null) !== (lng === null) && lat !== "invalid" && lng !== "invalid") errors[lat === null ? "lat" : "lng"] = "projects.form.coordinatePair";
  const opens = input.opensAt?.trim() ? parseCityDateTime(input.opensAt, timeZone) : null;
  const closes = input.closesAt?.trim() ? parseCityDateTime(input.closesAt, timeZone) : null;
  if (input.opensAt?.trim() && !opens) errors.opensAt = dateRefusal(input.opensAt);
  if (input.closesAt?.trim() && !closes) errors.closesAt = dateRefusal(input.closesAt);
  if (opens && closes && opens >= closes) errors.closesAt = "projects.form.closesBeforeOpens";
  if (Object.keys(errors).length)
    throw DomainError.fields(
      400,
      Object.entries(errors).map(([field, key]) => ({ field, key })),
    );
  return {
    title,
    slug,
    summary,
    bodySource: body,
    bodyHtml: cookMarkdown(body),
    category: input.category as ValidProject["category"],
    areaId: areaId!,
    budgetRupiah: budget!,
    lat: lat as number | null,
    lng: lng as number | null,
    consultationOpensAt: opens,
    consultationClosesAt: closes,
  };
}

export function assertPlanner(actor: User, now = new Date()) {
  assertActsAs(actor, PLANNER_ROLES, now);
}

function logProjectAction(
  db: Db,
  actor: User,
  action: LogAction,
  project: Pick<Project, "id" | "slug">,
  reason: string | null,
  details: Record<string, unknown> = {},
) {
  logAction(db, actor, action, { type: "project", id: project.id }, reason, { slug: project.slug, ...details });
}

function isUniqueSlugError(error: unknown) {
  return error instanceof Error && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" && error.message.includes("projects.slug");
}

/** The refusal of a slug another project has (the database's unique index says so). */
const slugTaken = () => new DomainError(400, "projects.form.slugTaken", {}, "slug");

/** A planner's new project, as a draft; a wrong form is refused (see validateProjectInput), a taken slug too. */
export function createProject(db: Db, actor: User, input: ProjectInput, timeZone: string): Project {
  assertPlanner(actor);
  const valid = validateProjectInput(db, input, timeZone);
  try {
    return immediate(db, () => {
      const project = db
        .insert(projects)
        .values({ ...valid, phase: "draft", createdBy: actor.id, updatedAt: new Date() })
        .returning()
        .get();
      logProjectAction(db, actor, "project_create", project, null);
      return project;
    });
  } catch (error) {
    if (isUniqueSlugError(error)) throw slugTaken();
    throw error;
  }
}

export function updateProject(db: Db, actor: User, projectId: number, input: ProjectInput, timeZone: string): Project {
  assertPlanner(actor);
  const current = db.select().from(projects).where(eq(projects.id, projectId)).get();
  if (!current) throw notFound();
  const valid = validateProjectInput(db, input, timeZone);
  try {
    return immediate(db, () => {
      const project = db
        .update(projects)
        .set({ ...valid, updatedAt: new Date() })
        .where(eq(projects.id, projectId))
        .returning()
        .get();
      logProjectAction(db, actor, "project_edit", project, null);
      return project;
    });
  } catch (error) {
    if (isUniqueSlugError(error)) throw slugTaken();
    throw error;
  }
}

export interface PhaseChange {
  to: Phase;
  outcome?: string | null;
  reason?: string | null;
  /** City wall-clock time "YYYY-MM-DDTHH:mm" for a consultation's (new) closing time. */
  closesAt?: string | null;
  opensAt?: string | null;
  note?: string | null;
}

/**
 * Moves a project along DESIGN.md's phase table. Each move writes an official update on the
 * timeline and a moderation-log entry, and notifies the project's followers, in one transaction.
 */
export function moveProjectPhase(db: Db, actor: User, projectId: number, change: PhaseChange, timeZone: string, now = new Date()) {
  assertPlanner(actor, now);
  return immediate(db, () => {
    const project = db.select().from(projects).where(eq(projects.id, projectId)).get();
    if (!project) throw notFound();
    if (!allowedTransitions(project).includes(change.to)) {
      throw new DomainError(409, "phaseChange.notAllowed", { from: project.phase, to: change.to }, "to");
    }
    const note = change.note?.trim() ?? "";
    if (note.length > BODY_MAX) throw new DomainError(400, "errors.tooLong", {}, "note");
    const set: Partial<typeof projects.$inferInsert> = { phase: change.to, updatedAt: now };
    if (change.to === "consultation") {
      const closes = change.closesAt?.trim() ? parseCityDateTime(change.closesAt, timeZone) : project.phase === "draft" ? project.consultationClosesAt : null;
      const opensInput = change.opensAt?.trim() ? parseCityDateTime(change.opensAt, timeZone) : undefined;
      if (change.closesAt?.trim() && !closes) throw new DomainError(400, dateRefusal(change.closesAt), {}, "closesAt");
      if (change.opensAt?.trim() && !opensInput) throw new DomainError(400, dateRefusal(change.opensAt), {}, "opensAt");
      if (!closes) throw new DomainError(400, project.phase === "draft" ? "phaseChange.needsClosing" : "phaseChange.needsNewClosing", {}, "closesAt");
      if (closes.getTime() <= now.getTime()) throw new DomainError(400, "phaseChange.closingInPast", {}, "closesAt");
      const opens = opensInput ?? (project.phase === "draft" && project.consultationOpensAt ? project.consultationOpensAt : now);
      if (opens >= closes) throw new DomainError(400, "projects.form.closesBeforeOpens", {}, "closesAt");
      set.consultationOpensAt = opens;
      set.consultationClosesAt = closes;
      set.outcome = null;
      set.outcomeReason = null;
      if (!project.publishedAt) set.publishedAt = now;
    }
    if (change.to === "review" && project.consultationClosesAt && project.consultationClosesAt > now) {
      // Closing early: the window ends now, so no ballot or comment lands after the move.
      set.consultationClosesAt = now;
    }
    if (change.to === "decided") {
      if (!OUTCOMES.includes(change.outcome as Outcome)) throw new DomainError(400, "phaseChange.needsOutcome", {}, "outcome");
      const reason = change.reason?.trim() ?? "";
      if (!reason) throw new DomainError(400, "phaseChange.needsReason", {}, "reason");
      if (reason.length > BODY_MAX) throw new DomainError(400, "errors.tooLong", {}, "reason");
      set.outcome = change.outcome as Outcome;
      set.outcomeReason = reason;
    }
    if (change.to === "cancelled" && !note && !change.reason?.trim()) throw new DomainError(400, "phaseChange.needsReason", {}, "reason");
    const updated = db.update(projects).set(set).where(eq(projects.id, projectId)).returning().get();
    const body = [change.to === "decided" ? change.reason!.trim() : "", note, change.to === "cancelled" ? (change.reason?.trim() ?? "") : ""]
      .filter(Boolean)
      .join("\n\n");
    db.insert(projectUpdates)
      .values({
        projectId,
        authorId: actor.id,
        kind: "phase_change",
        fromPhase: project.phase,
        toPhase: change.to,
        bodySource: body,
        bodyHtml: body ? cookMarkdown(body) : "",
        createdAt: now,
      })
      .run();
    logProjectAction(db, actor, "phase_change", project, change.reason?.trim() || note || null, {
      from: project.phase,
      to: change.to,
      ...(set.outcome ? { outcome: set.outcome } : {}),
    });
    if (project.phase !== "draft") {
      notifyFollowers(db, projectId, "phase_change", projectPath(project.slug, "updates"), { title: project.title, phase: change.to }, actor.id);
    }
    return updated;
  });
}

export function postProjectUpdate(db: Db, actor: User, projectId: number, bodyInput: string, now = new Date()) {
  assertPlanner(actor, now);
  const body = bodyInput.trim();
  if (!body) throw new DomainError(400, "errors.required", {}, "body");
  if (body.length > BODY_MAX) throw new DomainError(400, "errors.tooLong", {}, "body");
  return immediate(db, () => {
    const project = db.select().from(projects).where(eq(projects.id, projectId)).get();
    if (!project) throw notFound();
    const update = db
      .insert(projectUpdates)
      .values({ projectId, authorId: actor.id, kind: "update", bodySource: body, bodyHtml: cookMarkdown(body), createdAt: now })
      .returning()
      .get();
    if (project.phase !== "draft") {
      notifyFollowers(db, projectId, "project_update", projectPath(project.slug, `update-${update.id}`), { title: project.title }, actor.id);
    }
    return update;
  });
}

const kelurahan = alias(areas, "kelurahan");
const kecamatan = alias(areas, "kecamatan");

/** A project by slug as `viewer` may see it: drafts only for planners and admins. */
export function getProjectBySlug(db: Db, slug: string, viewer: User | null) {
  const row = db
    .select({ project: projects, areaName: kelurahan.name, areaLevel: kelurahan.level, parentAreaName: kecamatan.name })
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId))
    .where(eq(projects.slug, slug))
    .get();
  if (!row) return null;
  if (row.project.phase === "draft" && !(viewer && PLANNER_ROLES.includes(viewer.role))) return null;
  return row;
}

export function getProjectForWrite(db: Db, projectId: number): Project {
  const project = db.select().from(projects).where(eq(projects.id, projectId)).get();
  if (!project || project.phase === "draft") throw notFound();
  return project;
}

export const UPDATES_PAGE_SIZE = 20;

export function listProjectUpdates(db: Db, projectId: number, page = 1) {
  const total = db.select({ n: count() }).from(projectUpdates).where(eq(projectUpdates.projectId, projectId)).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, UPDATES_PAGE_SIZE);
  const rows = db
    .select()
    .from(projectUpdates)
    .where(eq(projectUpdates.projectId, projectId))
    .orderBy(desc(projectUpdates.createdAt), desc(projectUpdates.id))
    .limit(UPDATES_PAGE_SIZE)
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

export const STAFF_PROJECTS_PAGE_SIZE = 25;

/** Planners' list: every project, drafts included, newest first. */
export function listAllProjects(db: Db, page = 1) {
  const total = db.select({ n: count() }).from(projects).get()?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, STAFF_PROJECTS_PAGE_SIZE);
  const rows = db
    .select({
      id: projects.id,
      slug: projects.slug,
      title: projects.title,
      phase: projects.phase,
      consultationClosesAt: projects.consultationClosesAt,
      commentCount: projects.commentCount,
      proposalCount: projects.proposalCount,
      threadCount: projects.threadCount,
      followerCount: projects.followerCount,
      votes: sql<number>`${projects.votesSupport} + ${projects.votesOppose} + ${projects.votesAbstain}`,
      updatedAt: projects.updatedAt,
      createdAt: projects.createdAt,
    })
    .from(projects)
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(STAFF_PROJECTS_PAGE_SIZE)
    .offset(offset)
    .all();
  return { rows, total, page, pageCount };
}

/** Following: automatic when a resident takes part, unless they turned it off before. */
export function followProject(db: Db, userId: number, projectId: number, { automatic = false } = {}) {
  return immediate(db, () => {
    const existing = db
      .select()
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)))
      .get();
    if (existing) {
      if (existing.active || automatic) return false;
      db.update(follows)
        .set({ active: true })
        .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)))
        .run();
    } else {
      db.insert(follows).values({ userId, projectId, active: true }).run();
    }
    db.update(projects)
      .set({ followerCount: sql`${projects.followerCount} + 1` })
      .where(eq(projects.id, projectId))
      .run();
    return true;
  });
}

export function unfollowProject(db: Db, userId: number, projectId: number) {
  return immediate(db, () => {
    const existing = db
      .select()
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)))
      .get();
    if (existing && !existing.active) return false;
    if (existing)
      db.update(follows)
        .set({ active: false })
        .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId)))
        .run();
    // An explicit "off" is remembered even without an earlier follow, so automatic following respects it.
    else db.insert(follows).values({ userId, projectId, active: false }).run();
    if (existing)
      db.update(projects)
        .set({ followerCount: sql`${projects.followerCount} - 1` })
        .where(eq(projects.id, projectId))
        .run();
    return true;
  });
}

export function isFollowing(db: Db, userId: number, projectId: number) {
  return Boolean(
    db
      .select({ active: follows.active })
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId), eq(follows.active, true)))
      .get(),
  );
}
