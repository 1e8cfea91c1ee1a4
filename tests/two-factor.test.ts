import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { eq } from "drizzle-orm";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { AppDb } from "~db/engine";
import { moderationLog, outbox, rateLimits, recoveryCodes, sessions, settings, signInChallenges, twoFactors, type User } from "~db/schema";
import { signIn } from "~/accounts/sign-in.server";
import { currentUser, requireRole, requireSignedIn, requireUser } from "~/http/guards.server";
import { eraseAccountData } from "~/accounts/erasure.server";
import {
  CHALLENGE_MAX_ATTEMPTS,
  completeSignIn,
  confirmEnrolment,
  disableSecondFactor,
  enrolmentFor,
  hasSecondFactor,
  mustEnrolFirst,
  renewRecoveryCodes,
  resetSecondFactor,
  type FactorConfig,
} from "~/accounts/two-factor.server";
import { MissingTwoFactorKeyError, twoFactorKey, UnreadableSecretError, decryptSecret } from "~/accounts/two-factor-key.server";
import { validateSessionToken } from "~/accounts/session.server";
import { setSetting } from "~/settings.server";
import { action as codeAction } from "~/routes/login_.code";
import { action as loginAction } from "~/routes/login";
import { action as enrolAction, loader as enrolLoader } from "~/routes/account.two-factor";
import type { FormFailure } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { refusal, refusalAsync } from "./support/domain-errors";
import { makeUser, TEST_PASSWORD } from "./support/factories";
import { formPost, routeArgs, routeContext, settle } from "./support/routes";

const ROOT = resolve(__dirname, "..");
const DEMO: FactorConfig = { production: false, demo: true };
/** A real deployment; the key comes from TWO_FACTOR_KEY there, which these tests do not set, so they use the demo for codes. */
const PRODUCTION: FactorConfig = { production: true, demo: false };
const T0 = new Date("2026-03-02T03:00:00Z");
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const step = (now: Date) => BigInt(Math.floor(now.getTime() / 30_000));

/** What the person's authenticator app shows at `now` for the secret they typed in. */
function appCode(secretText: string, now: Date, offsetSteps = 0) {
  const secret = decodeBase32IgnorePadding(secretText.replace(/\s/g, ""));
  return generateHOTP(secret, step(now) + BigInt(offsetSteps), 6);
}

async function enrolled(db: AppDb, role: User["role"] = "moderator", now = T0) {
  const user = await makeUser(db, { role });
  const enrolment = (await enrolmentFor(db, DEMO, user))!;
  const confirmed = await confirmEnrolment(db, DEMO, user, appCode(enrolment.secretText, now), now);
  return { user, secretText: enrolment.secretText, recovery: confirmed.recoveryCodes };
}

const ctx = (db: AppDb, clientAddress = "198.51.100.7") => ({ db, clientAddress });

async function challengeFor(db: AppDb, user: User, now: Date) {
  const result = await signIn(ctx(db), { email: user.email!, password: TEST_PASSWORD }, now);
  if (result.step !== "second-factor") throw new Error(`expected a second-factor challenge, got ${JSON.stringify(result)}`);
  return result.challengeToken;
}

describe("enrolment", () => {
  it("offers staff a secret as text and as an otpauth URI, the same one on reload, and nothing to residents", async () => {
    const { db } = await freshDatabase();
    const moderator = await makeUser(db, { role: "moderator" });
    const first = (await enrolmentFor(db, DEMO, moderator))!;
    expect(first.secretText).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/); // 160 bits in groups of four
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/Rembug:/);
    expect(first.uri).toContain(`secret=${first.secretText.replace(/ /g, "")}`);
    expect(first.uri).toMatch(/period=30/);
    expect(first.uri).toMatch(/digits=6/);
    expect(await enrolmentFor(db, DEMO, moderator)).toEqual(first);
    expect((await enrolmentFor(db, DEMO, moderator, { fresh: true }))!.secretText).not.toBe(first.secretText);
    expect(await hasSecondFactor(db, moderator.id)).toBe(false); // not before a first code

    for (const role of ["planner", "admin"] as const) expect(await enrolmentFor(db, DEMO, await makeUser(db, { role }))).not.toBeNull();
    const resident = await makeUser(db);
    expect(await enrolmentFor(db, DEMO, resident)).toBeNull();
    expect(await refusal(() => confirmEnrolment(db, DEMO, resident, "123456"))).toMatchObject({ status: 400 });
  });

  it("keeps the secret encrypted at rest, bound to its account", async () => {
    const { db } = await freshDatabase();
    const user = await makeUser(db, { role: "planner" });
    const { secretText } = (await enrolmentFor(db, DEMO, user))!;
    const row = (await db.select().from(twoFactors).where(eq(twoFactors.userId, user.id)).limit(1))[0]!;
    const plain = secretText.replace(/ /g, "");
    expect(row.secretCipher).toMatch(/^v1\./);
    expect(row.secretCipher.toUpperCase()).not.toContain(plain);
    expect(JSON.stringify(await db.select().from(twoFactors))).not.toContain(plain);
    const key = await twoFactorKey(db, DEMO);
    expect(decryptSecret(key, row.secretCipher, user.id)).toEqual(decodeBase32IgnorePadding(plain));
    // Copied onto another account's row, it does not open.
    expect(() => decryptSecret(key, row.secretCipher, user.id + 1)).toThrow(UnreadableSecretError);
  });

  it("confirms with a first code from the app, gives ten recovery codes once, stores only their hashes and mails the owner", async () => {
    const { db } = await freshDatabase();
    const user = await makeUser(db, { role: "moderator" });
    const { secretText } = (await enrolmentFor(db, DEMO, user))!;
    expect(await refusal(() => confirmEnrolment(db, DEMO, user, "000000", T0))).toMatchObject({ status: 400, errors: { code: "twoFactor.codeWrong" } });
    expect(await hasSecondFactor(db, user.id)).toBe(false);

    const confirmed = await confirmEnrolment(db, DEMO, user, appCode(secretText, T0), T0);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    for (const code of confirmed.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await hasSecondFactor(db, user.id)).toBe(true);

    const stored = JSON.stringify(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)));
    for (const code of confirmed.recoveryCodes) {
      expect(stored).not.toContain(code.replace("-", ""));
      expect(stored).not.toContain(code);
    }
    // A second confirmation (a replayed form) gives no new codes.
    expect(await refusal(() => confirmEnrolment(db, DEMO, user, appCode(secretText, T0, 1), T0))).toMatchObject({ errors: { form: "twoFactor.noEnrolment" } });

    const mails = await db.select().from(outbox).where(eq(outbox.userId, user.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "account_notice", toAddress: user.email });
    expect(mails[0]!.subject).toMatch(/Verifikasi dua langkah diaktifkan/);
    expect(mails[0]!.text).not.toContain(secretText.replace(/ /g, ""));
  });
});

describe("signing in with a second factor", () => {
  it("asks for the code after the right password, with no session until then", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 120);
    const token = await challengeFor(db, user, now);
    expect(await db.select().from(sessions)).toHaveLength(0);
    // The challenge token is not a session token.
    expect(await validateSessionToken(db, token, now)).toBeNull();

    const done = await completeSignIn(db, DEMO, token, appCode(secretText, now), now);
    expect((await validateSessionToken(db, done.token, now))?.user.id).toBe(user.id);
    // The challenge is spent.
    expect(await db.select().from(signInChallenges)).toHaveLength(0);
    expect(await refusal(() => completeSignIn(db, DEMO, token, appCode(secretText, now, 1), now))).toEqual({
      status: 410,
      errors: { form: "twoFactor.challengeExpired" },
      params: {},
    });
  });

  it("accepts the step before and after (a clock a little off), but not two steps away", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 600);
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, now), appCode(secretText, now, -2), now))).toMatchObject({
      status: 400,
    });
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, now), appCode(secretText, now, 2), now))).toMatchObject({
      status: 400,
    });
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), appCode(secretText, now, -1), now)).user.id).toBe(user.id);
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), appCode(secretText, now, 1), now)).user.id).toBe(user.id);
  });

  it("refuses a code whose time step was already used, in its own window too", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 300);
    const code = appCode(secretText, now);
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), code, now)).user.id).toBe(user.id);
    // Seen over a shoulder and typed ten seconds later, in another browser:
    const replayChallenge = await challengeFor(db, user, at(now, 10));
    const replay = await refusal(() => completeSignIn(db, DEMO, replayChallenge, code, at(now, 10)));
    expect(replay).toMatchObject({ status: 400, errors: { code: "twoFactor.codeWrong" } });
    // An earlier step's code (still inside the window) is refused as well.
    const earlierChallenge = await challengeFor(db, user, now);
    const earlier = await refusal(() => completeSignIn(db, DEMO, earlierChallenge, appCode(secretText, now, -1), now));
    expect(earlier).toMatchObject({ status: 400 });
    // The enrolment code itself cannot sign in either.
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, T0), appCode(secretText, T0), T0))).toMatchObject({
      status: 400,
    });
  });

  it("takes each recovery code once, typed with or without the dash and in capitals", async () => {
    const { db } = await freshDatabase();
    const { user, recovery } = await enrolled(db);
    const now = at(T0, 60);
    const first = recovery[0]!;
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), ` ${first.toUpperCase()} `, now)).user.id).toBe(user.id);
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, now), first.replace("-", ""), now))).toMatchObject({
      status: 400,
      errors: { code: "twoFactor.codeWrong" },
    });
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), recovery[1]!.replace("-", ""), now)).user.id).toBe(user.id);
    const used = (await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).filter((r) => r.usedAt);
    expect(used).toHaveLength(2);
    // Another account's recovery code does nothing here.
    const other = await enrolled(db, "planner");
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, now), other.recovery[0]!, now))).toMatchObject({ status: 400 });
  });

  it("slows wrong codes down after the free ones (even the right code waits), and clears on success", async () => {
    const { db } = await freshDatabase();
    await setSetting(db, "twoFactorFreeFailures", 2);
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 900);
    const token = await challengeFor(db, user, now);
    expect(await refusal(() => completeSignIn(db, DEMO, token, "111111", now))).toEqual({ status: 400, errors: { code: "twoFactor.codeWrong" }, params: {} });
    expect(await refusal(() => completeSignIn(db, DEMO, token, "222222", now))).toEqual({ status: 400, errors: { code: "twoFactor.codeWrong" }, params: {} });
    expect(await refusal(() => completeSignIn(db, DEMO, token, "333333", now))).toMatchObject({ status: 400, params: { seconds: 1 } });
    const waiting = await refusal(() => completeSignIn(db, DEMO, token, appCode(secretText, now), now));
    expect(waiting).toMatchObject({ status: 429, errors: { form: "errors.rateLimited" }, params: { seconds: 1 } });
    // A new challenge (the password again) does not reset the delay: it is the account's.
    const again = await challengeFor(db, user, now);
    expect(await refusal(() => completeSignIn(db, DEMO, again, appCode(secretText, now), now))).toMatchObject({ status: 429 });
    // The next wrong code after the wait doubles it.
    expect(await refusal(() => completeSignIn(db, DEMO, again, "444444", at(now, 2)))).toMatchObject({ status: 400, params: { seconds: 2 } });
    const later = at(now, 5);
    expect((await completeSignIn(db, DEMO, again, appCode(secretText, later), later)).user.id).toBe(user.id);
    expect(
      (
        await db
          .select()
          .from(rateLimits)
          .where(eq(rateLimits.key, `2fa:user:${user.id}`))
          .limit(1)
      )[0],
    ).toMatchObject({ failures: 0, blockedUntil: null });
  });

  it(`ends a challenge after ${CHALLENGE_MAX_ATTEMPTS} wrong codes and after ten minutes: the password is asked again`, async () => {
    const { db } = await freshDatabase();
    await setSetting(db, "twoFactorFreeFailures", 100);
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 1200);
    const token = await challengeFor(db, user, now);
    for (let i = 0; i < CHALLENGE_MAX_ATTEMPTS; i++)
      expect(await refusal(() => completeSignIn(db, DEMO, token, `00000${i}`, now))).toMatchObject({ status: 400 });
    expect(await refusal(() => completeSignIn(db, DEMO, token, appCode(secretText, now), now))).toEqual({
      status: 410,
      errors: { form: "twoFactor.challengeExpired" },
      params: {},
    });
    // An empty form does not spend an attempt.
    const other = await challengeFor(db, user, now);
    for (let i = 0; i < CHALLENGE_MAX_ATTEMPTS + 2; i++)
      expect(await refusal(() => completeSignIn(db, DEMO, other, "", now))).toMatchObject({ status: 400, errors: { code: "errors.required" } });
    const late = at(now, 10 * 60 + 1);
    expect(await refusal(() => completeSignIn(db, DEMO, other, appCode(secretText, late), late))).toEqual({
      status: 410,
      errors: { form: "twoFactor.challengeExpired" },
      params: {},
    });
    expect(await db.select().from(sessions)).toHaveLength(0);
  });

  it("answers any body without throwing: non-strings, huge input, forged or broken challenge tokens", async () => {
    const { db } = await freshDatabase();
    const { user } = await enrolled(db);
    const now = at(T0, 60);
    const token = await challengeFor(db, user, now);
    const [id] = token.split(".");
    for (const forged of [null, "", ".", "a.b.c", `${id}.wrong`, `${id}.${"x".repeat(5000)}`, "x".repeat(100_000)]) {
      expect(await refusal(() => completeSignIn(db, DEMO, forged, "123456", now))).toEqual({
        status: 410,
        errors: { form: "twoFactor.challengeExpired" },
        params: {},
      });
    }
    for (const body of [null, undefined, 42, { code: "1" }, new File(["123456"], "code.txt"), "9".repeat(100_000), "１２３４５６", "\u0000\uFFFF"]) {
      expect(await refusal(() => completeSignIn(db, DEMO, token, body, now))).toMatchObject({ status: 400 });
    }
  });

  it("does not ask residents or staff without a confirmed factor for a code", async () => {
    const { db } = await freshDatabase();
    const resident = await makeUser(db);
    expect((await signIn(ctx(db), { email: resident.email!, password: TEST_PASSWORD })).step).toBe("session");
    const pending = await makeUser(db, { role: "moderator" });
    await enrolmentFor(db, DEMO, pending);
    expect((await signIn(ctx(db), { email: pending.email!, password: TEST_PASSWORD })).step).toBe("session");
  });
});

describe("the sign-in pages", () => {
  const cookieOf = (headers: Headers, name: string) =>
    headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .find((c) => c.startsWith(`${name}=`))
      ?.slice(name.length + 1);

  it("sends a right password to the code page with a challenge cookie and no session, then signs in with the code", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db);
    const login = await settle(() =>
      loginAction(
        routeArgs(formPost("http://localhost/login", { email: user.email!, password: TEST_PASSWORD, redirectTo: "/staff/moderation" }), routeContext(db)),
      ),
    );
    expect(login.status).toBe(302);
    expect(login.headers.get("Location")).toBe("/login/code?redirectTo=%2Fstaff%2Fmoderation");
    expect(cookieOf(login.headers, "rembug_session")).toBeUndefined();
    const challenge = cookieOf(login.headers, "rembug_signin")!;
    expect(challenge).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
    expect(login.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax; Path=\//);

    const post = (fields: Record<string, string>, cookie = `rembug_signin=${challenge}`) => {
      const request = formPost("http://localhost/login/code", fields);
      request.headers.set("Cookie", cookie);
      return settle<FormFailure>(() => codeAction(routeArgs(request, routeContext(db))));
    };
    // A wrong code comes back with a translated message and what was typed.
    const wrong = await post({ code: "12 34 56", redirectTo: "/staff/moderation" });
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ errors: [{ field: "code", key: "twoFactor.codeWrong" }], values: { code: "12 34 56" } });
    // Any body: a broken intent is a 400 before anything happens, a missing cookie goes back to the password.
    const twoIntents = new Request("http://localhost/login/code", {
      method: "POST",
      body: "intent=verify&intent=other&code=123456",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `rembug_signin=${challenge}` },
    });
    expect((await settle(() => codeAction(routeArgs(twoIntents, routeContext(db))))).status).toBe(400);
    expect((await post({ intent: "other" })).status).toBe(400);
    const noCookie = await post({ code: "123456" }, "");
    expect(noCookie.status).toBe(302);
    expect(noCookie.headers.get("Location")).toBe("/login");

    const now = new Date();
    const done = await post({ code: appCode(secretText, now, 1), redirectTo: "/staff/moderation" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/staff/moderation");
    const session = cookieOf(done.headers, "rembug_session")!;
    expect((await validateSessionToken(db, session))?.user.id).toBe(user.id);
    expect(cookieOf(done.headers, "rembug_signin")).toBe("");
    // The challenge cannot be used twice: back to the password, saying why.
    const twice = await post({ code: appCode(secretText, now, 1) });
    expect(twice.status).toBe(302);
    expect(twice.headers.get("Location")).toBe("/login?expired=1");
  });
});

describe("the enrolment page", () => {
  /** A refusal (FormFailure) or, after confirming or renewing, the recovery codes shown once. */
  type Answer = Partial<FormFailure> & { recoveryCodes?: string[] };
  const get = (db: AppDb, user: User, config = routeContext(db).config) =>
    settle<{ enrolment: { secretText: string } | null; status: { enabled: boolean; required: boolean } }>(() =>
      enrolLoader(routeArgs(new Request("http://localhost/account/two-factor"), routeContext(db, user, { config }))),
    );
  const post = (db: AppDb, user: User, fields: Record<string, string>) =>
    settle<Answer>(() => enrolAction(routeArgs(formPost("http://localhost/account/two-factor", fields), routeContext(db, user))));

  it("is not offered to residents, and walks staff through confirming, renewing and turning off", async () => {
    const { db } = await freshDatabase();
    expect((await get(db, await makeUser(db))).status).toBe(404);
    const user = await makeUser(db, { role: "planner" });
    const page = await get(db, user);
    expect(page.data).toMatchObject({ status: { enabled: false, required: false } });
    const secretText = page.data.enrolment!.secretText;

    const wrong = await post(db, user, { intent: "confirm", code: "abc" });
    expect(wrong).toMatchObject({ status: 400, data: { errors: [{ field: "code", key: "twoFactor.codeWrong" }], values: { code: "abc" } } });
    expect((await post(db, user, { intent: "nonsense" })).status).toBe(400);
    const confirmed = await post(db, user, { intent: "confirm", code: appCode(secretText, new Date()) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.data.recoveryCodes).toHaveLength(10);
    expect((await get(db, user)).data).toMatchObject({ enrolment: null, status: { enabled: true } });

    // The renewal form's field has its own name, so its error lands on it.
    const renew = await post(db, user, { intent: "renew-codes", renewCode: "" });
    expect(renew).toMatchObject({ status: 400, data: { errors: [{ field: "renewCode", key: "errors.required" }] } });
    const off = await post(db, user, { intent: "disable", password: TEST_PASSWORD, code: confirmed.data.recoveryCodes![0]! });
    expect(off.status).toBe(302);
    expect(off.headers.get("Location")).toBe("/account/two-factor?off=1");
    expect(await hasSecondFactor(db, user.id)).toBe(false);
  });

  it("opens for an admin of a real deployment who has no factor yet, saying it is required", async () => {
    const { db } = await freshDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const config = {
      siteUrl: "https://rembug.example",
      cityTimezone: "Asia/Jakarta",
      demo: false,
      production: true,
      secureCookies: true,
      databaseUrl: ":memory:",
    };
    const env = process.env.TWO_FACTOR_KEY;
    process.env.TWO_FACTOR_KEY = "b".repeat(64);
    try {
      const page = await get(db, admin, config);
      expect(page.data).toMatchObject({ status: { enabled: false, required: true } });
      expect(page.data.enrolment?.secretText).toMatch(/^[A-Z2-7 ]+$/);
    } finally {
      if (env === undefined) delete process.env.TWO_FACTOR_KEY;
      else process.env.TWO_FACTOR_KEY = env;
    }
  });
});

describe("required for admins of a real deployment", () => {
  const request = (path: string) => new Request(`http://localhost${path}`);
  const redirectOf = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (thrown) {
      if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location") };
      throw thrown;
    }
    return null;
  };

  it("sends an admin without a confirmed factor to enrolment from every guarded page and action, and nowhere else once enrolled", async () => {
    const { db } = await freshDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const production = routeContext(db, admin, {
      config: { siteUrl: "https://rembug.example", cityTimezone: "Asia/Jakarta", demo: false, production: true, secureCookies: true, databaseUrl: ":memory:" },
    });
    expect(await mustEnrolFirst(db, admin, PRODUCTION)).toBe(true);
    for (const guard of [() => requireUser(request("/staff/users?q=x"), production), () => requireRole(request("/staff/users?q=x"), production, ["admin"])]) {
      expect(await redirectOf(guard)).toEqual({ status: 302, location: "/account/two-factor?redirectTo=%2Fstaff%2Fusers%3Fq%3Dx" });
    }
    // Pages open to visitors treat them as one (no draft projects, no staff links).
    expect(await currentUser(production)).toBeNull();
    // The enrolment page itself is reachable.
    expect(requireSignedIn(request("/account/two-factor"), production).id).toBe(admin.id);

    // Moderators and planners are offered it, not made to.
    for (const role of ["moderator", "planner"] as const) {
      const staff = await makeUser(db, { role });
      expect((await requireUser(request("/staff"), { ...production, session: { sessionId: "s", user: staff } })).id).toBe(staff.id);
    }
    // In the demo, admins are not made to either.
    expect(await mustEnrolFirst(db, admin, DEMO)).toBe(false);
    expect((await requireUser(request("/staff/users"), routeContext(db, admin))).id).toBe(admin.id);

    // Enrolled (the key of this test comes from the demo's store), the admin is free.
    const { secretText } = (await enrolmentFor(db, DEMO, admin))!;
    expect((await confirmEnrolment(db, DEMO, admin, appCode(secretText, T0), T0)).recoveryCodes).toHaveLength(10);
    expect((await requireRole(request("/staff/users"), production, ["admin"])).id).toBe(admin.id);
    expect((await currentUser(production))?.id).toBe(admin.id);
  });

  it("does not let such an admin turn the factor off", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db, "admin");
    const now = at(T0, 60);
    expect(await refusalAsync(() => disableSecondFactor(db, PRODUCTION, user, { password: TEST_PASSWORD, code: appCode(secretText, now) }, now))).toMatchObject(
      {
        status: 403,
        errors: { form: "twoFactor.requiredForAdmins" },
      },
    );
    expect(await hasSecondFactor(db, user.id)).toBe(true);
  });

  it("needs TWO_FACTOR_KEY in production and reads secrets with it; a changed key does not open old ones", async () => {
    const { db } = await freshDatabase();
    await expect(twoFactorKey(db, PRODUCTION, {})).rejects.toThrow(MissingTwoFactorKeyError);
    expect((await db.select().from(settings).where(eq(settings.key, "secret.twoFactorKey")).limit(1))[0]).toBeUndefined();
    const hex = "a".repeat(64);
    expect(await twoFactorKey(db, PRODUCTION, { TWO_FACTOR_KEY: hex })).toEqual(Buffer.from(hex, "hex"));
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(await twoFactorKey(db, PRODUCTION, { TWO_FACTOR_KEY: b64 })).toEqual(Buffer.alloc(32, 7));
    await expect(twoFactorKey(db, PRODUCTION, { TWO_FACTOR_KEY: "short" })).rejects.toThrow(/32 bytes/);
    // The demo generates one once and keeps it.
    expect(await twoFactorKey(db, DEMO, {})).toEqual(await twoFactorKey(db, DEMO, {}));
    expect(await twoFactorKey(db, DEMO, {})).toHaveLength(32);
  });
});

describe("turning it off, renewing codes", () => {
  it("takes the password and a code, then mails the owner; the password alone signs in again", async () => {
    const { db } = await freshDatabase();
    const { user, secretText, recovery } = await enrolled(db, "planner");
    const now = at(T0, 60);
    expect(await refusalAsync(() => disableSecondFactor(db, DEMO, user, { password: "", code: "" }, now))).toEqual({
      status: 400,
      errors: { password: "errors.required", code: "errors.required" },
      params: {},
    });
    expect(await refusalAsync(() => disableSecondFactor(db, DEMO, user, { password: "bukan sandinya", code: appCode(secretText, now) }, now))).toMatchObject({
      errors: { password: "errors.passwordWrong" },
    });
    expect(await refusalAsync(() => disableSecondFactor(db, DEMO, user, { password: TEST_PASSWORD, code: "000000" }, now))).toMatchObject({
      errors: { code: "twoFactor.codeWrong" },
    });
    expect(await hasSecondFactor(db, user.id)).toBe(true);
    expect(await disableSecondFactor(db, DEMO, user, { password: TEST_PASSWORD, code: recovery[3]! }, now)).toBeUndefined();
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect((await db.select({ subject: outbox.subject }).from(outbox).where(eq(outbox.userId, user.id))).map((m) => m.subject)).toEqual([
      expect.stringMatching(/diaktifkan/),
      expect.stringMatching(/dimatikan/),
    ]);
    expect((await signIn(ctx(db), { email: user.email!, password: TEST_PASSWORD }, now)).step).toBe("session");
  });

  it("renews the recovery codes against a code from the app; the old ones stop working", async () => {
    const { db } = await freshDatabase();
    const { user, secretText, recovery } = await enrolled(db);
    const now = at(T0, 60);
    expect(await refusal(() => renewRecoveryCodes(db, DEMO, user, recovery[0]!, now))).toMatchObject({ status: 400 });
    const renewed = await renewRecoveryCodes(db, DEMO, user, appCode(secretText, now), now);
    expect(renewed.recoveryCodes).toHaveLength(10);
    expect(await refusalAsync(async () => completeSignIn(db, DEMO, await challengeFor(db, user, now), recovery[1]!, now))).toMatchObject({ status: 400 });
    expect((await completeSignIn(db, DEMO, await challengeFor(db, user, now), renewed.recoveryCodes[0]!, now)).user.id).toBe(user.id);
  });
});

describe("a lost factor", () => {
  it("is reset by an operator: factor gone, sessions ended, logged, owner mailed", async () => {
    const { db } = await freshDatabase();
    const { user, secretText } = await enrolled(db);
    const now = at(T0, 60);
    const token = await challengeFor(db, user, now);
    const done = await completeSignIn(db, DEMO, token, appCode(secretText, now), now);
    expect(done.user.id).toBe(user.id);
    const halfway = await challengeFor(db, user, now);

    const outcome = await resetSecondFactor(db, ` ${user.email!.toUpperCase()} `, now);
    expect(outcome).toMatchObject({ user: { id: user.id }, hadFactor: true });
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect(await refusal(() => completeSignIn(db, DEMO, halfway, appCode(secretText, now, 1), now))).toEqual({
      status: 410,
      errors: { form: "twoFactor.challengeExpired" },
      params: {},
    });
    expect(await db.select().from(moderationLog).where(eq(moderationLog.action, "two_factor_reset"))).toMatchObject([
      { actorId: null, targetType: "user", targetId: String(user.id) },
    ]);
    const subjects = (await db.select({ subject: outbox.subject }).from(outbox).where(eq(outbox.userId, user.id))).map((m) => m.subject);
    expect(subjects.at(-1)).toMatch(/direset/);
    expect((await signIn(ctx(db), { email: user.email!, password: TEST_PASSWORD }, now)).step).toBe("session");

    expect(await resetSecondFactor(db, "tidak.ada@contoh.id", now)).toBeNull();
    expect(await resetSecondFactor(db, user.email!, now)).toMatchObject({ hadFactor: false });
  });

  it("has a command: npm run user:reset-2fa -- --email", async () => {
    const { db, path } = await freshDatabase();
    const { user } = await enrolled(db);
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/user-reset-2fa.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: path },
      });
    const usage = run([]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run user:reset-2fa -- --email/);
    const missing = run(["--email", "tidak.ada@contoh.id"]);
    expect(missing.status).toBe(1);
    const reset = run(["--email", user.email!]);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(new RegExp(`Two-step sign-in removed from account #${user.id}`));
    expect(reset.stdout + reset.stderr).not.toContain(user.email!);
    expect(await hasSecondFactor(db, user.id)).toBe(false);
  });
});

describe("account erasure", () => {
  it("removes the factor, its recovery codes and any half sign-in", async () => {
    const { db } = await freshDatabase();
    const { user } = await enrolled(db);
    await challengeFor(db, user, at(T0, 60));
    await eraseAccountData(db, user.id, at(T0, 120));
    expect(await db.select().from(twoFactors).where(eq(twoFactors.userId, user.id))).toHaveLength(0);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await db.select().from(signInChallenges).where(eq(signInChallenges.userId, user.id))).toHaveLength(0);
  });
});
