import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { follows, moderationLog, notifications, projectUpdates, projects, PHASES, type Outcome, type Phase, type User } from "~db/schema";
import {
  allowedTransitions,
  createProject,
  followProject,
  getProjectBySlug,
  isConsultationOpen,
  isFollowing,
  moveProjectPhase,
  postProjectUpdate,
  unfollowProject,
  updateProject,
  type ProjectInput,
} from "~/projects/projects.server";
import { cityFigures, listPublicProjects } from "~/projects/queries.server";
import { toCityDateTimeInput } from "~/i18n/city-time";
import { freshDatabase } from "./support/db";
import { makeAreas, makeProject, makeUser } from "./support/factories";
import { daysAgo, daysFromNow, expectDomainError, refusal } from "./support/domain-errors";

const TZ = "Asia/Jakarta";
const cityTime = (date: Date) => toCityDateTimeInput(date, TZ);

let db: AppDb;
let planner: User;
let admin: User;
let moderator: User;
let resident: User;
let areaId: number;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  planner = await makeUser(db, { role: "planner" });
  admin = await makeUser(db, { role: "admin" });
  moderator = await makeUser(db, { role: "moderator" });
  resident = await makeUser(db);
  areaId = (await makeAreas(db)).kelurahan.id;
});

let slugCounter = 0;
function input(overrides: Partial<ProjectInput> = {}): ProjectInput {
  slugCounter++;
  return {
    title: `Pelebaran Jalan Melati ${slugCounter}`,
    slug: `pelebaran-jalan-melati-${slugCounter}`,
    summary: "Jalan dilebarkan menjadi dua lajur.",
    body: "Rencana **pelebaran** jalan sepanjang 800 meter.",
    category: "roads",
    areaId: String(areaId),
    budget: "1250000000",
    ...overrides,
  };
}

const projectRow = async (id: number) => (await db.select().from(projects).where(eq(projects.id, id)).limit(1))[0]!;
const updatesOf = async (id: number) => await db.select().from(projectUpdates).where(eq(projectUpdates.projectId, id)).orderBy(projectUpdates.id);
const phaseLogOf = async (id: number) =>
  await db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, "project"), eq(moderationLog.targetId, String(id)), eq(moderationLog.action, "phase_change")))
    .orderBy(moderationLog.id);
const notificationsOf = async (userId: number, projectId: number) =>
  await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.projectId, projectId)))
    .orderBy(notifications.id);
const projectCount = async () => (await db.select({ n: count() }).from(projects).limit(1))[0]!.n;

/** A change carrying everything any target could need, so only the phase table decides. */
const completeChange = (to: Phase) => ({
  to,
  outcome: "approved",
  reason: "Hasil konsultasi sudah ditimbang.",
  closesAt: cityTime(daysFromNow(14)),
  note: "Catatan perencana.",
});

/** A project sitting in `phase` as it would after a real life so far. */
async function projectIn(phase: Phase, outcome: Outcome | null = null) {
  const past = { consultationOpensAt: daysAgo(30), consultationClosesAt: daysAgo(10) };
  const window = phase === "draft" || phase === "consultation" ? {} : past;
  return await makeProject(db, { phase, outcome, outcomeReason: outcome ? "Alasan." : null, ...window });
}

// Written out from DESIGN.md's phase table, independently of PHASE_TRANSITIONS.
const PHASE_TABLE: { label: string; phase: Phase; outcome: Outcome | null; allowed: Phase[] }[] = [
  { label: "draft", phase: "draft", outcome: null, allowed: ["consultation", "cancelled"] },
  { label: "consultation", phase: "consultation", outcome: null, allowed: ["review", "cancelled"] },
  { label: "review", phase: "review", outcome: null, allowed: ["consultation", "decided", "cancelled"] },
  { label: "decided (approved)", phase: "decided", outcome: "approved", allowed: ["in_progress", "cancelled"] },
  { label: "decided (rejected)", phase: "decided", outcome: "rejected", allowed: ["cancelled"] },
  { label: "decided (deferred)", phase: "decided", outcome: "deferred", allowed: ["consultation", "cancelled"] },
  { label: "in_progress", phase: "in_progress", outcome: null, allowed: ["completed", "cancelled"] },
  { label: "completed", phase: "completed", outcome: null, allowed: [] },
  { label: "cancelled", phase: "cancelled", outcome: null, allowed: [] },
];

describe("the phase table", () => {
  it.each(PHASE_TABLE)("from $label a project may move to exactly $allowed", async ({ phase, outcome, allowed }) => {
    expect(allowedTransitions({ phase, outcome }).sort()).toEqual([...allowed].sort());
    for (const to of PHASES) {
      const project = await projectIn(phase, outcome);
      const before = await projectRow(project.id);
      if (allowed.includes(to)) {
        const moved = await moveProjectPhase(db, planner, project.id, completeChange(to), TZ);
        expect(moved.phase, `${phase} → ${to}`).toBe(to);
        expect((await projectRow(project.id)).phase).toBe(to);
        const updates = await updatesOf(project.id);
        expect(updates.map((u) => ({ kind: u.kind, from: u.fromPhase, to: u.toPhase, author: u.authorId }))).toEqual([
          { kind: "phase_change", from: phase, to, author: planner.id },
        ]);
        const log = await phaseLogOf(project.id);
        expect(log).toHaveLength(1);
        expect(log[0]!.actorId).toBe(planner.id);
        expect(log[0]!.details).toMatchObject({ from: phase, to });
      } else {
        const error = await expectDomainError(() => moveProjectPhase(db, planner, project.id, completeChange(to), TZ), 409, "phaseChange.notAllowed");
        expect(error.params).toEqual({ from: phase, to });
        expect(await projectRow(project.id), `${phase} → ${to} changed the project`).toEqual(before);
        expect(await updatesOf(project.id)).toEqual([]);
        expect(await phaseLogOf(project.id)).toEqual([]);
      }
    }
  });

  it("refuses to move a project that does not exist (404)", async () => {
    await expectDomainError(() => moveProjectPhase(db, planner, 987654, completeChange("review"), TZ), 404, "errors.notFound");
  });
});

describe("deciding", () => {
  it("needs an outcome from the list", async () => {
    const project = await projectIn("review");
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "decided", reason: "Alasan." }, TZ), 400, "phaseChange.needsOutcome");
    await expectDomainError(
      () => moveProjectPhase(db, planner, project.id, { to: "decided", outcome: "maybe", reason: "Alasan." }, TZ),
      400,
      "phaseChange.needsOutcome",
    );
    expect((await projectRow(project.id)).phase).toBe("review");
    expect(await updatesOf(project.id)).toEqual([]);
  });

  it("needs a reason that is more than whitespace", async () => {
    const project = await projectIn("review");
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "decided", outcome: "approved" }, TZ), 400, "phaseChange.needsReason");
    await expectDomainError(
      () => moveProjectPhase(db, planner, project.id, { to: "decided", outcome: "approved", reason: "   " }, TZ),
      400,
      "phaseChange.needsReason",
    );
    expect(await projectRow(project.id)).toMatchObject({ phase: "review", outcome: null });
    expect(await phaseLogOf(project.id)).toEqual([]);
  });

  it("stores the outcome and its reason, and the reason is the update's text", async () => {
    const project = await projectIn("review");
    await moveProjectPhase(db, planner, project.id, { to: "decided", outcome: "rejected", reason: "Anggaran tidak cukup." }, TZ);
    expect(await projectRow(project.id)).toMatchObject({ phase: "decided", outcome: "rejected", outcomeReason: "Anggaran tidak cukup." });
    expect((await updatesOf(project.id))[0]!.bodySource).toContain("Anggaran tidak cukup.");
    expect((await phaseLogOf(project.id))[0]!.details).toMatchObject({ outcome: "rejected" });
  });
});

describe("building", () => {
  it("starts (in_progress) only after an approved decision", async () => {
    for (const outcome of ["rejected", "deferred"] as const) {
      const project = await projectIn("decided", outcome);
      await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "in_progress" }, TZ), 409, "phaseChange.notAllowed");
      expect((await projectRow(project.id)).phase).toBe("decided");
    }
    for (const phase of ["draft", "consultation", "review"] as const) {
      const project = await projectIn(phase);
      await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "in_progress" }, TZ), 409, "phaseChange.notAllowed");
    }
    const approved = await projectIn("decided", "approved");
    expect((await moveProjectPhase(db, planner, approved.id, { to: "in_progress" }, TZ)).phase).toBe("in_progress");
  });
});

describe("reopening the consultation", () => {
  it.each([
    ["review", null],
    ["a deferred decision", "deferred"],
  ] as const)("from %s needs a new closing time", async (_label, outcome) => {
    const project = await projectIn(outcome ? "decided" : "review", outcome);
    const before = await projectRow(project.id);
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "consultation" }, TZ), 400, "phaseChange.needsNewClosing");
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "consultation", closesAt: "  " }, TZ), 400, "phaseChange.needsNewClosing");
    expect(await projectRow(project.id)).toEqual(before);
    expect(await updatesOf(project.id)).toEqual([]);
  });

  it.each([
    ["review", null],
    ["a deferred decision", "deferred"],
  ] as const)("from %s refuses a closing time in the past or a malformed one", async (_label, outcome) => {
    const project = await projectIn(outcome ? "decided" : "review", outcome);
    const before = await projectRow(project.id);
    await expectDomainError(
      () => moveProjectPhase(db, planner, project.id, { to: "consultation", closesAt: cityTime(daysAgo(1)) }, TZ),
      400,
      "phaseChange.closingInPast",
    );
    await expectDomainError(
      () => moveProjectPhase(db, planner, project.id, { to: "consultation", closesAt: "besok pagi" }, TZ),
      400,
      "projects.form.dateInvalid",
    );
    expect(await projectRow(project.id)).toEqual(before);
    expect(await phaseLogOf(project.id)).toEqual([]);
  });

  it.each([
    ["review", null],
    ["a deferred decision", "deferred"],
  ] as const)("from %s opens it again now until the new closing time", async (_label, outcome) => {
    const project = await projectIn(outcome ? "decided" : "review", outcome);
    const now = new Date();
    const closes = cityTime(daysFromNow(10, now));
    const moved = await moveProjectPhase(db, planner, project.id, { to: "consultation", closesAt: closes }, TZ, now);
    expect(moved.phase).toBe("consultation");
    expect(cityTime(moved.consultationClosesAt!)).toBe(closes);
    expect(moved.consultationOpensAt!.getTime()).toBe(now.getTime());
    expect(moved.outcome).toBeNull();
    expect(isConsultationOpen(moved, new Date(now.getTime() + 1000))).toBe(true);
  });

  it("is refused after a rejected or approved decision, whatever the closing time", async () => {
    for (const outcome of ["rejected", "approved"] as const) {
      const project = await projectIn("decided", outcome);
      await expectDomainError(
        () => moveProjectPhase(db, planner, project.id, { to: "consultation", closesAt: cityTime(daysFromNow(10)) }, TZ),
        409,
        "phaseChange.notAllowed",
      );
    }
  });

  it("closing a consultation early ends its window at the moment of the move", async () => {
    const project = await projectIn("consultation");
    const now = new Date();
    const moved = await moveProjectPhase(db, planner, project.id, { to: "review" }, TZ, now);
    expect(moved.consultationClosesAt!.getTime()).toBe(now.getTime());
  });
});

describe("each phase change", () => {
  it("writes a phase_change update and a log entry, and notifies active followers except the actor", async () => {
    const follower = await makeUser(db);
    const quitter = await makeUser(db);
    const bystander = await makeUser(db);
    const { id } = await createProject(db, planner, input(), TZ);
    await moveProjectPhase(db, planner, id, { to: "consultation", closesAt: cityTime(daysFromNow(20)) }, TZ);
    await followProject(db, follower.id, id);
    await followProject(db, quitter.id, id);
    await followProject(db, planner.id, id);
    await unfollowProject(db, quitter.id, id);

    const steps: { change: Parameters<typeof moveProjectPhase>[3]; from: Phase }[] = [
      { change: { to: "review" }, from: "consultation" },
      { change: { to: "decided", outcome: "deferred", reason: "Perlu kajian banjir." }, from: "review" },
      { change: { to: "consultation", closesAt: cityTime(daysFromNow(5)) }, from: "decided" },
      { change: { to: "review" }, from: "consultation" },
      { change: { to: "decided", outcome: "approved", reason: "Didukung warga." }, from: "review" },
      { change: { to: "in_progress" }, from: "decided" },
      { change: { to: "completed", note: "Selesai dibangun." }, from: "in_progress" },
    ];
    for (const [i, { change, from }] of steps.entries()) {
      await moveProjectPhase(db, planner, id, change, TZ);
      // +1 for the draft → consultation move made before the loop.
      const updates = await updatesOf(id);
      expect(updates).toHaveLength(i + 2);
      expect(updates.at(-1)).toMatchObject({ kind: "phase_change", fromPhase: from, toPhase: change.to, authorId: planner.id });
      const log = await phaseLogOf(id);
      expect(log).toHaveLength(i + 2);
      expect(log.at(-1)!.details).toMatchObject({ from, to: change.to });
      const received = await notificationsOf(follower.id, id);
      expect(received).toHaveLength(i + 1);
      expect(received.at(-1)).toMatchObject({ kind: "phase_change", params: { phase: change.to } });
      expect(await notificationsOf(quitter.id, id)).toEqual([]);
      expect(await notificationsOf(bystander.id, id)).toEqual([]);
      expect(await notificationsOf(planner.id, id)).toEqual([]);
    }
    expect((await projectRow(id)).phase).toBe("completed");
  });

  it("cancelling needs a reason", async () => {
    const project = await projectIn("consultation");
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "cancelled" }, TZ), 400, "phaseChange.needsReason");
    expect((await projectRow(project.id)).phase).toBe("consultation");
    await moveProjectPhase(db, planner, project.id, { to: "cancelled", reason: "Lahan tidak tersedia." }, TZ);
    expect((await projectRow(project.id)).phase).toBe("cancelled");
    expect((await phaseLogOf(project.id))[0]!.reason).toBe("Lahan tidak tersedia.");
  });

  it("opening a draft without any closing time is refused", async () => {
    const project = await makeProject(db, { phase: "draft", consultationOpensAt: null, consultationClosesAt: null });
    await expectDomainError(() => moveProjectPhase(db, planner, project.id, { to: "consultation" }, TZ), 400, "phaseChange.needsClosing");
    expect((await projectRow(project.id)).phase).toBe("draft");
  });
});

describe("who may manage projects", () => {
  it.each(["resident", "moderator"] as const)("a %s cannot create, edit, move or post updates (403) and nothing changes", async (role) => {
    const actor = role === "resident" ? resident : moderator;
    const project = await projectIn("consultation");
    const before = await projectRow(project.id);
    const projectsBefore = await projectCount();
    await expectDomainError(() => createProject(db, actor, input(), TZ), 403, "errors.forbidden");
    await expectDomainError(() => updateProject(db, actor, project.id, input({ title: "Diubah" }), TZ), 403, "errors.forbidden");
    await expectDomainError(() => moveProjectPhase(db, actor, project.id, { to: "review" }, TZ), 403, "errors.forbidden");
    await expectDomainError(() => postProjectUpdate(db, actor, project.id, "Kabar terbaru"), 403, "errors.forbidden");
    expect(await projectCount()).toBe(projectsBefore);
    expect(await projectRow(project.id)).toEqual(before);
    expect(await updatesOf(project.id)).toEqual([]);
  });

  it("a planner and an admin can create, edit and move, and each action is logged", async () => {
    for (const actor of [planner, admin]) {
      const created = await createProject(db, actor, input(), TZ);
      expect(created).toMatchObject({ phase: "draft", createdBy: actor.id });
      const edited = await updateProject(db, actor, created.id, input({ title: "Judul yang diperbaiki", slug: created.slug }), TZ);
      expect(edited.title).toBe("Judul yang diperbaiki");
      await moveProjectPhase(db, actor, created.id, { to: "consultation", closesAt: cityTime(daysFromNow(3)) }, TZ);
      const actions = await db
        .select({ action: moderationLog.action, actorId: moderationLog.actorId })
        .from(moderationLog)
        .where(and(eq(moderationLog.targetType, "project"), eq(moderationLog.targetId, String(created.id))))
        .orderBy(moderationLog.id);
      expect(actions).toEqual([
        { action: "project_create", actorId: actor.id },
        { action: "project_edit", actorId: actor.id },
        { action: "phase_change", actorId: actor.id },
      ]);
    }
  });

  it("an official update notifies followers but not its author", async () => {
    const follower = await makeUser(db);
    const project = await projectIn("consultation");
    await followProject(db, follower.id, project.id);
    await followProject(db, planner.id, project.id);
    const update = await postProjectUpdate(db, planner, project.id, "Survei lapangan **selesai**.");
    expect(update).toMatchObject({ kind: "update", bodyHtml: "<p>Survei lapangan <strong>selesai</strong>.</p>" });
    expect((await notificationsOf(follower.id, project.id)).map((n) => n.kind)).toEqual(["project_update"]);
    expect(await notificationsOf(planner.id, project.id)).toEqual([]);
    await expectDomainError(() => postProjectUpdate(db, planner, project.id, "   "), 400, "errors.required");
  });
});

describe("creating a project validates its fields", () => {
  const refused = async (overrides: Partial<ProjectInput>) => {
    const before = await projectCount();
    const result = await refusal(() => createProject(db, planner, input(overrides), TZ));
    expect(await projectCount()).toBe(before);
    expect(result.status).toBe(400);
    return result.errors;
  };

  it("refuses an empty title", async () => {
    expect((await refused({ title: "   " })).title).toBe("errors.required");
  });

  it("accepts a 150-character title and refuses 151", async () => {
    expect((await refused({ title: "a".repeat(151) })).title).toBe("errors.tooLong");
    expect((await createProject(db, planner, input({ title: "a".repeat(150) }), TZ)).title).toBe("a".repeat(150));
  });

  it("refuses a body over 10,000 characters", async () => {
    expect((await refused({ body: "b".repeat(10_001) })).body).toBe("errors.tooLong");
    expect((await createProject(db, planner, input({ body: "b".repeat(10_000) }), TZ)).bodySource).toBe("b".repeat(10_000));
  });

  it.each(["Bukan Slug!", "ada spasi", "-awal", "akhir-", "dua--strip", "ab", "ümlaut"])("refuses the slug %j", async (slug) => {
    expect((await refused({ slug })).slug).toBe("projects.form.slugInvalid");
  });

  it("derives the slug from the title when none is given", async () => {
    const created = await createProject(db, planner, input({ slug: "", title: "Taman Kota Kafé Ceria" }), TZ);
    expect(created.slug).toBe("taman-kota-kafe-ceria");
  });

  it("refuses a slug already taken, as slugTaken, on create and on edit", async () => {
    const first = await createProject(db, planner, input({ slug: "jembatan-gantung" }), TZ);
    expect(first.slug).toBe("jembatan-gantung");
    expect(await refused({ slug: "jembatan-gantung" })).toEqual({ slug: "projects.form.slugTaken" });
    const other = await createProject(db, planner, input(), TZ);
    const edit = await refusal(() => updateProject(db, planner, other.id, input({ slug: "jembatan-gantung" }), TZ));
    expect(edit).toEqual({ status: 400, errors: { slug: "projects.form.slugTaken" }, params: {} });
    expect((await projectRow(other.id)).slug).toBe(other.slug);
  });

  it("refuses an unknown area", async () => {
    expect((await refused({ areaId: "999999" })).areaId).toBe("errors.areaUnknown");
    expect((await refused({ areaId: "abc" })).areaId).toBe("errors.areaUnknown");
  });

  it.each([
    ["Rp 1.250.000.000", 1_250_000_000],
    ["1250000000", 1_250_000_000],
    ["Rp1.250.000.000", 1_250_000_000],
    ["0", 0],
  ])("reads the budget %j as %d rupiah", async (budget, expected) => {
    const created = await createProject(db, planner, input({ budget }), TZ);
    expect(created.budgetRupiah).toBe(expected);
  });

  it.each([
    ["Rp 1.250.000.000,00", 1_250_000_000],
    ["Rp 1.250.000.000,-", 1_250_000_000],
    ["1,250,000,000.00", 1_250_000_000],
  ])("reads the budget %j, zero cents included, as %d rupiah and not a hundred times more", async (budget, expected) => {
    const created = await createProject(db, planner, input({ budget }), TZ);
    expect(created.budgetRupiah).toBe(expected);
  });

  it.each(["-5", "Rp -1.000", "banyak", "", "12abc", "1.250.000,50"])("refuses the budget %j", async (budget) => {
    expect((await refused({ budget })).budget).toBe("projects.form.budgetInvalid");
  });

  it("refuses a latitude without a longitude, and the reverse", async () => {
    expect((await refused({ lat: "-6.2", lng: "" })).lng).toBe("projects.form.coordinatePair");
    expect((await refused({ lat: "", lng: "106.8" })).lat).toBe("projects.form.coordinatePair");
    expect((await refused({ lat: "91", lng: "106.8" })).lat).toBe("projects.form.coordinateInvalid");
    const created = await createProject(db, planner, input({ lat: "-6,2", lng: "106.8" }), TZ);
    expect([created.lat, created.lng]).toEqual([-6.2, 106.8]);
  });

  it("refuses a consultation that closes before (or when) it opens", async () => {
    expect((await refused({ opensAt: "2030-05-10T09:00", closesAt: "2030-05-01T09:00" })).closesAt).toBe("projects.form.closesBeforeOpens");
    expect((await refused({ opensAt: "2030-05-10T09:00", closesAt: "2030-05-10T09:00" })).closesAt).toBe("projects.form.closesBeforeOpens");
    expect((await refused({ opensAt: "kemarin" })).opensAt).toBe("projects.form.dateInvalid");
    const created = await createProject(db, planner, input({ opensAt: "2030-05-01T09:00", closesAt: "2030-05-10T17:00" }), TZ);
    expect(created.consultationOpensAt!.toISOString()).toBe("2030-05-01T02:00:00.000Z");
  });
});

describe("drafts", () => {
  it("are invisible to visitors, residents and moderators but visible to planners and admins", async () => {
    const draft = await makeProject(db, { phase: "draft" });
    expect(await getProjectBySlug(db, draft.slug, null)).toBeNull();
    expect(await getProjectBySlug(db, draft.slug, resident)).toBeNull();
    expect(await getProjectBySlug(db, draft.slug, moderator)).toBeNull();
    expect((await getProjectBySlug(db, draft.slug, planner))?.project.id).toBe(draft.id);
    expect((await getProjectBySlug(db, draft.slug, admin))?.project.id).toBe(draft.id);
    const published = await makeProject(db, { phase: "review", consultationOpensAt: daysAgo(9), consultationClosesAt: daysAgo(2) });
    expect((await getProjectBySlug(db, published.slug, null))?.project.id).toBe(published.id);
    expect(await getProjectBySlug(db, "tidak-ada", planner)).toBeNull();
  });
});

describe("listPublicProjects", () => {
  let list: AppDb;
  let a: Awaited<ReturnType<typeof makeAreas>>;
  let b: Awaited<ReturnType<typeof makeAreas>>;
  const ids = {} as Record<string, number>;

  beforeAll(async () => {
    list = (await freshDatabase()).db;
    a = await makeAreas(list);
    b = await makeAreas(list);
    const past = { consultationOpensAt: daysAgo(30), consultationClosesAt: daysAgo(10) };
    ids.draftA = (await makeProject(list, { phase: "draft", areaId: a.kelurahan.id, category: "roads" })).id;
    ids.roadsA = (await makeProject(list, { phase: "consultation", areaId: a.kelurahan.id, category: "roads" })).id;
    ids.parksA = (await makeProject(list, { phase: "review", areaId: a.kelurahan.id, category: "parks", ...past })).id;
    ids.kecamatanA = (await makeProject(list, { phase: "consultation", areaId: a.kecamatan.id, category: "drainage" })).id;
    ids.roadsB = (await makeProject(list, { phase: "consultation", areaId: b.kelurahan.id, category: "roads" })).id;
    ids.doneB = (await makeProject(list, { phase: "completed", areaId: b.kelurahan.id, category: "parks", ...past })).id;
    ids.cityWide = (await makeProject(list, { phase: "consultation", areaId: a.city.id, category: "transport" })).id;
  });

  const listed = async (filters: Parameters<typeof listPublicProjects>[1]) =>
    (await listPublicProjects(list, filters)).rows.map((r) => r.id).sort((x, y) => x - y);
  const sorted = (...xs: number[]) => xs.sort((x, y) => x - y);

  it("never lists drafts", async () => {
    const all = await listPublicProjects(list, {});
    expect(all.total).toBe(6);
    expect(all.rows.map((r) => r.id)).not.toContain(ids.draftA);
    expect(await listed({ phase: "draft" })).toEqual([]);
    expect(await listed({ kecamatanId: a.kecamatan.id, category: "roads" })).toEqual([ids.roadsA]);
  });

  it("filters by phase", async () => {
    expect(await listed({ phase: "consultation" })).toEqual(sorted(ids.roadsA, ids.kecamatanA, ids.roadsB, ids.cityWide));
    expect(await listed({ phase: "review" })).toEqual([ids.parksA]);
    expect(await listed({ phase: "completed" })).toEqual([ids.doneB]);
    expect(await listed({ phase: "cancelled" })).toEqual([]);
  });

  it("filters by kecamatan, including the projects in its kelurahan", async () => {
    expect(await listed({ kecamatanId: a.kecamatan.id })).toEqual(sorted(ids.roadsA, ids.parksA, ids.kecamatanA));
    expect(await listed({ kecamatanId: b.kecamatan.id })).toEqual(sorted(ids.roadsB, ids.doneB));
  });

  it("filters by category, and combines the filters", async () => {
    expect(await listed({ category: "roads" })).toEqual(sorted(ids.roadsA, ids.roadsB));
    expect(await listed({ category: "parks", phase: "completed" })).toEqual([ids.doneB]);
    expect(await listed({ category: "parks", kecamatanId: a.kecamatan.id })).toEqual([ids.parksA]);
  });

  it("city-wide figures leave drafts out", async () => {
    expect(await cityFigures(list)).toMatchObject({ projects: 6, open: 4 });
  });
});

describe("isConsultationOpen", () => {
  const opens = new Date("2030-03-01T02:00:00Z");
  const closes = new Date("2030-03-15T10:00:00Z");
  const project = { phase: "consultation" as Phase, consultationOpensAt: opens, consultationClosesAt: closes };
  const at = (ms: number) => new Date(ms);

  it("is closed a millisecond before it opens and open at the opening instant", async () => {
    expect(isConsultationOpen(project, at(opens.getTime() - 1))).toBe(false);
    expect(isConsultationOpen(project, opens)).toBe(true);
  });

  it("is open a millisecond before closing and closed at the closing instant", async () => {
    expect(isConsultationOpen(project, at(closes.getTime() - 1))).toBe(true);
    expect(isConsultationOpen(project, closes)).toBe(false);
  });

  it("is closed outside the consultation phase, even inside the window", async () => {
    const inside = at(opens.getTime() + 3600_000);
    for (const phase of PHASES.filter((p) => p !== "consultation")) {
      expect(isConsultationOpen({ ...project, phase }, inside), phase).toBe(false);
    }
  });

  it("without an opening time is open until it closes; without a closing time it is closed", async () => {
    expect(isConsultationOpen({ ...project, consultationOpensAt: null }, at(0))).toBe(true);
    expect(isConsultationOpen({ ...project, consultationClosesAt: null }, at(opens.getTime() + 1))).toBe(false);
  });
});

describe("following", () => {
  it("counts each follower once and remembers an explicit unfollow", async () => {
    const project = await projectIn("consultation");
    const user = await makeUser(db);
    expect(await followProject(db, user.id, project.id)).toBe(true);
    expect(await followProject(db, user.id, project.id)).toBe(false);
    expect((await projectRow(project.id)).followerCount).toBe(1);
    expect(await unfollowProject(db, user.id, project.id)).toBe(true);
    expect(await unfollowProject(db, user.id, project.id)).toBe(false);
    expect((await projectRow(project.id)).followerCount).toBe(0);
    expect(await followProject(db, user.id, project.id, { automatic: true })).toBe(false);
    expect(await isFollowing(db, user.id, project.id)).toBe(false);
    expect(await followProject(db, user.id, project.id)).toBe(true);
    expect(await isFollowing(db, user.id, project.id)).toBe(true);
    expect((await projectRow(project.id)).followerCount).toBe(1);
    expect(await db.select().from(follows).where(eq(follows.projectId, project.id))).toHaveLength(1);
  });
});
