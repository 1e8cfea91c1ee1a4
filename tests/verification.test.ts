import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { rows, type AppDb } from "~db/engine";
import { emailTokens, outbox, users, type User } from "~db/schema";
import { registerUser, createVerifiedUser } from "~/accounts/users.server";
import { resendVerification, verifyEmail } from "~/accounts/verification.server";
import { VERIFY_TOKEN_TTL_MS } from "~/accounts/email-tokens.server";
import { castVote } from "~/voting/voting.server";
import { supportProposal } from "~/proposals/proposals.server";
import { postComment } from "~/discussion/discussion.server";
import { participationState } from "~/projects/participation.server";
import { deliverDueMail } from "~/notifications/outbox.server";
import { setSetting } from "~/settings.server";
import * as confirmRoute from "~/routes/verify-email.$token";
import type { FieldError } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser, reloadUser } from "./support/factories";
import { makeProposal, makeThread } from "./support/more-factories";
import { expectDomainError, refusal } from "./support/domain-errors";
import { linkIn } from "./support/smtp";
import { useTestSmtp } from "./support/smtp-transport";
import { routeArgs, routeContext, settle } from "./support/routes";
import type { AppLocale } from "~/i18n/locale";

const ORIGIN_URL = "http://127.0.0.1:3999";
let db: AppDb;
const smtp = useTestSmtp();
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

let seq = 0;
async function registerResident(locale: AppLocale = "id"): Promise<User> {
  const email = `baru${++seq}-${Date.now()}@contoh.id`;
  return await registerUser(db, { displayName: `Warga Baru ${seq}`, email, password: "lampu jalan di gang mawar", locale });
}

/** Delivers the outbox and returns the verification mail the SMTP server received for `email`. */
async function verificationMail(email: string) {
  await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
  return smtp.server.waitFor((m) => m.to.includes(email) && m.text.includes("/verify-email/"));
}

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

async function follow(link: string, method: "GET" | "POST") {
  const url = new URL(link);
  // The confirm button posts the page's form, as a browser would (the server refuses bodies that are not forms).
  const body = method === "POST" ? new URLSearchParams({ intent: "verify" }) : undefined;
  const request = new Request(`http://localhost${url.pathname}${url.search}`, { method, body });
  const args = routeArgs(request, routeContext(db), { token: tokenOf(link) });
  // The page's data (GET), or the action's refusal of a link that cannot be used, whose `link` says why (POST).
  return settle<{ problem?: string | null; confirmed?: boolean; errors?: FieldError[] }>(() =>
    method === "GET" ? confirmRoute.loader(args) : confirmRoute.action(args),
  );
}

describe("e-mail verification", () => {
  it("sends a new account a link, in its language, that verifies it when followed and confirmed", async () => {
    const user = await registerResident();
    expect(user.emailVerifiedAt).toBeNull();
    const mail = await verificationMail(user.email!);
    expect(mail.subject).toBe("Konfirmasi alamat e-mail Anda untuk Rembug");
    expect(mail.text).toContain(`Halo ${user.displayName},`);
    expect(mail.text).toContain("48 jam");
    expect(mail.html).toContain("Konfirmasi alamat e-mail saya");
    const link = linkIn(mail.text, "/verify-email/");
    expect(link.startsWith(`${ORIGIN_URL}/verify-email/`)).toBe(true);

    // Opening the link (a mail scanner, a preview) changes nothing.
    const opened = await follow(link, "GET");
    expect(opened).toMatchObject({ status: 200, data: { problem: null } });
    expect((await reloadUser(db, user.id)).emailVerifiedAt).toBeNull();

    const confirmed = await follow(link, "POST");
    expect(confirmed.status).toBe(302);
    const landing = `${ORIGIN_URL}${confirmed.headers.get("Location")}`;
    expect(landing).toBe(`${link}?confirmed=1`);
    expect((await reloadUser(db, user.id)).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await follow(landing, "GET")).toMatchObject({ status: 200, data: { problem: null, confirmed: true } });
    // The same "confirmed" page is not to be had for a link that was never used.
    const other = await registerResident();
    const unused = linkIn((await verificationMail(other.email!)).text, "/verify-email/");
    expect(await follow(`${unused}?confirmed=1`, "GET")).toMatchObject({ status: 200, data: { problem: null, confirmed: false } });
  });

  it("writes to an English-speaking resident in English", async () => {
    const user = await registerResident("en");
    const mail = await verificationMail(user.email!);
    expect(mail.subject).toBe("Confirm your e-mail address for Rembug");
    expect(mail.text).toContain("The link works for 48 hours and only once.");
  });

  it("stores only a hash of the link's secret", async () => {
    const user = await registerResident();
    const token = tokenOf(linkIn((await verificationMail(user.email!)).text, "/verify-email/"));
    const row = (await db.select().from(emailTokens).where(eq(emailTokens.userId, user.id)).limit(1))[0]!;
    expect(token).toHaveLength(48);
    expect(row.id).toBe(token.slice(0, 16));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const everything =
      JSON.stringify(await rows(db, sql`select * from email_tokens`)) + JSON.stringify(await rows(db, sql`select * from outbox where sent_at is null`));
    expect(everything).not.toContain(token.slice(16));
  });

  it("works once: a reused link gets the 'already used' page", async () => {
    const user = await registerResident();
    const link = linkIn((await verificationMail(user.email!)).text, "/verify-email/");
    expect((await follow(link, "POST")).status).toBe(302);
    expect(await follow(link, "POST")).toMatchObject({ status: 410, data: { errors: [{ params: { link: "used" } }] } });
    expect(await follow(link, "GET")).toMatchObject({ status: 410, data: { problem: "used" } });
  });

  it("expires after 48 hours", async () => {
    const registeredAt = new Date();
    const user = await registerResident();
    const token = tokenOf(linkIn((await verificationMail(user.email!)).text, "/verify-email/"));
    expect(await refusal(() => verifyEmail(db, token, new Date(registeredAt.getTime() + VERIFY_TOKEN_TTL_MS + 1000)))).toEqual({
      status: 410,
      errors: { form: "links.expired.body" },
      params: { link: "expired" },
    });
    expect((await reloadUser(db, user.id)).emailVerifiedAt).toBeNull();
    expect(await verifyEmail(db, token, new Date(registeredAt.getTime() + VERIFY_TOKEN_TTL_MS - 60_000))).toEqual({ userId: user.id });
  });

  it("answers a forged or mangled link with the 'not valid' page and changes nothing", async () => {
    const user = await registerResident();
    const token = tokenOf(linkIn((await verificationMail(user.email!)).text, "/verify-email/"));
    const forged = token.slice(0, 16) + (token[16] === "a" ? "b" : "a") + token.slice(17);
    for (const bad of [forged, token.slice(0, 40), "abc", `${token}x`, "../../etc/passwd", token.toUpperCase()]) {
      expect(await follow(`${ORIGIN_URL}/verify-email/${encodeURIComponent(bad)}`, "POST"), bad).toMatchObject({
        status: 400,
        data: { errors: [{ params: { link: "invalid" } }] },
      });
    }
    expect((await reloadUser(db, user.id)).emailVerifiedAt).toBeNull();
  });

  it("sends a fresh link on request, a few times an hour at most", async () => {
    await setSetting(db, "rateVerificationResend", { limit: 2, windowSeconds: 3600 });
    const user = await registerResident();
    expect(await resendVerification(db, user)).toEqual({ sent: true });
    expect(await resendVerification(db, user)).toEqual({ sent: true });
    await expectDomainError(() => resendVerification(db, user), 429, "verifyEmail.resendLimited");
    const queued = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.userId, user.id), eq(outbox.kind, "verify_email")));
    expect(queued).toHaveLength(3);
    // Every link still works until one is used; then the others are spent too.
    await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
    const links = smtp.server.messages.filter((m) => m.to.includes(user.email!)).map((m) => linkIn(m.text, "/verify-email/"));
    expect(links).toHaveLength(3);
    expect((await follow(links[1]!, "POST")).status).toBe(302);
    expect((await follow(links[2]!, "POST")).data.errors?.[0]?.params.link).toBe("used");
    // A verified account gets nothing more.
    expect(await resendVerification(db, await reloadUser(db, user.id))).toEqual({ sent: false });
  });

  it("counts seeded and command-created accounts as verified", async () => {
    const admin = await createVerifiedUser(db, {
      displayName: "Admin",
      email: `admin${Date.now()}@kota.go.id`,
      password: "rapat kota hari kamis",
      role: "admin",
    });
    expect(admin.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await db.select().from(outbox).where(eq(outbox.userId, admin.id))).toEqual([]);
  });
});

describe("what an unverified account may do", () => {
  it("refuses a vote with accounts.refusal.unverified, and accepts it once verified", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db, { emailVerifiedAt: null });
    await expectDomainError(() => castVote(db, user, project.id, "support"), 403, "accounts.refusal.unverified");
    expect((await rows(db, sql`select count(*) n from votes where project_id = ${project.id}`))[0]).toEqual({ n: 0 });
    const verified = { ...user, emailVerifiedAt: new Date() };
    expect(await castVote(db, verified, project.id, "support")).toEqual({ changed: true, choice: "support" });
  });

  it("refuses a support with accounts.refusal.unverified", async () => {
    const author = await makeUser(db);
    const proposal = await makeProposal(db, author.id);
    const user = await makeUser(db, { emailVerifiedAt: null });
    await expectDomainError(() => supportProposal(db, user, proposal.id), 403, "accounts.refusal.unverified");
  });

  it("still lets them comment", async () => {
    const author = await makeUser(db);
    const thread = await makeThread(db, author.id);
    const user = await makeUser(db, { emailVerifiedAt: null });
    const comment = await postComment(db, user, thread.id, { body: "Saya setuju, asal trotoar tetap lebar." });
    expect(comment.authorId).toBe(user.id);
  });

  it("is told so by the vote box's state, while other forms stay open", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db, { emailVerifiedAt: null });
    expect(participationState(project, user, new Date(), { verified: true })).toEqual({ kind: "refused", key: "accounts.refusal.unverified", params: {} });
    expect(participationState(project, user, new Date())).toEqual({ kind: "open" });
  });

  it("keeps suspension first: a suspended, unverified account hears about the suspension", async () => {
    const project = await makeProject(db);
    const user = await makeUser(db, { emailVerifiedAt: null, suspendedUntil: new Date("9999-12-31T00:00:00Z") });
    await expectDomainError(() => castVote(db, user, project.id, "oppose"), 403, "accounts.refusal.suspendedPermanently");
    expect((await db.select().from(users).where(eq(users.id, user.id)).limit(1))[0]!.emailVerifiedAt).toBeNull();
  });
});
