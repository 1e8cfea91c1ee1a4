import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "~db/client";
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
let db: Db;
const smtp = useTestSmtp();
beforeAll(() => {
  db = freshDatabase().db;
});

const queuedFor = (userId: number) => db.select().from(outbox).where(eq(outbox.userId, userId)).all();
const deliver = () => deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });

describe("the e-mail choice", () => {
  it("is 'none' until the user chooses, and refuses anything but none, immediate or digest", async () => {
    const user = await makeUser(db);
    expect(getEmailMode(db, user.id)).toBe("none");
    setEmailMode(db, user.id, "immediate");
    expect(getEmailMode(db, user.id)).toBe("immediate");
    expectDomainError(() => setEmailMode(db, user.id, "hourly"), 400, "emailPrefs.modeRequired");
    expect(getEmailMode(db, user.id)).toBe("immediate");
  });
});

describe("immediate notification e-mail", () => {
  it("queues one e-mail with the in-app notification, in the recipient's language, with one-click unsubscribe", async () => {
    const user = await makeUser(db, { locale: "en", displayName: "Budi Immediate" });
    setEmailMode(db, user.id, "immediate");
    notify(db, [user.id], "proposal_answer", "/projects/taman-kota/proposals/7", { title: "Lampu taman", status: "accepted" });
    expect(queuedFor(user.id)).toHaveLength(1);
    expect(queuedFor(user.id)[0]).toMatchObject({ kind: "notification", toAddress: user.email });
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
    setEmailMode(db, user.id, "immediate");
    notify(db, [user.id], "appeal_decided", "/projects/p/threads/1", { title: "Lampu", outcome: "overturned", reason: "" });
    const t = translator("en");
    expect(queuedFor(user.id)[0]!.subject).toBe(t("notifications.kinds.appeal_decided", { title: "Lampu", outcome: t("notifications.outcome.overturned") }));
    expect(queuedFor(user.id)[0]!.subject).not.toContain("overturned");
  });

  it("sends nothing to users who chose none or the digest, or whose address is not verified", async () => {
    const none = await makeUser(db);
    const digest = await makeUser(db);
    setEmailMode(db, digest.id, "digest");
    const unverified = await makeUser(db, { emailVerifiedAt: null });
    setEmailMode(db, unverified.id, "immediate");
    notify(db, [none.id, digest.id, unverified.id], "content_approved", "/projects/x", { title: "Jalan" });
    expect([none, digest, unverified].flatMap((u) => queuedFor(u.id))).toEqual([]);
    expect(db.select().from(notifications).where(eq(notifications.link, "/projects/x")).all()).toHaveLength(3);
  });

  it("reaches the followers who chose it when a project changes phase, but not the one who made the change", async () => {
    const project = makeProject(db);
    const [eager, quiet, planner] = [await makeUser(db), await makeUser(db), await makeUser(db, { role: "planner" })];
    for (const u of [eager, quiet, planner]) followProject(db, u.id, project.id);
    setEmailMode(db, eager.id, "immediate");
    setEmailMode(db, planner.id, "immediate");
    notifyFollowers(db, project.id, "phase_change", `/projects/${project.slug}#updates`, { title: project.title, phase: "review" }, planner.id);
    expect(queuedFor(eager.id)).toHaveLength(1);
    // In the follower's language, the phase by its name.
    const t = translator("id");
    expect(queuedFor(eager.id)[0]!.subject).toBe(t("notifications.kinds.phase_change", { title: project.title, phase: t("phases.review") }));
    expect(queuedFor(eager.id)[0]!.subject).not.toContain("review");
    expect(queuedFor(quiet.id)).toEqual([]);
    expect(queuedFor(planner.id)).toEqual([]);
  });

  it("rolls back with the change that caused it", async () => {
    const user = await makeUser(db);
    setEmailMode(db, user.id, "immediate");
    expect(() =>
      db.$client.transaction(() => {
        notify(db, [user.id], "content_approved", "/projects/y", { title: "Gagal" });
        throw new Error("the caller's change failed");
      })(),
    ).toThrow("the caller's change failed");
    expect(queuedFor(user.id)).toEqual([]);
    expect(db.select().from(notifications).where(eq(notifications.userId, user.id)).all()).toEqual([]);
  });
});

describe("unsubscribing", () => {
  async function subscribedUser(): Promise<User> {
    const user = await makeUser(db);
    setEmailMode(db, user.id, "immediate");
    return user;
  }

  it("signs its links: another account's id or a changed signature is refused", async () => {
    const user = await subscribedUser();
    const token = unsubscribeToken(db, user.id);
    expect(token).toMatch(new RegExp(`^${user.id}-[0-9a-f]{32}$`));
    expect(readUnsubscribeToken(db, token)).toBe(user.id);
    const signature = token.split("-")[1]!;
    expect(readUnsubscribeToken(db, `${user.id + 1}-${signature}`)).toBeNull();
    expect(readUnsubscribeToken(db, `${user.id}-${signature.replace(/.$/, (c) => (c === "0" ? "1" : "0"))}`)).toBeNull();
    expect(readUnsubscribeToken(db, "1-abc")).toBeNull();
    expect(readUnsubscribeToken(db, "")).toBeNull();
  });

  it("keeps the same secret across restarts (stored once in the settings table) unless MAIL_TOKEN_SECRET is set", () => {
    const first = mailTokenSecret(db, {});
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(mailTokenSecret(db, {})).toBe(first);
    expect(mailTokenSecret(db, { MAIL_TOKEN_SECRET: "from-the-environment" })).toBe("from-the-environment");
  });

  it("shows a confirm page on GET and changes nothing", async () => {
    const user = await subscribedUser();
    const token = unsubscribeToken(db, user.id);
    const page = await settle(() => unsubscribeRoute.loader(routeArgs(new Request(`http://localhost/unsubscribe/${token}`), routeContext(db), { token })));
    expect(page).toMatchObject({ status: 200, data: { valid: true, subscribed: true } });
    expect(getEmailMode(db, user.id)).toBe("immediate");
  });

  it("unsubscribes on POST with the token alone, as a mail client's one-click does, without signing in", async () => {
    const user = await subscribedUser();
    notify(db, [user.id], "content_approved", "/projects/z", { title: "Taman" });
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
    expect(getEmailMode(db, user.id)).toBe("none");
    notify(db, [user.id], "content_approved", "/projects/z2", { title: "Taman" });
    expect(queuedFor(user.id).filter((m) => m.sentAt === null)).toEqual([]);
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
    expect(getEmailMode(db, user.id)).toBe("immediate");
  });
});

describe("the daily digest", () => {
  async function digestUser() {
    const user = await makeUser(db, { displayName: `Pembaca Ringkasan ${Math.random().toString(36).slice(2, 7)}` });
    setEmailMode(db, user.id, "digest");
    return user;
  }
  const digestsOf = (userId: number) =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.userId, userId), eq(outbox.kind, "digest")))
      .all();

  it("mails the unread notifications since the choice, once, however often it runs", async () => {
    notify(db, [(await makeUser(db)).id], "content_approved", "/a", { title: "Orang lain" });
    const user = await makeUser(db);
    notify(db, [user.id], "content_approved", "/projects/sebelum", { title: "Sebelum memilih" });
    setEmailMode(db, user.id, "digest");
    notify(db, [user.id], "content_approved", "/projects/satu", { title: "Satu" });
    notify(db, [user.id], "proposal_answer", "/projects/dua", { title: "Dua", status: "rejected" });
    const now = new Date(Date.now() + 1000);
    queueDigests(db, TZ, now);
    queueDigests(db, TZ, now);
    queueDigests(db, TZ, new Date(now.getTime() + 60_000));
    const digests = digestsOf(user.id);
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
    notify(db, [user.id], "content_approved", "/projects/hari-1", { title: "Hari satu" });
    const day1 = new Date(Date.now() + 1000);
    queueDigests(db, TZ, day1);
    const day2 = new Date(day1.getTime() + DIGEST_MIN_INTERVAL_MS + 1000);
    queueDigests(db, TZ, day2);
    expect(digestsOf(user.id)).toHaveLength(1);
    notify(db, [user.id], "content_approved", "/projects/hari-2", { title: "Hari dua" });
    queueDigests(db, TZ, new Date(day1.getTime() + 60_000));
    expect(digestsOf(user.id)).toHaveLength(1);
    queueDigests(db, TZ, day2);
    const second = digestsOf(user.id)[1]!;
    expect(second.text).toContain("/projects/hari-2");
    expect(second.text).not.toContain("/projects/hari-1");
  });

  it("leaves out what the user already read in the app", async () => {
    const user = await digestUser();
    notify(db, [user.id], "content_approved", "/projects/dibaca", { title: "Dibaca" });
    markAllNotificationsRead(db, user.id);
    queueDigests(db, TZ, new Date(Date.now() + 1000));
    expect(digestsOf(user.id)).toEqual([]);
    const pref = db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id)).get()!;
    expect(pref.digestAfterId).toBeGreaterThan(0);
  });

  it("skips unverified and erased accounts", async () => {
    const unverified = await makeUser(db, { emailVerifiedAt: null });
    setEmailMode(db, unverified.id, "digest");
    notify(db, [unverified.id], "content_approved", "/p", { title: "T" });
    const erased = await makeUser(db);
    setEmailMode(db, erased.id, "digest");
    notify(db, [erased.id], "content_approved", "/p", { title: "T" });
    db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, erased.id)).run();
    queueDigests(db, TZ, new Date(Date.now() + 1000));
    expect(digestsOf(unverified.id)).toEqual([]);
    expect(digestsOf(erased.id)).toEqual([]);
  });
});
