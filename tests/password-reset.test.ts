import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { outbox, sessions, users } from "~db/schema";
import { resetPassword } from "~/accounts/password-reset.server";
import { RESET_TOKEN_TTL_MS } from "~/accounts/email-tokens.server";
import { authenticate } from "~/accounts/users.server";
import { createSession, validateSessionToken } from "~/accounts/session.server";
import { deliverDueMail } from "~/notifications/outbox.server";
import { setSetting } from "~/settings.server";
import * as forgotRoute from "~/routes/forgot-password";
import * as resetRoute from "~/routes/reset-password.$token";
import type { FieldError, FormFailure } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { refusalAsync } from "./support/domain-errors";
import { makeUser, reloadUser, TEST_PASSWORD } from "./support/factories";
import { linkIn } from "./support/smtp";
import { useTestSmtp } from "./support/smtp-transport";
import { formPost, routeArgs, routeContext, settle } from "./support/routes";

const ORIGIN_URL = "http://127.0.0.1:3998";
const NEW_PASSWORD = "payung biru di teras rumah";
let db: AppDb;
const smtp = useTestSmtp();
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

let address = 0;
/** Each request from its own client address, so the per-address limit is not what is tested. */
const nextAddress = () => `10.0.0.${++address}`;

async function forgot(email: string, clientAddress = nextAddress()) {
  return settle<{ ok: boolean; email?: string; errors?: FieldError[] }>(() =>
    forgotRoute.action(routeArgs(formPost("http://localhost/forgot-password", { email }), routeContext(db, null, { clientAddress }))),
  );
}

async function resetLinkFor(email: string) {
  await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
  const mail = await smtp.server.waitFor((m) => m.to.includes(email) && m.text.includes("/reset-password/"));
  return linkIn(mail.text, "/reset-password/");
}

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

describe("/forgot-password", () => {
  it("answers the same for an unknown address as for a known one, and mails only the known one", async () => {
    const user = await makeUser(db);
    const known = await forgot(user.email!);
    const unknown = await forgot("tidak-ada-akun@contoh.id");
    expect(known).toEqual({ ...unknown, data: { ...unknown.data, email: user.email } });
    expect(known.status).toBe(200);
    expect(known.data.ok).toBe(true);
    expect(await db.select().from(outbox).where(eq(outbox.toAddress, "tidak-ada-akun@contoh.id"))).toEqual([]);
    const mail = await smtp.server.waitFor((m) => m.to.includes(user.email!) && m.text.includes("/reset-password/"), 1).catch(() => null);
    expect(mail).toBeNull();
    const link = await resetLinkFor(user.email!);
    expect(link.startsWith(`${ORIGIN_URL}/reset-password/`)).toBe(true);
  });

  it("writes the reset mail in the account's language, saying the link works for an hour", async () => {
    const user = await makeUser(db, { locale: "en" });
    await forgot(user.email!);
    await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
    const mail = await smtp.server.waitFor((m) => m.to.includes(user.email!));
    expect(mail.subject).toBe("Set a new password for Rembug");
    expect(mail.text).toContain("The link works for 60 minutes and only once.");
  });

  it("answers the same, and sends nothing more, once an account had its few links this hour", async () => {
    await setSetting(db, "ratePasswordResetPerAccount", { limit: 2, windowSeconds: 3600 });
    const user = await makeUser(db);
    const answers = [await forgot(user.email!), await forgot(user.email!), await forgot(user.email!)];
    expect(answers.map((a) => a.data.ok)).toEqual([true, true, true]);
    expect(await db.select().from(outbox).where(eq(outbox.toAddress, user.email!))).toHaveLength(2);
    await setSetting(db, "ratePasswordResetPerAccount", { limit: 3, windowSeconds: 3600 });
  });

  it("refuses a malformed address with a message, keeping what was typed", async () => {
    const answer = await forgot("bukan-alamat");
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ ok: false, errors: [{ field: "email", key: "errors.emailInvalid" }], values: { email: "bukan-alamat" } });
  });
});

describe("/reset-password/<token>", () => {
  async function submit(link: string, password: string) {
    const url = new URL(link);
    return settle<FormFailure>(() =>
      resetRoute.action(routeArgs(formPost(`http://localhost${url.pathname}`, { password }), routeContext(db), { token: tokenOf(link) })),
    );
  }

  it("sets the new password, ends every session and sends the person to sign in", async () => {
    const user = await makeUser(db);
    const phone = await createSession(db, user.id);
    const laptop = await createSession(db, user.id);
    await forgot(user.email!);
    const link = await resetLinkFor(user.email!);

    const page = await settle(() =>
      resetRoute.loader(routeArgs(new Request(`http://localhost${new URL(link).pathname}`), routeContext(db), { token: tokenOf(link) })),
    );
    expect(page).toMatchObject({ status: 200, data: { problem: null } });

    const done = await submit(link, NEW_PASSWORD);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login?reset=1");
    expect(done.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(await validateSessionToken(db, phone.token)).toBeNull();
    expect(await validateSessionToken(db, laptop.token)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect(await authenticate(db, user.email!, TEST_PASSWORD)).toBeNull();
    expect((await authenticate(db, user.email!, NEW_PASSWORD))?.id).toBe(user.id);
  });

  it("works once", async () => {
    const user = await makeUser(db);
    await forgot(user.email!);
    const link = await resetLinkFor(user.email!);
    expect((await submit(link, NEW_PASSWORD)).status).toBe(302);
    expect(await submit(link, "another sentence entirely")).toMatchObject({ status: 410, data: { errors: [{ params: { link: "used" } }] } });
    expect((await authenticate(db, user.email!, NEW_PASSWORD))?.id).toBe(user.id);
  });

  it("expires after one hour", async () => {
    const user = await makeUser(db);
    const asked = new Date();
    await forgot(user.email!);
    const token = tokenOf(await resetLinkFor(user.email!));
    expect(await refusalAsync(() => resetPassword(db, token, NEW_PASSWORD, new Date(asked.getTime() + RESET_TOKEN_TTL_MS + 1000)))).toEqual({
      status: 410,
      errors: { form: "links.expired.body" },
      params: { link: "expired" },
    });
    expect((await authenticate(db, user.email!, TEST_PASSWORD))?.id).toBe(user.id);
    expect(await resetPassword(db, token, NEW_PASSWORD, new Date(asked.getTime() + RESET_TOKEN_TTL_MS - 60_000))).toEqual({ userId: user.id });
  });

  it("answers a forged link with the 'not valid' page", async () => {
    const user = await makeUser(db);
    await forgot(user.email!);
    const link = await resetLinkFor(user.email!);
    const forged = link.slice(0, -1) + (link.endsWith("a") ? "b" : "a");
    expect(await submit(forged, NEW_PASSWORD)).toMatchObject({ status: 400, data: { errors: [{ params: { link: "invalid" } }] } });
    expect((await authenticate(db, user.email!, TEST_PASSWORD))?.id).toBe(user.id);
  });

  it("refuses a weak password and keeps the link usable", async () => {
    const user = await makeUser(db);
    await forgot(user.email!);
    const link = await resetLinkFor(user.email!);
    expect(await submit(link, "pendek")).toMatchObject({ status: 400, data: { errors: [{ field: "password", key: "errors.passwordTooShort", params: {} }] } });
    expect(await submit(link, "1234567890")).toMatchObject({ status: 400, data: { errors: [{ field: "password", key: "errors.passwordWeak" }] } });
    expect((await submit(link, NEW_PASSWORD)).status).toBe(302);
  });

  it("counts the address as verified: the link reached it", async () => {
    const user = await makeUser(db, { emailVerifiedAt: null });
    await forgot(user.email!);
    expect((await submit(await resetLinkFor(user.email!), NEW_PASSWORD)).status).toBe(302);
    expect((await reloadUser(db, user.id)).emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("sends nothing to an erased account", async () => {
    const user = await makeUser(db, { deletedAt: new Date() });
    await forgot(user.email!);
    expect(await db.select().from(outbox).where(eq(outbox.userId, user.id))).toEqual([]);
    expect((await db.select().from(users).where(eq(users.id, user.id)).limit(1))[0]!.passwordHash).toBe(user.passwordHash);
  });
});
