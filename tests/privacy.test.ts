import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { withWriteTx, type AppDb } from "~db/engine";
import { sqliteWriterOf } from "~db/sqlite-writer";
import { comments, moderationLog, outbox, projects, proposals, rateLimits, supports, votes, type User } from "~db/schema";
import { createSession, validateSessionToken } from "~/accounts/session.server";
import { hashPassword } from "~/accounts/password.server";
import { personalDataExport } from "~/accounts/personal-data.server";
import { eraseAccount } from "~/accounts/erasure.server";
import { queueVerificationMail } from "~/accounts/verification.server";
import { requestPasswordReset } from "~/accounts/password-reset.server";
import { castVote } from "~/voting/voting.server";
import { submitProposal, supportProposal } from "~/proposals/proposals.server";
import { openThread, postComment, listComments } from "~/discussion/discussion.server";
import { flagContent } from "~/moderation/flags.server";
import { liftSuspension, suspendUser } from "~/moderation/suspensions.server";
import { setEmailMode } from "~/notifications/email-preferences.server";
import { notify } from "~/notifications/notifications.server";
import { recordFailure } from "~/rate-limit.server";
import { emailKeyPart, signInFailureKey } from "~/accounts/rate-keys.server";
import { runHousekeeping } from "~/privacy/housekeeping.server";
import { RETENTION } from "~/privacy/retention";
import * as dataRoute from "~/routes/account.data[.]json";
import * as deleteRoute from "~/routes/account.delete";
import type { FormFailure } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { refusalAsync } from "./support/domain-errors";
import { makeProject, makeUser, reloadUser, TEST_PASSWORD } from "./support/factories";
import { formPost, routeArgs, routeContext, settle } from "./support/routes";

/**
 * A resident who did a bit of everything — wrote, voted, supported, flagged, followed, was
 * suspended once, asked for links and e-mail — beside a neighbour who did the same.
 */
async function activeResident(db: AppDb, label: string) {
  const unique = `${label}${Math.random().toString(36).slice(2, 8)}`;
  // A password hash of its own (the factory shares one between users), so a search for it finds only this account.
  const user = await makeUser(db, {
    displayName: `Kartika ${unique}`,
    email: `kartika.${unique}@contoh.id`,
    passwordHash: await hashPassword(`${TEST_PASSWORD} ${unique}`),
  });
  const neighbour = await makeUser(db, { displayName: `Tetangga ${unique}`, email: `tetangga.${unique}@contoh.id` });
  const moderator = await makeUser(db, { role: "moderator", displayName: `Moderator ${unique}` });
  const project = await makeProject(db);
  const thread = await openThread(db, user, project.id, { title: `Trotoar ${unique}`, body: `Trotoar di depan rumah saya rusak (${unique}).` });
  const comment = await postComment(db, user, thread.id, { body: `Komentar pribadi ${unique}` });
  await postComment(db, neighbour, thread.id, { body: `Balasan tetangga ${unique}`, parentId: comment.id });
  const own = await submitProposal(db, user, project.id, { title: `Usulan ${unique}`, body: `Tambah pohon peneduh (${unique}).` });
  const theirs = await submitProposal(db, neighbour, project.id, { title: `Usulan tetangga ${unique}`, body: `Tambah lampu (${unique}).` });
  await supportProposal(db, user, theirs.id);
  await supportProposal(db, neighbour, own.id);
  await castVote(db, user, project.id, "oppose");
  await castVote(db, neighbour, project.id, "support");
  const neighbourComment = await postComment(db, neighbour, thread.id, { body: `Komentar tetangga ${unique}` });
  await flagContent(db, user, "comment", neighbourComment.id, { reason: "off_topic", note: "Tidak terkait." });
  await suspendUser(db, moderator, user.id, "1d", "Spam berulang");
  await liftSuspension(db, moderator, user.id, "Sudah diperbaiki");
  await setEmailMode(db, user.id, "immediate");
  await notify(db, [user.id], "content_approved", `/projects/${project.slug}`, { title: project.title });
  const fresh = await reloadUser(db, user.id);
  await queueVerificationMail(db, fresh);
  await requestPasswordReset(db, { email: fresh.email!, clientAddress: "10.9.8.7" });
  await recordFailure(db, signInFailureKey(fresh.email!, "10.9.8.7"), 3);
  // A counter from before keys were hashed, as an older database may still hold.
  await recordFailure(db, `signin:acct:${fresh.email}`, 3);
  const session = await createSession(db, user.id);
  await createSession(db, neighbour.id);
  return {
    password: `${TEST_PASSWORD} ${unique}`,
    user: fresh,
    neighbour: await reloadUser(db, neighbour.id),
    moderator,
    project,
    thread,
    comment,
    own,
    theirs,
    session,
    unique,
  };
}

describe("/account/data", () => {
  let db: AppDb;
  let world: Awaited<ReturnType<typeof activeResident>>;
  beforeAll(async () => {
    db = (await freshDatabase()).db;
    world = await activeResident(db, "data");
  });

  it("holds the person's own profile, words, ballot, supports, flags, notifications and sessions", async () => {
    const data = await personalDataExport(db, world.user, { currentSessionId: world.session.token.split(".")[0]! });
    expect(data.profile).toMatchObject({ id: world.user.id, displayName: world.user.displayName, email: world.user.email, role: "resident" });
    expect(data.threads.filter((t) => t.proposalId === null).map((t) => t.title)).toEqual([`Trotoar ${world.unique}`]);
    // A proposal's own discussion thread is listed too, marked with its proposal.
    expect(data.threads.filter((t) => t.proposalId === world.own.id)).toHaveLength(1);
    expect(data.comments.map((c) => c.body)).toEqual([`Komentar pribadi ${world.unique}`]);
    expect(data.proposals.map((p) => p.title)).toEqual([`Usulan ${world.unique}`]);
    expect(data.votes).toEqual([expect.objectContaining({ projectSlug: world.project.slug, choice: "oppose" })]);
    expect(data.supports.map((s) => s.proposalTitle)).toEqual([`Usulan tetangga ${world.unique}`]);
    expect(data.flags).toEqual([expect.objectContaining({ reason: "off_topic", note: "Tidak terkait." })]);
    expect(data.follows.map((f) => f.projectSlug)).toEqual([world.project.slug]);
    expect(data.notifications.map((n) => n.kind)).toEqual(expect.arrayContaining(["reply", "suspended", "content_approved"]));
    expect(data.sessions).toEqual([expect.objectContaining({ thisDevice: true })]);
    expect(data.emailNotifications.mode).toBe("immediate");
    expect(data.moderationLog.map((r) => r.action)).toEqual(["suspend", "suspension_lift"]);
    expect(data.emailLinks.map((l) => l.purpose).sort()).toEqual(["reset", "verify"]);
    expect(data.emails.map((e) => e.kind).sort()).toEqual(["notification", "password_reset", "verify_email"]);
  });

  it("holds nothing of anybody else: no other address, ballot, words or secrets", async () => {
    const text = JSON.stringify(await personalDataExport(db, world.user));
    expect(text).not.toContain(world.neighbour.email!);
    expect(text).not.toContain(`Balasan tetangga ${world.unique}`);
    expect(text).not.toContain(`Komentar tetangga ${world.unique}`);
    expect(text).not.toContain('"support"'); // the neighbour's ballot
    expect(text).not.toContain(world.user.passwordHash!);
    expect(text).not.toContain(world.session.token.split(".")[1]!);
    // Staff who acted on the account appear by what they did, not by their address.
    expect(text).not.toContain(world.moderator.email!);
  });

  it("is served only to the signed-in person, as a JSON download", async () => {
    const anonymous = await settle(() => dataRoute.loader(routeArgs(new Request("http://localhost/account/data.json"), routeContext(db, null))));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Fdata.json");
    const response = (await dataRoute.loader(routeArgs(new Request("http://localhost/account/data.json"), routeContext(db, world.user)))) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="rembug-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = (await response.json()) as { profile: { email: string } };
    expect(body.profile.email).toBe(world.user.email);
  });
});

/** Every text (and blob) value of every row of every table, with where it was found (committed rows, read on the SQLite read connection). */
function everyStoredValue(db: AppDb): { where: string; value: string }[] {
  const sqlite = (db as unknown as Db).$client;
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[];
  expect(tables.length).toBeGreaterThan(15);
  return tables.flatMap(({ name }) =>
    (sqlite.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]).flatMap((row, i) =>
      Object.entries(row).flatMap(([column, value]) =>
        typeof value === "string"
          ? [{ where: `${name}.${column} (row ${i})`, value }]
          : Buffer.isBuffer(value)
            ? [{ where: `${name}.${column} (row ${i}, blob)`, value: value.toString("latin1") }]
            : [],
      ),
    ),
  );
}

describe("/account/delete", () => {
  let db: AppDb;
  let dbPath: string;
  let world: Awaited<ReturnType<typeof activeResident>>;
  let mailDir: string;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    db = fresh.db;
    dbPath = fresh.path;
    world = await activeResident(db, "hapus");
    mailDir = mkdtempSync(join(tmpdir(), "rembug-erase-"));
  });

  const submit = (user: User, password: string) =>
    settle<FormFailure>(() =>
      deleteRoute.action(
        routeArgs(formPost("http://localhost/account/delete", { password }), routeContext(db, user, { config: { ...routeContext(db).config, mailDir } })),
      ),
    );

  it("refuses a wrong password and changes nothing", async () => {
    const before = JSON.stringify(everyStoredValue(db).filter((v) => !v.where.startsWith("rate_limits")));
    const answer = await submit(world.user, "bukan kata sandi saya");
    expect(answer).toMatchObject({ status: 400, data: { errors: [{ field: "password", key: "accountDelete.passwordWrong" }] } });
    expect(await reloadUser(db, world.user.id)).toMatchObject({ email: world.user.email, deletedAt: null });
    expect(JSON.stringify(everyStoredValue(db).filter((v) => !v.where.startsWith("rate_limits")))).toBe(before);
    expect(await validateSessionToken(db, world.session.token)).not.toBeNull();
  });

  it("erases the account with the right password, signs out, and leaves nothing personal in any table", async () => {
    const tallyBefore = (
      await db
        .select({ s: projects.votesSupport, o: projects.votesOppose, f: projects.followerCount })
        .from(projects)
        .where(eq(projects.id, world.project.id))
        .limit(1)
    )[0]!;
    const logBefore = await db.select().from(moderationLog).orderBy(asc(moderationLog.id));
    const ownMail = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.userId, world.user.id));
    expect(ownMail.length).toBeGreaterThan(0);
    for (const { id } of ownMail) writeFileSync(join(mailDir, `mail-${id}-2026.eml`), `To: ${world.user.email}`);
    writeFileSync(join(mailDir, "mail-999999-2026.eml"), "someone else's");

    const answer = await submit(world.user, world.password);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/account/deleted");
    expect(answer.headers.get("Set-Cookie")).toMatch(/^rembug_session=; .*Max-Age=0/);
    expect(await validateSessionToken(db, world.session.token)).toBeNull();

    // Nothing personal anywhere: e-mail, name, password hash.
    const secrets = [world.user.email!, world.user.displayName, world.user.passwordHash!];
    const found = everyStoredValue(db).filter((v) => secrets.some((s) => v.value.includes(s)));
    expect(found.map((f) => f.where)).toEqual([]);
    // The neighbour is untouched.
    expect(await reloadUser(db, world.neighbour.id)).toMatchObject({ email: world.neighbour.email, displayName: world.neighbour.displayName });

    // The tombstone.
    const tombstone = await reloadUser(db, world.user.id);
    expect(tombstone).toMatchObject({ email: null, displayName: "", passwordHash: null, areaId: null, emailVerifiedAt: null, suspensionReason: null });
    expect(tombstone.deletedAt).toBeInstanceOf(Date);

    // Contributions stay, shown as "deleted user".
    expect((await db.select().from(comments).where(eq(comments.id, world.comment.id)).limit(1))[0]!.bodySource).toBe(`Komentar pribadi ${world.unique}`);
    const view = (await listComments(db, world.thread.id, null)).rows.find((c) => c.id === world.comment.id)!;
    expect(view.authorName).toBeNull();

    // Ballots stay counted, linked to nobody; supports stay counted.
    const ballots = await db.select().from(votes).where(eq(votes.projectId, world.project.id));
    expect(ballots.map((b) => [b.choice, b.userId === null])).toEqual(
      expect.arrayContaining([
        ["oppose", true],
        ["support", false],
      ]),
    );
    expect(await db.select().from(votes).where(eq(votes.userId, world.user.id))).toEqual([]);
    const tallyAfter = (
      await db
        .select({ s: projects.votesSupport, o: projects.votesOppose, f: projects.followerCount })
        .from(projects)
        .where(eq(projects.id, world.project.id))
        .limit(1)
    )[0]!;
    expect(tallyAfter).toEqual({ ...tallyBefore, f: tallyBefore.f - 1 });
    expect((await db.select().from(proposals).where(eq(proposals.id, world.theirs.id)).limit(1))[0]!.supportCount).toBe(1);
    expect(await db.select().from(supports).where(eq(supports.proposalId, world.theirs.id))).toHaveLength(1);

    // The moderation log is unchanged, row for row.
    expect(await db.select().from(moderationLog).orderBy(asc(moderationLog.id))).toEqual(logBefore);

    // Queued and sent mail gone, with its files; counters keyed by the address gone.
    expect(await db.select().from(outbox).where(eq(outbox.userId, world.user.id))).toEqual([]);
    expect(readdirSync(mailDir)).toEqual(["mail-999999-2026.eml"]);
    expect((await db.select().from(rateLimits)).filter((r) => r.key.includes(world.user.email!))).toEqual([]);
    expect((await db.select().from(rateLimits)).filter((r) => r.key.includes(emailKeyPart(world.user.email!)))).toEqual([]);
  });

  it("leaves no trace of the address in the database file either (secure_delete)", () => {
    // The writer wrote the erasure; both connections overwrite what they delete.
    const reader = (db as unknown as Db).$client;
    const writer = sqliteWriterOf(db as unknown as Db).$client;
    expect(reader.pragma("secure_delete", { simple: true })).toBe(1);
    expect(writer.pragma("secure_delete", { simple: true })).toBe(1);
    writer.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(dbPath).toString("latin1");
    expect(bytes.includes(world.user.email!)).toBe(false);
    expect(bytes.includes(world.user.passwordHash!)).toBe(false);
  });

  it("cannot sign in or erase again", async () => {
    const tombstone = await reloadUser(db, world.user.id);
    expect(await refusalAsync(() => eraseAccount(db, tombstone, world.password))).toMatchObject({ status: 400 });
  });
});

describe("housekeeping", () => {
  it("removes expired sessions, old links, old counters and sent mail past retention, never unsent mail", async () => {
    const db = (await freshDatabase()).db;
    const user = await makeUser(db);
    const now = new Date("2026-06-01T00:00:00Z");
    const day = 86_400_000;
    await createSession(db, user.id, new Date(now.getTime() - 40 * day));
    const live = await createSession(db, user.id, now);
    await queueVerificationMail(db, user, new Date(now.getTime() - 20 * day));
    await withWriteTx(db, async (tx) => {
      await tx.insert(rateLimits).values({ key: "signin:addr:10.0.0.1", windowStart: new Date(now.getTime() - (RETENTION.rateLimitDays + 1) * day), count: 1 });
      await tx.insert(rateLimits).values({ key: "signin:addr:10.0.0.2", windowStart: now, count: 1 });
    });
    const old = (await db.select().from(outbox).limit(1))[0]!;
    await withWriteTx(db, async (tx) => {
      await tx
        .update(outbox)
        .set({ sentAt: new Date(now.getTime() - (RETENTION.sentMailDays + 1) * day) })
        .where(eq(outbox.id, old.id));
    });
    await queueVerificationMail(db, user, new Date(now.getTime() - 60 * day)); // never sent: kept

    const result = await runHousekeeping(db, now);
    expect(result).toEqual({ expiredSessions: 1, oldLinks: 2, sentMail: [old.id] });
    expect(await validateSessionToken(db, live.token, now)).not.toBeNull();
    expect((await db.select().from(rateLimits)).map((r) => r.key)).toEqual(["signin:addr:10.0.0.2"]);
    expect(await db.select().from(outbox)).toHaveLength(1);
  });
});
