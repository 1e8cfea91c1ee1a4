import { beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { moderationLog, type User } from "~db/schema";
import { changeRole } from "~/accounts/users.server";
import { moveProjectPhase } from "~/projects/projects.server";
import { answerProposal, submitProposal } from "~/proposals/proposals.server";
import { postComment, setThreadState } from "~/discussion/discussion.server";
import { flagContent } from "~/moderation/flags.server";
import { appealDecision, decideReviewItem, hideContent } from "~/moderation/review.server";
import { liftSuspension, suspendUser } from "~/moderation/suspensions.server";
import { listLog, logAction, logActions, LOG_PAGE_SIZE } from "~/audit/log.server";
import { transparencyFigures } from "~/moderation/transparency.server";
import { currentModerationSettings, updateModerationSettings, EDITABLE_NUMBERS, type SettingsForm } from "~/moderation/settings-admin.server";
import { getSetting, setSetting } from "~/settings.server";
import { freshDatabase, sqliteClient } from "./support/db";
import { makeProject } from "./support/factories";
import { expectConstraint, makeThread, makeUsers } from "./support/more-factories";
import { expectDomainError } from "./support/domain-errors";
import { makeEstablishedUser, makeNewAuthor, openItemFor } from "./support/moderation";

let db: AppDb;
let admin: User;
let moderator: User;
let secondModerator: User;
let planner: User;
let resident: User;

beforeAll(async () => {
  db = (await freshDatabase({ appDefaults: true })).db;
  await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
  await setSetting(db, "rateProposalsPerDay", { limit: 100_000, windowSeconds: 86400 });
  admin = await makeEstablishedUser(db, { role: "admin" });
  moderator = await makeEstablishedUser(db, { role: "moderator" });
  secondModerator = await makeEstablishedUser(db, { role: "moderator" });
  planner = await makeEstablishedUser(db, { role: "planner" });
  resident = await makeEstablishedUser(db);
});

let texts = 0;
const unique = (text: string) => `${text} (${++texts})`;
const allRows = async () => db.select().from(moderationLog).orderBy(asc(moderationLog.id));

/** Runs `action` (and awaits it) and returns the log rows it wrote, as [action, actorId, targetType, targetId]. */
async function logged(action: () => unknown) {
  const before = (await allRows()).length;
  await action();
  return (await allRows()).slice(before).map((r) => [r.action, r.actorId, r.targetType, r.targetId]);
}

const versionOf = (type: "comment" | "thread" | "proposal", id: number) => openItemFor(db, type, id);

describe("every staff action writes a log row", () => {
  it("a role change", async () => {
    const user = await makeEstablishedUser(db);
    expect(await logged(() => changeRole(db, admin, user.id, "moderator", "Relawan baru"))).toEqual([["role_change", admin.id, "user", String(user.id)]]);
    expect((await allRows()).at(-1)).toMatchObject({ reason: "Relawan baru", details: { from: "resident", to: "moderator" } });
  });

  it("a phase change", async () => {
    const project = await makeProject(db);
    expect(await logged(() => moveProjectPhase(db, planner, project.id, { to: "review" }, "Asia/Jakarta"))).toEqual([
      ["phase_change", planner.id, "project", String(project.id)],
    ]);
    expect((await allRows()).at(-1)!.details).toMatchObject({ from: "consultation", to: "review" });
  });

  it("a proposal answer", async () => {
    const project = await makeProject(db);
    const proposal = await submitProposal(db, resident, project.id, { title: "Usulan dijawab", body: unique("Isi") });
    expect(await logged(() => answerProposal(db, planner, proposal.id, { status: "accepted", answer: "Akan dikerjakan." }))).toEqual([
      ["proposal_answer", planner.id, "proposal", String(proposal.id)],
    ]);
  });

  it("locking and pinning a thread, and undoing either", async () => {
    const thread = await makeThread(db, resident.id, (await makeProject(db)).id);
    expect(await logged(() => setThreadState(db, moderator, thread.id, { locked: true, pinned: true }))).toEqual([
      ["thread_lock", moderator.id, "thread", String(thread.id)],
      ["thread_pin", moderator.id, "thread", String(thread.id)],
    ]);
    expect(await logged(() => setThreadState(db, moderator, thread.id, { locked: false, pinned: false }))).toEqual([
      ["thread_unlock", moderator.id, "thread", String(thread.id)],
      ["thread_unpin", moderator.id, "thread", String(thread.id)],
    ]);
    // Nothing changed, nothing logged.
    expect(await logged(() => setThreadState(db, moderator, thread.id, { locked: false }))).toEqual([]);
  });

  it("approving, rejecting with a suspension, lifting it, an appeal and its decision, an auto-hide and a direct hide", async () => {
    const thread = await makeThread(db, resident.id, (await makeProject(db)).id);
    const newbie = await makeNewAuthor(db);
    const held = await postComment(db, newbie, thread.id, { body: unique("Tertahan") });
    const approveItem = await versionOf("comment", held.id);
    expect(await logged(() => decideReviewItem(db, moderator, approveItem.id, { decision: "approve", version: approveItem.version }))).toEqual([
      ["review_approve", moderator.id, "comment", String(held.id)],
    ]);

    const author = await makeEstablishedUser(db);
    const rude = await postComment(db, author, thread.id, { body: unique("Kasar") });
    await flagContent(db, resident, "comment", rude.id, { reason: "harassment" });
    const rejectItem = await versionOf("comment", rude.id);
    expect(
      await logged(() => decideReviewItem(db, moderator, rejectItem.id, { decision: "reject", version: rejectItem.version, reason: "Kasar.", suspend: "7d" })),
    ).toEqual([
      ["review_reject", moderator.id, "comment", String(rude.id)],
      ["suspend", moderator.id, "user", String(author.id)],
    ]);
    expect(await logged(() => liftSuspension(db, secondModerator, author.id, "Sudah minta maaf."))).toEqual([
      ["suspension_lift", secondModerator.id, "user", String(author.id)],
    ]);

    const appeal = await logged(() => appealDecision(db, author, "comment", rude.id, "Bukan maksud saya."));
    expect(appeal).toEqual([["appeal", author.id, "comment", String(rude.id)]]);
    const appealItem = await versionOf("comment", rude.id);
    expect(
      await logged(() => decideReviewItem(db, secondModerator, appealItem.id, { decision: "reject", version: appealItem.version, reason: "Tetap kasar." })),
    ).toEqual([["appeal_uphold", secondModerator.id, "comment", String(rude.id)]]);

    const hiddenByFlags = await postComment(db, author, thread.id, { body: unique("Akan disembunyikan") });
    const [a, b, c] = await makeUsers(db, 3);
    await flagContent(db, a!, "comment", hiddenByFlags.id, { reason: "spam" });
    await flagContent(db, b!, "comment", hiddenByFlags.id, { reason: "spam" });
    expect(await logged(() => flagContent(db, c!, "comment", hiddenByFlags.id, { reason: "spam" }))).toEqual([
      ["auto_hide", null, "comment", String(hiddenByFlags.id)],
    ]);

    const direct = await postComment(db, author, thread.id, { body: unique("Disembunyikan langsung") });
    expect(await logged(() => hideContent(db, moderator, "comment", direct.id, "Data pribadi."))).toEqual([
      ["review_reject", moderator.id, "comment", String(direct.id)],
    ]);
  });

  it("a suspension outside the queue", async () => {
    const user = await makeEstablishedUser(db);
    expect(await logged(() => suspendUser(db, moderator, user.id, "30d", "Spam"))).toEqual([["suspend", moderator.id, "user", String(user.id)]]);
  });

  it("a settings change, one row per changed setting", async () => {
    const form = formOf(await currentModerationSettings(db));
    form.numbers.linkLimit = "5";
    form.numbers.hideThreshold = "4";
    expect(await logged(() => updateModerationSettings(db, admin, form))).toEqual([
      ["setting_change", admin.id, "setting", "linkLimit"],
      ["setting_change", admin.id, "setting", "hideThreshold"],
    ]);
    await setSetting(db, "linkLimit", 3);
    await setSetting(db, "hideThreshold", 3);
  });

  it("and a refused action writes nothing", async () => {
    const thread = await makeThread(db, resident.id, (await makeProject(db)).id);
    const comment = await postComment(db, resident, thread.id, { body: unique("Aman") });
    expect(
      await logged(async () => {
        await expectDomainError(() => hideContent(db, planner, "comment", comment.id, "Coba"), 403);
        await expectDomainError(() => suspendUser(db, resident, planner.id, "1d", "Coba"), 403);
        await expectDomainError(() => setThreadState(db, resident, thread.id, { locked: true }), 403);
      }),
    ).toEqual([]);
  });
});

describe("the log is append-only", () => {
  it("refuses UPDATE and DELETE on its rows, even through raw SQL", async () => {
    await logAction(db, moderator, "review_approve", { type: "comment", id: 1 }, "asli");
    const row = (await allRows()).at(-1)!;
    await expectConstraint(
      () =>
        withWriteTx(db, async (tx) => {
          await tx.update(moderationLog).set({ reason: "diubah" }).where(eq(moderationLog.id, row.id));
        }),
      "TRIGGER",
      /append-only/,
    );
    await expectConstraint(() => sqliteClient(db).prepare("update moderation_log set actor_id = null").run(), "TRIGGER", /append-only/);
    await expectConstraint(
      () =>
        withWriteTx(db, async (tx) => {
          await tx.delete(moderationLog).where(eq(moderationLog.id, row.id));
        }),
      "TRIGGER",
      /append-only/,
    );
    await expectConstraint(() => sqliteClient(db).prepare("delete from moderation_log").run(), "TRIGGER", /append-only/);
    expect((await allRows()).find((r) => r.id === row.id)).toMatchObject({ reason: "asli", actorId: moderator.id });
  });
});

describe("reading the log", () => {
  it("filters by action, actor, target type and time, and pages 50 rows at a time, newest first, without repeats", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const [mod1, mod2] = await makeUsers(own, 2, { role: "moderator" });
    const t0 = new Date("2026-03-01T00:00:00Z").getTime();
    for (let i = 0; i < 120; i++) {
      const actor = i % 2 ? mod1! : mod2!;
      const action = i % 3 === 0 ? "suspend" : "review_reject";
      await logAction(own, actor, action, { type: action === "suspend" ? "user" : "comment", id: i }, `alasan ${i}`, null, new Date(t0 + i * 3600_000));
    }
    expect(LOG_PAGE_SIZE).toBe(50);
    const pages = await Promise.all([1, 2, 3].map((p) => listLog(own, {}, p)));
    expect(pages.map((p) => [p.total, p.pageCount, p.rows.length])).toEqual([
      [120, 3, 50],
      [120, 3, 50],
      [120, 3, 20],
    ]);
    const seen = pages.flatMap((p) => p.rows.map((r) => Number(r.entry.targetId)));
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
    expect(pages[0]!.rows[0]).toMatchObject({ actorName: mod1!.displayName, actorRole: "moderator" });

    expect((await listLog(own, { action: "suspend" })).total).toBe(40);
    expect((await listLog(own, { action: "suspend" })).rows.every((r) => r.entry.action === "suspend")).toBe(true);
    expect((await listLog(own, { actorId: mod1!.id })).total).toBe(60);
    expect((await listLog(own, { actorId: mod1!.id, action: "suspend" })).total).toBe(20);
    expect((await listLog(own, { targetType: "user" })).total).toBe(40);
    // From is inclusive, to is exclusive: hours 10 to 19.
    const window = await listLog(own, { from: new Date(t0 + 10 * 3600_000), to: new Date(t0 + 20 * 3600_000) });
    expect(window.rows.map((r) => Number(r.entry.targetId))).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    expect(await logActions(own)).toEqual(["review_reject", "suspend"]);
  });
});

describe("transparency figures", () => {
  it("count per month (in the city's time zone) and per flag reason, with no personal data", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    await setSetting(own, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
    await setSetting(own, "rateCommentsPerMinuteNewAccount", { limit: 100_000, windowSeconds: 60 });
    const mod1 = await makeEstablishedUser(own, { role: "moderator", displayName: "Moderator Rahasia", email: "moderator.rahasia@contoh.id" });
    const mod2 = await makeEstablishedUser(own, { role: "moderator" });
    const writer = await makeEstablishedUser(own, { displayName: "Penulis Rahasia" });
    const newbie = await makeNewAuthor(own);
    // A project whose consultation spans both months.
    const project = await makeProject(own, { consultationOpensAt: new Date("2026-01-01T00:00:00Z"), consultationClosesAt: new Date("2026-12-31T00:00:00Z") });
    const thread = await makeThread(own, writer.id, project.id);
    const march = (day: number) => new Date(Date.UTC(2026, 2, day, 3));
    // 20:00 UTC on 31 March is 03:00 on 1 April in Jakarta (UTC+7).
    const lateMarchUtc = new Date("2026-03-31T20:00:00Z");
    const april = (day: number) => new Date(Date.UTC(2026, 3, day, 3));

    // March: two held comments (one approved, one rejected), one flagged comment hidden by three flags.
    const held1 = await postComment(own, newbie, thread.id, { body: "Teks tertahan rahasia satu" }, march(2));
    const held2 = await postComment(own, newbie, thread.id, { body: "Teks tertahan rahasia dua" }, march(3));
    const i1 = await openItemFor(own, "comment", held1.id);
    await decideReviewItem(own, mod1, i1.id, { decision: "approve", version: i1.version }, march(4));
    const i2 = await openItemFor(own, "comment", held2.id);
    await decideReviewItem(own, mod1, i2.id, { decision: "reject", version: i2.version, reason: "Alasan rahasia" }, march(4));
    const flagged = await postComment(own, writer, thread.id, { body: "Komentar yang ditandai" }, march(5));
    // Established long before these dates, so their flags weigh toward hiding.
    const flaggers = await makeUsers(own, 3, { createdAt: new Date("2025-01-01T00:00:00Z") });
    await flagContent(own, flaggers[0]!, "comment", flagged.id, { reason: "spam" }, march(6));
    await flagContent(own, flaggers[1]!, "comment", flagged.id, { reason: "spam" }, march(6));
    await flagContent(own, flaggers[2]!, "comment", flagged.id, { reason: "harassment" }, lateMarchUtc);
    // April (Jakarta): the flagged comment is rejected, appealed and overturned by another moderator.
    const i3 = await openItemFor(own, "comment", flagged.id);
    await decideReviewItem(own, mod1, i3.id, { decision: "reject", version: i3.version, reason: "Alasan rahasia" }, april(2));
    await appealDecision(own, writer, "comment", flagged.id, "Banding rahasia", april(3));
    const i4 = await openItemFor(own, "comment", flagged.id);
    await decideReviewItem(own, mod2, i4.id, { decision: "approve", version: i4.version }, april(4));

    const figures = await transparencyFigures(own, "Asia/Jakarta", april(20));
    const none = { spam: 0, harassment: 0, sara: 0, misinformation: 0, personal_data: 0, off_topic: 0, other: 0 };
    expect(figures).toEqual([
      { month: "2026-04", held: 0, hidden: 1, approved: 1, rejected: 1, appealed: 1, overturned: 1, flagsByReason: { ...none, harassment: 1 } },
      { month: "2026-03", held: 2, hidden: 0, approved: 1, rejected: 1, appealed: 0, overturned: 0, flagsByReason: { ...none, spam: 2 } },
    ]);
    // In UTC the third flag and the auto-hide fall in March.
    expect((await transparencyFigures(own, "UTC", april(20))).find((m) => m.month === "2026-03")).toMatchObject({
      hidden: 1,
      flagsByReason: { spam: 2, harassment: 1 },
    });

    const text = JSON.stringify(figures);
    // No names, e-mail addresses, reasons or text: only months, reasons of flags and counts.
    for (const secret of ["Rahasia", "rahasia", "@", "Banding", "Komentar"]) expect(text).not.toContain(secret);
    for (const month of figures)
      expect(Object.keys(month).sort()).toEqual(["appealed", "approved", "flagsByReason", "held", "hidden", "month", "overturned", "rejected"]);
  });
});

/** The settings form as the page would post it, from the current values. */
function formOf(current: Awaited<ReturnType<typeof currentModerationSettings>>): SettingsForm {
  return {
    numbers: Object.fromEntries(Object.entries(current.numbers).map(([k, v]) => [k, String(v)])) as SettingsForm["numbers"],
    blockedWords: current.blockedWords.join("\n"),
  };
}

describe("changing the moderation settings", () => {
  it("applies a valid form, normalises the word list and logs each changed setting with its old and new value", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const ownAdmin = await makeEstablishedUser(own, { role: "admin" });
    const form = formOf(await currentModerationSettings(own));
    form.numbers.premoderationCount = "4";
    form.blockedWords = "  Bodoh \n\nanjing\r\nBODOH\n";
    const result = await updateModerationSettings(own, ownAdmin, form);
    expect(result).toEqual({ changed: ["premoderationCount", "blockedWords"] });
    expect(await getSetting(own, "premoderationCount")).toBe(4);
    expect(await getSetting(own, "blockedWords")).toEqual(["bodoh", "anjing"]);
    const rows = await own.select().from(moderationLog).orderBy(asc(moderationLog.id));
    expect(rows.map((r) => [r.action, r.actorId, r.targetId, r.details])).toEqual([
      ["setting_change", ownAdmin.id, "premoderationCount", { from: 2, to: 4 }],
      // The words themselves stay out of the log: only their count.
      ["setting_change", ownAdmin.id, "blockedWords", { from: 0, to: 2 }],
    ]);
    // The same form again changes nothing and logs nothing.
    expect(await updateModerationSettings(own, ownAdmin, formOf(await currentModerationSettings(own)))).toEqual({ changed: [] });
    expect(await own.select().from(moderationLog)).toHaveLength(2);
  });

  it.each([
    ["premoderationCount", "-1", "settings.between"],
    ["linkLimit", "tiga", "settings.wholeNumber"],
    ["hideThreshold", "0", "settings.between"],
    ["hideThreshold", "2.5", "settings.wholeNumber"],
    ["supportsPerResident", "99999999999999999999", "settings.between"],
    ["establishedAccountDays", "366", "settings.between"],
    ["linkLimit", "", "errors.required"],
    ["premoderationCount", "1e3", "settings.wholeNumber"],
  ] as const)("refuses %s = %j with %s on that field, and changes nothing at all", async (field, value, key) => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const ownAdmin = await makeEstablishedUser(own, { role: "admin" });
    await setSetting(own, "blockedWords", ["lama"]);
    const before = await currentModerationSettings(own);
    const form = formOf(before);
    // Every other field is changed validly: none of those changes may land either.
    for (const k of Object.keys(EDITABLE_NUMBERS) as (keyof typeof EDITABLE_NUMBERS)[]) form.numbers[k] = String(EDITABLE_NUMBERS[k].min + 1);
    form.blockedWords = "baru";
    form.numbers[field] = value;
    const refusal = await expectDomainError(() => updateModerationSettings(own, ownAdmin, form), 400, key);
    expect(refusal.errors.map((e) => [e.field, e.key])).toEqual([[field, key]]);
    expect(await currentModerationSettings(own)).toEqual(before);
    expect(await own.select().from(moderationLog)).toEqual([]);
  });

  it("refuses an overlong blocked word, and reports every invalid field at once", async () => {
    const own = (await freshDatabase({ appDefaults: true })).db;
    const ownAdmin = await makeEstablishedUser(own, { role: "admin" });
    const before = await currentModerationSettings(own);
    const form = formOf(before);
    form.blockedWords = `pendek\n${"x".repeat(101)}`;
    form.numbers.linkLimit = "-3";
    form.numbers.premoderationCount = "7";
    const refusal = await expectDomainError(() => updateModerationSettings(own, ownAdmin, form), 400);
    expect(refusal.errors).toEqual([
      { field: "linkLimit", key: "settings.between", params: { min: 0, max: 100 } },
      { field: "blockedWords", key: "settings.wordTooLong", params: { max: 100 } },
    ]);
    expect(await currentModerationSettings(own)).toEqual(before);
    expect(await own.select().from(moderationLog)).toEqual([]);
    // Exactly 100 characters is allowed.
    form.blockedWords = "x".repeat(100);
    form.numbers.linkLimit = "3";
    expect((await updateModerationSettings(own, ownAdmin, form)).changed).toContain("blockedWords");
  });

  it("is for admins only (403): a moderator or planner changes nothing", async () => {
    const form = formOf(await currentModerationSettings(db));
    form.numbers.linkLimit = "9";
    for (const actor of [moderator, planner, resident]) await expectDomainError(() => updateModerationSettings(db, actor, form), 403, "errors.forbidden");
    expect(await getSetting(db, "linkLimit")).toBe(3);
  });
});
