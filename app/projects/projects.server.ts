import { and, count, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { forUpdate, isUniqueViolation, tables, withWriteTx, type AppDb } from "~db/engine";
import { CATEGORIES, OUTCOMES, type Outcome, type Phase, type Project, type User } from "~db/schema";
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
export async function validateProjectInput(db: AppDb, input: ProjectInput, timeZone: string): Promise<ValidProject> {
  const { areas } = tables(db);
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
  const area = areaId !== null ? (await db.select({ id: areas.id }).from(areas).where(eq(areas.id, areaId)).limit(1))[0] : undefined;
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

async function logProjectAction(
  db: AppDb,
  actor: User,
  action: LogAction,
  project: Pick<Project, "id" | "slug">,
  reason: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await logAction(db, actor, action, { type: "project", id: project.id }, reason, { slug: project.slug, ...details });
}

/** The unique index on projects.slug refused the write (SQLite names the column, PostgreSQL the index). */
function isUniqueSlugError(error: unknown) {
  if (!isUniqueViolation(error)) return false;
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { message, constraint } = e as { message?: unknown; constraint?: unknown };
    if (constraint === "projects_slug_unique") return true;
    if (typeof message === "string" && (message.includes("projects.slug") || message.includes("projects_slug_unique"))) return true;
  }
  return false;
}

/** The refusal of a slug another project has (the database's unique index says so). */
const slugTaken = () => new DomainError(400, "projects.form.slugTaken", {}, "slug");

/** A planner's new project, as a draft; a wrong form is refused (see validateProjectInput), a taken slug too. */
export async function createProject(db: AppDb, actor: User, input: ProjectInput, timeZone: string): Promise<Project> {
  assertPlanner(actor);
  const valid = await validateProjectInput(db, input, timeZone);
  try {
    return await withWriteTx(db, async (tx) => {
      const { projects } = tables(tx);
      const [project] = await tx
        .insert(projects)
        .values({ ...valid, phase: "draft", createdBy: actor.id, updatedAt: new Date() })
        .returning();
      await logProjectAction(tx, actor, "project_create", project!, null);
      return project!;
    });
  } catch (error) {
    if (isUniqueSlugError(error)) throw slugTaken();
    throw error;
  }
}

export async function updateProject(db: AppDb, actor: User, projectId: number, input: ProjectInput, timeZone: string): Promise<Project> {
  assertPlanner(actor);
  const { projects } = tables(db);
  const [current] = await db.select().from(projects).where(eq(projects.id, projectId)).limit(1);
  if (!current) throw notFound();
  const valid = await validateProjectInput(db, input, timeZone);
  try {
    return await withWriteTx(db, async (tx) => {
      const { projects } = tables(tx);
      const [project] = await tx
        .update(projects)
        .set({ ...valid, updatedAt: new Date() })
        .where(eq(projects.id, projectId))
        .returning();
      await logProjectAction(tx, actor, "project_edit", project!, null);
      return project!;
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
 * Markdown cooked now, before a transaction (rendering holds no lock), and handed over where the
 * transaction needs it: a refusal (a text nested too deeply) is thrown there, at the point the
 * cooking used to run, so the order of the checks stays the same.
 */
function cookedLater(source: string): () => string {
  try {
    const html = source ? cookMarkdown(source) : "";
    return () => html;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/**
 * Moves a project along DESIGN.md's phase table. Each move writes an official update on the
 * timeline and a moderation-log entry, and notifies the project's followers, in one transaction.
 * The project's row is locked while the move is checked and written, so two moves at once are
 * decided one after the other, the second from what the first left.
 */
export async function moveProjectPhase(db: AppDb, actor: User, projectId: number, change: PhaseChange, timeZone: string, now = new Date()): Promise<Project> {
  assertPlanner(actor, now);
  const note = change.note?.trim() ?? "";
  const body = [change.to === "decided" ? (change.reason?.trim() ?? "") : "", note, change.to === "cancelled" ? (change.reason?.trim() ?? "") : ""]
    .filter(Boolean)
    .join("\n\n");
  // A note (or a decision's reason) too long is refused in the transaction before its text is needed: not cooked.
  const refusedAnyway = note.length > BODY_MAX || (change.to === "decided" && (change.reason?.trim().length ?? 0) > BODY_MAX);
  const bodyHtml = refusedAnyway ? () => "" : cookedLater(body);
  return withWriteTx(db, async (tx) => {
    const { projects, projectUpdates } = tables(tx);
    const [project] = await forUpdate(tx.select().from(projects).where(eq(projects.id, projectId)).limit(1), "no key update");
    if (!project) throw notFound();
    if (!allowedTransitions(project).includes(change.to)) {
      throw new DomainError(409, "phaseChange.notAllowed", { from: project.phase, to: change.to }, "to");
    }
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
    const [updated] = await tx.update(projects).set(set).where(eq(projects.id, projectId)).returning();
    await tx.insert(projectUpdates).values({
      projectId,
      authorId: actor.id,
      kind: "phase_change",
      fromPhase: project.phase,
      toPhase: change.to,
      bodySource: body,
      bodyHtml: bodyHtml(),
      createdAt: now,
    });
    await logProjectAction(tx, actor, "phase_change", project, change.reason?.trim() || note || null, {
      from: project.phase,
      to: change.to,
      ...(set.outcome ? { outcome: set.outcome } : {}),
    });
    if (project.phase !== "draft") {
      await notifyFollowers(tx, projectId, "phase_change", projectPath(project.slug, "updates"), { title: project.title, phase: change.to }, actor.id);
    }
    return updated!;
  });
}

export async function postProjectUpdate(db: AppDb, actor: User, projectId: number, bodyInput: string, now = new Date()) {
  assertPlanner(actor, now);
  const body = bodyInput.trim();
  if (!body) throw new DomainError(400, "errors.required", {}, "body");
  if (body.length > BODY_MAX) throw new DomainError(400, "errors.tooLong", {}, "body");
  const bodyHtml = cookedLater(body);
  return withWriteTx(db, async (tx) => {
    const { projects, projectUpdates } = tables(tx);
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).limit(1);
    if (!project) throw notFound();
    const [update] = await tx
      .insert(projectUpdates)
      .values({ projectId, authorId: actor.id, kind: "update", bodySource: body, bodyHtml: bodyHtml(), createdAt: now })
      .returning();
    if (project.phase !== "draft") {
      await notifyFollowers(tx, projectId, "project_update", projectPath(project.slug, `update-${update!.id}`), { title: project.title }, actor.id);
    }
    return update!;
  });
}

/** The area tables under the names the project queries join them by: a project's kelurahan (or kecamatan) and its parent. */
function areaAliases(db: AppDb) {
  const { areas } = tables(db);
  return { kelurahan: alias(areas, "kelurahan"), kecamatan: alias(areas, "kecamatan") };
}

/** A project by slug as `viewer` may see it: drafts only for planners and admins. */
export async function getProjectBySlug(db: AppDb, slug: string, viewer: User | null) {
  const { projects } = tables(db);
  const { kelurahan, kecamatan } = areaAliases(db);
  const [row] = await db
    .select({ project: projects, areaName: kelurahan.name, areaLevel: kelurahan.level, parentAreaName: kecamatan.name })
    .from(projects)
    .innerJoin(kelurahan, eq(kelurahan.id, projects.areaId))
    .leftJoin(kecamatan, eq(kecamatan.id, kelurahan.parentId))
    .where(eq(projects.slug, slug))
    .limit(1);
  if (!row) return null;
  if (row.project.phase === "draft" && !(viewer && PLANNER_ROLES.includes(viewer.role))) return null;
  return row;
}

/**
 * A published project for a resident's write (a ballot, a comment, a support). Inside the write's
 * transaction its row is locked (PostgreSQL FOR NO KEY UPDATE) until the write commits, so a phase
 * move that closes the consultation waits for it, or it sees the move.
 */
export async function getProjectForWrite(db: AppDb, projectId: number): Promise<Project> {
  const { projects } = tables(db);
  const [project] = await forUpdate(db.select().from(projects).where(eq(projects.id, projectId)).limit(1), "no key update");
  if (!project || project.phase === "draft") throw notFound();
  return project;
}

export const UPDATES_PAGE_SIZE = 20;

export async function listProjectUpdates(db: AppDb, projectId: number, page = 1) {
  const { projectUpdates } = tables(db);
  const total = (await db.select({ n: count() }).from(projectUpdates).where(eq(projectUpdates.projectId, projectId)).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, UPDATES_PAGE_SIZE);
  const rows = await db
    .select()
    .from(projectUpdates)
    .where(eq(projectUpdates.projectId, projectId))
    .orderBy(desc(projectUpdates.createdAt), desc(projectUpdates.id))
    .limit(UPDATES_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

export const STAFF_PROJECTS_PAGE_SIZE = 25;

/** Planners' list: every project, drafts included, newest first. */
export async function listAllProjects(db: AppDb, page = 1) {
  const { projects } = tables(db);
  const total = (await db.select({ n: count() }).from(projects).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, page, STAFF_PROJECTS_PAGE_SIZE);
  const rows = await db
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
    .offset(offset);
  return { rows, total, page, pageCount };
}

/**
 * Following: automatic when a resident takes part, unless they turned it off before. The follow
 * row is read locked; a first follow that meets another one made at the same moment (the primary
 * key refuses the second) reads the winner's row and goes on from there, so the follower count
 * moves once.
 */
export async function followProject(db: AppDb, userId: number, projectId: number, { automatic = false } = {}): Promise<boolean> {
  return withWriteTx(db, async (tx) => {
    const { follows, projects } = tables(tx);
    const ofUser = and(eq(follows.userId, userId), eq(follows.projectId, projectId));
    const lockFollow = async () => (await forUpdate(tx.select().from(follows).where(ofUser).limit(1)))[0];
    let existing = await lockFollow();
    if (!existing) {
      const inserted = await tx.insert(follows).values({ userId, projectId, active: true }).onConflictDoNothing().returning({ userId: follows.userId });
      if (!inserted.length) existing = await lockFollow();
    }
    if (existing) {
      if (existing.active || automatic) return false;
      await tx.update(follows).set({ active: true }).where(ofUser);
    }
    await tx
      .update(projects)
      .set({ followerCount: sql`${projects.followerCount} + 1` })
      .where(eq(projects.id, projectId));
    return true;
  });
}

export async function unfollowProject(db: AppDb, userId: number, projectId: number): Promise<boolean> {
  return withWriteTx(db, async (tx) => {
    const { follows, projects } = tables(tx);
    const ofUser = and(eq(follows.userId, userId), eq(follows.projectId, projectId));
    const lockFollow = async () => (await forUpdate(tx.select().from(follows).where(ofUser).limit(1)))[0];
    let existing = await lockFollow();
    if (existing && !existing.active) return false;
    if (!existing) {
      // An explicit "off" is remembered even without an earlier follow, so automatic following respects it.
      const inserted = await tx.insert(follows).values({ userId, projectId, active: false }).onConflictDoNothing().returning({ userId: follows.userId });
      if (inserted.length) return true;
      // A follow made at the same moment got there first: turn that one off.
      existing = await lockFollow();
      if (!existing?.active) return false;
    }
    await tx.update(follows).set({ active: false }).where(ofUser);
    await tx
      .update(projects)
      .set({ followerCount: sql`${projects.followerCount} - 1` })
      .where(eq(projects.id, projectId));
    return true;
  });
}

export async function isFollowing(db: AppDb, userId: number, projectId: number): Promise<boolean> {
  const { follows } = tables(db);
  const [row] = await db
    .select({ active: follows.active })
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId), eq(follows.active, true)))
    .limit(1);
  return Boolean(row);
}
