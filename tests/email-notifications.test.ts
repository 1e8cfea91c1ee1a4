import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { notificationPreferences, notifications, outbox, users, type User } from "~db/schema";
import { notify, notifyFollowers, markAllNotificationsRead } from "~/notifications/notifications.server";
import { getEmailMode, setEmailMode } from "~/notifications/email-preferences.server";
import { queueDigests, DIGEST_MIN_INTERVAL_MS } from "~/notifications/digest.server";
import { unsubscribeToken, readUnsubscribeToken } from "~/notifications/unsubscribe.server";
import { mailTokenSecret } from "~/notifications/mail-secret.server";
import { deliverDueMail } from "~/notifications/outbox.server";
import { followProject } from "~/projects/projects.server";
import { translator } from "~/i18n/i18n.server";
import * as unsubscribeRoute from "~/routes/unsubscribe.$token";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { expectDomainError } from "./support/domain-errors";
import { linkIn } from "./support/smtp";
import { useTestSmtp } from "./support/smtp-transport";
import { formPost, routeArgs, routeContext, settle } from "./support/routes";

const TZ = "Asia/Jakarta";

const ORIGIN_URL = "http://127.0.0.1:3997";
let db: AppDb;
const smtp = useTestSmtp();
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

const queuedFor = (userId: number) => db.select().from(outbox).where(eq(outbox.userId, userId));
const deliver = () => deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });

describe("the e-mail choice", () => {
  it("is 'none' until the user chooses, and refuses anything but none, immediate or digest", async () => {
    const user = await makeUser(db);
    expect(await getEmailMode(db, user.id)).toBe("none");
    await setEmailMode(db, user.id, "immediate");
    expect(await getEmailMode(db, user.id)).toBe("immediate");
    await expectDomainError(() => setEmailMode(db, user.id, "hourly"), 400, "emailPrefs.modeRequired");
    expect(await getEmailMode(db, user.id)).toBe("immediate");
  });
});

describe("immediate notification e-mail", () => {
  it("queues one e-mail with the in-app notification, in the recipient's language, with one-click unsubscribe", async () => {
    const user = await makeUser(db, { locale: "en", displayName: "Budi Immediate" });
    await setEmailMode(db, user.id, "immediate");
    await notify(db, [user.id], "proposal_answer", "/projects/taman-kota/proposals/7", { title: "Lampu taman", status: "accepted" });
    expect(await queuedFor(user.id)).toHaveLength(1);
    expect((await queuedFor(user.id))[0]).toMatchObject({ kind: "notification", toAddress: user.email });
    await deliver();
    const mail = await smtp.server.waitFor((m) => m.to.includes(user.email!));
    expect(mail.subject).toBe("Your proposal “Lampu taman” was answered: accepted.");
    expect(mail.text).toContain("Hello Budi Immediate,");
    expect(mail.text).toContain(`${ORIGIN_URL}/projects/taman-kota/proposals/7`);
    expect(mail.html).toContain(`href="${ORIGIN_URL}/projects/taman-kota/proposals/7"`);
    const unsubscribe = linkIn(mail.text, "/unsubscribe/");
    expect(mail.headers["list-unsubscribe"]).toBe(`<${unsubscribe}>`);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("words a moderation decision as the notifications page does, with the outcome translated", async () => {
    const user = await makeUser(db, { locale: "en" });
    await setEmailMode(db, user.id, "immediate");
    await notify(db, [user.id], "appeal_decided", "/projects/p/threads/1", { title: "Lampu", outcome: "overturned", reason: "" });
    const t = translator("en");
    expect((await queuedFor(user.id))[0]!.subject).toBe(
      t("notifications.kinds.appeal_decided", { title: "Lampu", outcome: t("notifications.outcome.overturned") }),
    );
    expect((await queuedFor(user.id))[0]!.subject).not.toContain("overturned");
  });

  it("sends nothing to users who chose none or the digest, or whose address is not verified", async () => {
    const none = await makeUser(db);
    const digest = await makeUser(db);
    await setEmailMode(db, digest.id, "digest");
    const unverified = await makeUser(db, { emailVerifiedAt: null });
    await setEmailMode(db, unverified.id, "immediate");
    await notify(db, [none.id, digest.id, unverified.id], "content_approved", "/projects/x", { title: "Jalan" });
    expect((await Promise.all([none, digest, unverified].map((u) => queuedFor(u.id)))).flat()).toEqual([]);
    expect(await db.select().from(notifications).where(eq(notifications.link, "/projects/x"))).toHaveLength(3);
  });

  it("reaches the followers who chose it when a project changes phase, but not the one who made the change", async () => {
    const project = await makeProject(db);
    const [eager, quiet, planner] = [await makeUser(db), await makeUser(db), await makeUser(db, { role: "planner" })];
    for (const u of [eager, quiet, planner]) await followProject(db, u.id, project.id);
    await setEmailMode(db, eager.id, "immediate");
    await setEmailMode(db, planner.id, "immediate");
    await notifyFollowers(db, project.id, "phase_change", `/projects/${project.slug}#updates`, { title: project.title, phase: "review" }, planner.id);
    expect(await queuedFor(eager.id)).toHaveLength(1);
    // In the follower's language, the phase by its name.
    const t = translator("id");
    expect((await queuedFor(eager.id))[0]!.subject).toBe(t("notifications.kinds.phase_change", { title: project.title, phase: t("phases.review") }));
    expect((await queuedFor(eager.id))[0]!.subject).not.toContain("review");
    expect(await queuedFor(quiet.id)).toEqual([]);
    expect(await queuedFor(planner.id)).toEqual([]);
  });

  it("rolls back with the change that caused it", async () => {
    const user = await makeUser(db);
    await setEmailMode(db, user.id, "immediate");
    await expect(
      withWriteTx(db, async (tx) => {
        await notify(tx, [user.id], "content_approved", "/projects/y", { title: "Gagal" });
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(await queuedFor(user.id)).toEqual([]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, user.id))).toEqual([]);
  });
});

describe("unsubscribing", () => {
  async function subscribedUser(): Promise<User> {
    const user = await makeUser(db);
    await setEmailMode(db, user.id, "immediate");
    return user;
  }

  it("signs its links: another account's id or a changed signature is refused", async () => {
    const user = await subscribedUser();
    const token = await unsubscribeToken(db, user.id);
    expect(token).toMatch(new RegExp(`^${user.id}-[0-9a-f]{32}$`));
    expect(await readUnsubscribeToken(db, token)).toBe(user.id);
    const signature = token.split("-")[1]!;
    expect(await readUnsubscribeToken(db, `${user.id + 1}-${signature}`)).toBeNull();
    expect(await readUnsubscribeToken(db, `${user.id}-${signature.replace(/.$/, (c) => (c === "0" ? "1" : "0"))}`)).toBeNull();
    expect(await readUnsubscribeToken(db, "1-abc")).toBeNull();
    expect(await readUnsubscribeToken(db, "")).toBeNull();
  });

  it("keeps the same secret across restarts (stored once in the settings table) unless MAIL_TOKEN_SECRET is set", async () => {
    const first = await mailTokenSecret(db, {});
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(await mailTokenSecret(db, {})).toBe(first);
    expect(await mailTokenSecret(db, { MAIL_TOKEN_SECRET: "from-the-environment" })).toBe("from-the-environment");
  });

  it("shows a confirm page on GET and changes nothing", async () => {
    const user = await subscribedUser();
    const token = await unsubscribeToken(db, user.id);
    const page = await settle(() => unsubscribeRoute.loader(routeArgs(new Request(`http://localhost/unsubscribe/${token}`), routeContext(db), { token })));
    expect(page).toMatchObject({ status: 200, data: { valid: true, subscribed: true } });
    expect(await getEmailMode(db, user.id)).toBe("immediate");
  });

  it("unsubscribes on POST with the token alone, as a mail client's one-click does, without signing in", async () => {
    const user = await subscribedUser();
    await notify(db, [user.id], "content_approved", "/projects/z", { title: "Taman" });
    await deliver();
    const mail = await smtp.server.waitFor((m) => m.to.includes(user.email!));
    const link = mail.headers["list-unsubscribe"]!.slice(1, -1);
    const token = new URL(link).pathname.split("/").pop()!;
    const done = await settle(() =>
      unsubscribeRoute.action(
        routeArgs(formPost(`http://localhost/unsubscribe/${token}`, { "List-Unsubscribe": "One-Click" }), routeContext(db, null), { token }),
      ),
    );
    expect(done).toMatchObject({ status: 200, data: { ok: true } });
    expect(await getEmailMode(db, user.id)).toBe("none");
    await notify(db, [user.id], "content_approved", "/projects/z2", { title: "Taman" });
    expect((await queuedFor(user.id)).filter((m) => m.sentAt === null)).toEqual([]);
    // Again: harmless.
    expect(
      (await settle(() => unsubscribeRoute.action(routeArgs(formPost(`http://localhost/unsubscribe/${token}`, {}), routeContext(db), { token })))).status,
    ).toBe(200);
  });

  it("answers a forged token with the 'not valid' page on GET and POST", async () => {
    const user = await subscribedUser();
    const forged = `${user.id}-${"0".repeat(32)}`;
    expect(
      (await settle(() => unsubscribeRoute.loader(routeArgs(new Request(`http://localhost/unsubscribe/${forged}`), routeContext(db), { token: forged }))))
        .status,
    ).toBe(400);
    expect(
      (await settle(() => unsubscribeRoute.action(routeArgs(formPost(`http://localhost/unsubscribe/${forged}`, {}), routeContext(db), { token: forged }))))
        .status,
    ).toBe(400);
    expect(await getEmailMode(db, user.id)).toBe("immediate");
  });
});

describe("the daily digest", () => {
  async function digestUser() {
    const user = await makeUser(db, { displayName: `Pembaca Ringkasan ${Math.random().toString(36).slice(2, 7)}` });
    await setEmailMode(db, user.id, "digest");
    return user;
  }
  const digestsOf = (userId: number) =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.userId, userId), eq(outbox.kind, "digest")));

  it("mails the unread notifications since the choice, once, however often it runs", async () => {
    await notify(db, [(await makeUser(db)).id], "content_approved", "/a", { title: "Orang lain" });
    const user = await makeUser(db);
    await notify(db, [user.id], "content_approved", "/projects/sebelum", { title: "Sebelum memilih" });
    await setEmailMode(db, user.id, "digest");
    await notify(db, [user.id], "content_approved", "/projects/satu", { title: "Satu" });
    await notify(db, [user.id], "proposal_answer", "/projects/dua", { title: "Dua", status: "rejected" });
    const now = new Date(Date.now() + 1000);
    await queueDigests(db, TZ, now);
    await queueDigests(db, TZ, now);
    await queueDigests(db, TZ, new Date(now.getTime() + 60_000));
    const digests = await digestsOf(user.id);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("Rembug: 2 pemberitahuan baru");
    expect(digests[0]!.text).toContain("{{origin}}/projects/satu");
    expect(digests[0]!.text).toContain("{{origin}}/projects/dua");
    expect(digests[0]!.text).not.toContain("sebelum");
    expect(digests[0]!.text).not.toContain("Orang lain");
    expect(digests[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL, now: () => now });
    const mail = await smtp.server.waitFor((m) => m.to.includes(user.email!) && m.subject.startsWith("Rembug: 2"));
    expect(mail.html).toContain(`href="${ORIGIN_URL}/projects/dua"`);
  });

  it("sends the next digest a day later with only what is new, and nothing when nothing is", async () => {
    const user = await digestUser();
    await notify(db, [user.id], "content_approved", "/projects/hari-1", { title: "Hari satu" });
    const day1 = new Date(Date.now() + 1000);
    await queueDigests(db, TZ, day1);
    const day2 = new Date(day1.getTime() + DIGEST_MIN_INTERVAL_MS + 1000);
    await queueDigests(db, TZ, day2);
    expect(await digestsOf(user.id)).toHaveLength(1);
    await notify(db, [user.id], "content_approved", "/projects/hari-2", { title: "Hari dua" });
    await queueDigests(db, TZ, new Date(day1.getTime() + 60_000));
    expect(await digestsOf(user.id)).toHaveLength(1);
    await queueDigests(db, TZ, day2);
    const second = (await digestsOf(user.id))[1]!;
    expect(second.text).toContain("/projects/hari-2");
    expect(second.text).not.toContain("/projects/hari-1");
  });

  it("leaves out what the user already read in the app", async () => {
    const user = await digestUser();
    await notify(db, [user.id], "content_approved", "/projects/dibaca", { title: "Dibaca" });
    await markAllNotificationsRead(db, user.id);
    await queueDigests(db, TZ, new Date(Date.now() + 1000));
    expect(await digestsOf(user.id)).toEqual([]);
    const pref = (await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id)).limit(1))[0]!;
    expect(pref.digestAfterId).toBeGreaterThan(0);
  });

  it("skips unverified and erased accounts", async () => {
    const unverified = await makeUser(db, { emailVerifiedAt: null });
    await setEmailMode(db, unverified.id, "digest");
    await notify(db, [unverified.id], "content_approved", "/p", { title: "T" });
    const erased = await makeUser(db);
    await setEmailMode(db, erased.id, "digest");
    await notify(db, [erased.id], "content_approved", "/p", { title: "T" });
    await withWriteTx(db, async (tx) => {
      await tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, erased.id));
    });
    await queueDigests(db, TZ, new Date(Date.now() + 1000));
    expect(await digestsOf(unverified.id)).toEqual([]);
    expect(await digestsOf(erased.id)).toEqual([]);
  });
});
