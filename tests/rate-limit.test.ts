import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { closeAppDatabase, withWriteTx, type AppDb } from "~db/engine";
import { rateLimits, sessions } from "~db/schema";
import { clearFailures, rateLimit, recordFailure } from "~/rate-limit.server";
import { setSetting } from "~/settings.server";
import { signIn } from "~/accounts/sign-in.server";
import { signInFailureKey } from "~/accounts/rate-keys.server";
import { validateSessionToken } from "~/accounts/session.server";
import { freshDatabase } from "./support/db";
import { refusalAsync } from "./support/domain-errors";
import { makeUser, TEST_PASSWORD } from "./support/factories";

let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

const rule = { limit: 3, windowSeconds: 60 };
const t0 = new Date("2026-05-01T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("rateLimit", () => {
  it("allows `limit` calls in a window, then refuses with the seconds left", async () => {
    expect(await rateLimit(db, "k:allow", rule, at(0))).toEqual({ ok: true, remaining: 2 });
    expect(await rateLimit(db, "k:allow", rule, at(10))).toEqual({ ok: true, remaining: 1 });
    expect(await rateLimit(db, "k:allow", rule, at(20))).toEqual({ ok: true, remaining: 0 });
    expect(await rateLimit(db, "k:allow", rule, at(25))).toEqual({ ok: false, retryAfterSeconds: 35 });
    expect(await rateLimit(db, "k:allow", rule, at(59))).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("starts afresh in the next window", async () => {
    for (let i = 0; i < 3; i++) expect((await rateLimit(db, "k:reset", rule, at(i))).ok).toBe(true);
    expect((await rateLimit(db, "k:reset", rule, at(30))).ok).toBe(false);
    expect(await rateLimit(db, "k:reset", rule, at(60))).toEqual({ ok: true, remaining: 2 });
    expect(await rateLimit(db, "k:reset", rule, at(61))).toEqual({ ok: true, remaining: 1 });
  });

  it("does not count refused calls towards the next window", async () => {
    for (let i = 0; i < 3; i++) await rateLimit(db, "k:refused", rule, at(i));
    for (let i = 0; i < 10; i++) expect((await rateLimit(db, "k:refused", rule, at(10 + i))).ok).toBe(false);
    expect(await rateLimit(db, "k:refused", rule, at(60))).toEqual({ ok: true, remaining: 2 });
  });

  it("keeps separate counters for separate keys", async () => {
    for (let i = 0; i < 3; i++) await rateLimit(db, "k:one", rule, at(i));
    expect((await rateLimit(db, "k:one", rule, at(5))).ok).toBe(false);
    expect(await rateLimit(db, "k:two", rule, at(5))).toEqual({ ok: true, remaining: 2 });
  });

  it("shares counters between two connections to the same database file", async () => {
    const file = await freshDatabase();
    const a = file.db;
    const b = file.open();
    expect((a as unknown as Db).$client).not.toBe((b as unknown as Db).$client);
    expect((await rateLimit(a, "k:shared", rule, at(0))).ok).toBe(true);
    expect(await rateLimit(b, "k:shared", rule, at(1))).toEqual({ ok: true, remaining: 1 });
    expect(await rateLimit(a, "k:shared", rule, at(2))).toEqual({ ok: true, remaining: 0 });
    expect((await rateLimit(b, "k:shared", rule, at(3))).ok).toBe(false);
    expect((await rateLimit(a, "k:shared", rule, at(3))).ok).toBe(false);
    await closeAppDatabase(b);
  });
});

describe("recordFailure and clearFailures", () => {
  it("gives the free failures no delay, then 1, 2, 4 … seconds, capped at 15 minutes", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) delays.push(await recordFailure(db, "f:grow", 3, at(i * 1000)));
    expect(delays).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });

  it("refuses a blocked key in rateLimit until the block ends", async () => {
    for (let i = 0; i < 3; i++) expect(await recordFailure(db, "f:block", 1, at(0))).toBe(i === 0 ? 0 : i === 1 ? 1 : 2);
    // Blocked for 2 s from t0, even though no window limit has been reached.
    expect(await rateLimit(db, "f:block", { limit: 1000, windowSeconds: 60 }, at(1))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect((await rateLimit(db, "f:block", { limit: 1000, windowSeconds: 60 }, at(2))).ok).toBe(true);
  });

  it("clearFailures lifts the block and restarts the count", async () => {
    for (let i = 0; i < 6; i++) await recordFailure(db, "f:clear", 3, at(0));
    expect((await rateLimit(db, "f:clear", { limit: 100, windowSeconds: 60 }, at(1))).ok).toBe(false);
    await clearFailures(db, "f:clear");
    const row = (await db.select().from(rateLimits).where(eq(rateLimits.key, "f:clear")).limit(1))[0];
    expect(row).toMatchObject({ failures: 0, blockedUntil: null });
    expect((await rateLimit(db, "f:clear", { limit: 100, windowSeconds: 60 }, at(1))).ok).toBe(true);
    expect(await recordFailure(db, "f:clear", 3, at(2))).toBe(0);
  });
});

describe("signIn", () => {
  let address = 0;
  // Each test signs in from its own address so the per-address limit never interferes.
  const ctx = (signInDb: AppDb) => ({ db: signInDb, clientAddress: `10.0.0.${++address}` });

  it("once failures from many addresses spend the per-account ceiling, an address that failed waits, others still sign in", async () => {
    const signInDb = (await freshDatabase()).db;
    await setSetting(signInDb, "rateSignInPerAccount", { limit: 3, windowSeconds: 900 });
    const user = await makeUser(signInDb);
    // Three guessers, one wrong password each: the ceiling is spent.
    const guessers = [ctx(signInDb), ctx(signInDb), ctx(signInDb)];
    for (const guesser of guessers)
      expect(await refusalAsync(() => signIn(guesser, { email: user.email!, password: "tebakan yang salah" }))).toMatchObject({ status: 400 });
    // A guesser that already failed waits for the window, even with the right password (and the e-mail in capitals).
    const refused = await refusalAsync(() => signIn(guessers[0]!, { email: user.email!.toUpperCase(), password: TEST_PASSWORD }));
    expect(refused).toMatchObject({ status: 429, errors: { form: "errors.rateLimited" } });
    expect(refused.params.seconds).toBeGreaterThan(60);
    expect(await signInDb.select().from(sessions)).toHaveLength(0);
    // The owner, from an address that has not failed, is let through.
    expect((await signIn(ctx(signInDb), { email: user.email!, password: TEST_PASSWORD })).step).toBe("session");
  });

  it("refuses with 429 after the per-address limit, whatever the account", async () => {
    const signInDb = (await freshDatabase()).db;
    await setSetting(signInDb, "rateSignInPerAddress", { limit: 2, windowSeconds: 900 });
    const user = await makeUser(signInDb);
    const context = ctx(signInDb);
    expect(await refusalAsync(() => signIn(context, { email: "a@contoh.id", password: "salah salah salah" }))).toMatchObject({ status: 400 });
    expect(await refusalAsync(() => signIn(context, { email: "b@contoh.id", password: "salah salah salah" }))).toMatchObject({ status: 400 });
    expect(await refusalAsync(() => signIn(context, { email: user.email!, password: TEST_PASSWORD }))).toMatchObject({ status: 429 });
    expect((await signIn(ctx(signInDb), { email: user.email!, password: TEST_PASSWORD })).step).toBe("session");
  });

  it("answers a wrong password and an unknown e-mail alike, with 400 errors.credentials", async () => {
    const signInDb = (await freshDatabase()).db;
    const user = await makeUser(signInDb);
    const known = await refusalAsync(() => signIn(ctx(signInDb), { email: user.email!, password: "bukan kata sandinya" }));
    const unknown = await refusalAsync(() => signIn(ctx(signInDb), { email: "tidak.terdaftar@contoh.id", password: "bukan kata sandinya" }));
    expect(known).toEqual({ status: 400, errors: { form: "errors.credentials" }, params: {} });
    expect(unknown).toEqual(known);
    expect(await signInDb.select().from(sessions)).toHaveLength(0);
  });

  it("creates a valid session on success", async () => {
    const signInDb = (await freshDatabase()).db;
    const user = await makeUser(signInDb);
    const result = await signIn(ctx(signInDb), { email: user.email!, password: TEST_PASSWORD });
    expect(result.step).toBe("session");
    if (result.step === "session") expect((await validateSessionToken(signInDb, result.token))?.user.id).toBe(user.id);
  });

  it("blocks an account from one address after its free failures, even for the right password, and clears on success", async () => {
    const signInDb = (await freshDatabase()).db;
    await setSetting(signInDb, "signInFreeFailures", 1);
    const user = await makeUser(signInDb);
    const from = ctx(signInDb);
    const key = signInFailureKey(user.email!, from.clientAddress);
    const row = async () => (await signInDb.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1))[0];

    expect(await refusalAsync(() => signIn(from, { email: user.email!, password: "salah pertama" }))).toMatchObject({ status: 400 });
    expect(await row()).toMatchObject({ failures: 1, blockedUntil: null }); // the free one
    expect(await refusalAsync(() => signIn(from, { email: user.email!, password: "salah kedua" }))).toMatchObject({ status: 400 });
    const blockedUntil = (await row())!.blockedUntil!;
    expect(blockedUntil.getTime()).toBeGreaterThan(Date.now());
    expect(blockedUntil.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const blocked = await refusalAsync(() => signIn(from, { email: user.email!, password: TEST_PASSWORD }));
    expect(blocked).toMatchObject({ status: 429, errors: { form: "errors.rateLimited" }, params: { seconds: 1 } });

    // Once the block has passed, the right password works and the failures are forgotten.
    await withWriteTx(signInDb, async (tx) => {
      await tx
        .update(rateLimits)
        .set({ blockedUntil: new Date(Date.now() - 1000) })
        .where(eq(rateLimits.key, key));
    });
    expect((await signIn(from, { email: user.email!, password: TEST_PASSWORD })).step).toBe("session");
    expect(await row()).toMatchObject({ failures: 0, blockedUntil: null });
  });

  it("asks for both fields before touching any counter", async () => {
    const signInDb = (await freshDatabase()).db;
    const result = await refusalAsync(() => signIn(ctx(signInDb), { email: "  ", password: "" }));
    expect(result).toEqual({ status: 400, errors: { email: "errors.required", password: "errors.required" }, params: {} });
    expect(await signInDb.select().from(rateLimits)).toHaveLength(0);
  });
});
