import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { outbox, sessions, users } from "~db/schema";
import { signIn } from "~/accounts/sign-in.server";
import * as registerRoute from "~/routes/register";
import { freshDatabase } from "./support/db";
import { makeUser, reloadUser, TEST_PASSWORD } from "./support/factories";
import { formPost, routeArgs, routeContext, settle } from "./support/routes";

/**
 * The penetration test: /register answered 409 "already registered", telling anyone which
 * addresses have accounts, where sign-in and reset tell nothing. Now it answers the same page
 * either way, and the owner of a registered address hears of the attempt by e-mail.
 */
let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

let seq = 0;
const PASSWORD = "payung hijau di sore hari";

async function register(fields: { displayName?: string; email: string; password?: string }) {
  const request = formPost("http://localhost/register", {
    intent: "register",
    displayName: fields.displayName ?? "Dewi Lestari",
    email: fields.email,
    password: fields.password ?? PASSWORD,
    areaId: "",
  });
  const started = performance.now();
  const answer = await settle<Record<string, unknown>>(() =>
    registerRoute.action(routeArgs(request, routeContext(db, null, { clientAddress: `10.1.0.${++seq}` }))),
  );
  return { ...answer, ms: performance.now() - started };
}

const mailTo = (email: string) => db.select().from(outbox).where(eq(outbox.toAddress, email));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("signing up with an address", () => {
  it("answers a registered address exactly as a new one: same status, same page, no cookie", async () => {
    const owner = await makeUser(db);
    const fresh = `baru${++seq}@contoh.id`;
    const forNew = await register({ email: fresh });
    const forRegistered = await register({ email: owner.email! });
    expect(forNew.status).toBe(200);
    expect(forRegistered.status).toBe(forNew.status);
    const swap = (data: unknown, from: string, to: string) => JSON.parse(JSON.stringify(data).split(from).join(to));
    expect(forRegistered.data).toEqual(swap(forNew.data, fresh, owner.email!));
    expect(forNew.data).toMatchObject({ sent: { email: fresh } });
    for (const answer of [forNew, forRegistered]) {
      expect(answer.headers.get("Set-Cookie")).toBeNull();
      expect(answer.headers.get("Location")).toBeNull();
    }
  });

  it("takes about as long for a registered address as for a new one (one password hash each)", async () => {
    const owner = await makeUser(db);
    const times = { fresh: [] as number[], registered: [] as number[] };
    for (let i = 0; i < 3; i++) {
      times.fresh.push((await register({ email: `zaman${++seq}@contoh.id` })).ms);
      times.registered.push((await register({ email: owner.email! })).ms);
    }
    expect(median(times.registered)).toBeGreaterThan(median(times.fresh) * 0.4);
  });

  it("tells the owner of a registered address by e-mail, in their language, and changes nothing else", async () => {
    const owner = await makeUser(db, { locale: "en" });
    const usersBefore = (await db.select().from(users)).length;
    await register({ email: owner.email!.toUpperCase(), displayName: "Someone Else" });
    expect(await db.select().from(users)).toHaveLength(usersBefore);
    expect(await reloadUser(db, owner.id)).toEqual(owner);
    const [notice, ...more] = await mailTo(owner.email!);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ kind: "account_notice", userId: owner.id, subject: "Someone tried to register with your address on Rembug" });
    expect(notice!.text).toContain("{{origin}}/login");
    expect(notice!.text).toContain("{{origin}}/forgot-password");
    expect(notice!.text).not.toContain(PASSWORD);
    expect(notice!.text).not.toContain("Someone Else");
  });

  it("sends the owner a few such e-mails an hour at most, while the page keeps answering the same", async () => {
    const owner = await makeUser(db);
    for (let i = 0; i < 5; i++) expect((await register({ email: owner.email! })).status).toBe(200);
    expect((await mailTo(owner.email!)).filter((m) => m.kind === "account_notice")).toHaveLength(3);
  });

  it("creates a new address's account, mails its verification link and lets it sign in", async () => {
    const email = `warga.baru${++seq}@contoh.id`;
    expect(await register({ email })).toMatchObject({ status: 200, data: { sent: { email } } });
    const account = (await db.select().from(users).where(eq(users.email, email)).limit(1))[0]!;
    expect(account.emailVerifiedAt).toBeNull();
    expect(
      await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.toAddress, email), eq(outbox.kind, "verify_email"))),
    ).toHaveLength(1);
    expect(await db.select().from(sessions).where(eq(sessions.userId, account.id))).toEqual([]);
    expect((await signIn({ db, clientAddress: "10.1.9.9" }, { email, password: PASSWORD })).step).toBe("session");
  });

  it("answers bad input the same for a registered address, keeping what was typed", async () => {
    const owner = await makeUser(db);
    const weakForRegistered = await register({ email: owner.email!, password: "bismillah1" });
    const weakForNew = await register({ email: `lemah${++seq}@contoh.id`, password: "bismillah1" });
    for (const answer of [weakForRegistered, weakForNew]) {
      expect(answer).toMatchObject({
        status: 400,
        data: { ok: false, errors: [{ field: "password", key: "errors.passwordWeak", params: {} }], values: { displayName: "Dewi Lestari" } },
      });
    }
    expect(await mailTo(owner.email!)).toEqual([]);
    expect((await signIn({ db, clientAddress: "10.1.9.8" }, { email: owner.email!, password: TEST_PASSWORD })).step).toBe("session");
  });

  it("answers every wrong field at once: a malformed address and a weak password, each next to its field", async () => {
    const answer = await register({ email: "bukan-alamat", password: "bismillah1" });
    expect(answer).toMatchObject({
      status: 400,
      data: {
        ok: false,
        errors: [
          { field: "email", key: "errors.emailInvalid", params: {} },
          { field: "password", key: "errors.passwordWeak", params: {} },
        ],
        values: { email: "bukan-alamat", displayName: "Dewi Lestari" },
      },
    });
    expect(JSON.stringify(answer.data)).not.toContain("bismillah1");
    expect(await mailTo("bukan-alamat")).toEqual([]);
  });
});
