import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { moderationLog, sessions, users, type User } from "~db/schema";
import { rows, withWriteTx, type AppDb } from "~db/engine";
import { authenticate, canWrite, changePassword, changeRole, listUsers, registerUser, USERS_PAGE_SIZE, writeRefusal } from "~/accounts/users.server";
import { createSession, validateSessionToken } from "~/accounts/session.server";
import { DomainError } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { makeAreas, makeUser, reloadUser, TEST_PASSWORD } from "./support/factories";
import { makeUsers } from "./support/more-factories";
import { expectDomainError, refusalAsync } from "./support/domain-errors";

let db: AppDb;
let kelurahanId: number;
let kecamatanId: number;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  const areas = await makeAreas(db);
  kelurahanId = areas.kelurahan.id;
  kecamatanId = areas.kecamatan.id;
});

let seq = 0;
const uniqueEmail = () => `pendaftar${++seq}-${Date.now()}@contoh.id`;
const GOOD_PASSWORD = "lampu jalan di gang mawar";

function register(overrides: Partial<Parameters<typeof registerUser>[1]> = {}) {
  return registerUser(db, { displayName: "Siti Aminah", email: uniqueEmail(), password: GOOD_PASSWORD, ...overrides });
}

/** What registering with `overrides` is refused with. */
const refusedRegistration = (overrides: Partial<Parameters<typeof registerUser>[1]> = {}) => refusalAsync(() => register(overrides));

async function countUsersWithEmail(email: string) {
  return (await db.select().from(users).where(eq(users.email, email))).length;
}

describe("registration", () => {
  it("registers a resident with a kelurahan, storing the e-mail lower-cased", async () => {
    const email = `Siti.Aminah${++seq}@Contoh.ID`;
    const created = await register({ email, areaId: String(kelurahanId) });
    const stored = await reloadUser(db, created.id);
    expect(stored.email).toBe(email.toLowerCase());
    expect(stored.displayName).toBe("Siti Aminah");
    expect(stored.role).toBe("resident");
    expect(stored.areaId).toBe(kelurahanId);
    expect(stored.emailVerifiedAt).toBeNull();
  });

  it("registers without a kelurahan, which is optional", async () => {
    expect((await register({ areaId: "" })).areaId).toBeNull();
  });

  it("refuses an empty display name", async () => {
    const email = uniqueEmail();
    expect(await refusedRegistration({ displayName: "   ", email })).toMatchObject({ status: 400, errors: { displayName: "errors.required" } });
    expect(await countUsersWithEmail(email)).toBe(0);
  });

  it("refuses a display name longer than 60 characters", async () => {
    expect(await refusedRegistration({ displayName: "S".repeat(61) })).toMatchObject({ status: 400, errors: { displayName: "errors.tooLong" } });
    expect((await register({ displayName: "S".repeat(60) })).displayName).toBe("S".repeat(60));
  });

  it.each(["bukan-email", "siti@", "@contoh.id", "siti contoh@contoh.id"])("refuses the malformed e-mail %j", async (email) => {
    expect(await refusedRegistration({ email })).toMatchObject({ status: 400, errors: { email: "errors.emailInvalid" } });
  });

  it("refuses an e-mail already registered in another case with 409 errors.emailTaken", async () => {
    const email = `budi${++seq}@contoh.id`;
    expect((await register({ email })).email).toBe(email);
    const second = await refusedRegistration({ email: `  ${email.toUpperCase()} `, displayName: "Budi Lain" });
    expect(second).toEqual({ status: 409, errors: { email: "errors.emailTaken" }, params: {} });
    expect(await countUsersWithEmail(email)).toBe(1);
  });

  it("refuses a password under 10 characters", async () => {
    const result = await refusedRegistration({ password: "kopi susu" }); // 9
    expect(result).toMatchObject({ status: 400, errors: { password: "errors.passwordTooShort" } });
  });

  it("accepts a password of exactly 10 and exactly 128 characters", async () => {
    expect((await register({ password: "kopi susu!" })).id).toBeGreaterThan(0);
    const long = "sungai ciliwung bersih ".repeat(6).slice(0, 128);
    expect(long).toHaveLength(128);
    expect((await register({ password: long })).id).toBeGreaterThan(0);
  });

  it("refuses a password over 128 characters", async () => {
    const long = "sungai ciliwung bersih ".repeat(6).slice(0, 129);
    expect(await refusedRegistration({ password: long })).toMatchObject({ status: 400, errors: { password: "errors.passwordTooLong" } });
  });

  it.each([
    ["a common password", "password123"],
    ["too few distinct characters", "abababababab"],
    ["the display name inside it", "xx siti aminah xx"],
  ])("refuses a weak password: %s", async (_label, password) => {
    expect(await refusedRegistration({ password })).toMatchObject({ status: 400, errors: { password: "errors.passwordWeak" } });
  });

  it("refuses a password that contains the e-mail's local part", async () => {
    const local = `warga${++seq}xyz`;
    const result = await refusedRegistration({ email: `${local}@contoh.id`, password: `${local}!2024` });
    expect(result).toMatchObject({ status: 400, errors: { password: "errors.passwordWeak" } });
  });

  it("refuses an unknown kelurahan id", async () => {
    const email = uniqueEmail();
    expect(await refusedRegistration({ email, areaId: "987654" })).toMatchObject({ status: 400, errors: { areaId: "errors.areaUnknown" } });
    expect(await countUsersWithEmail(email)).toBe(0);
  });

  it("refuses an area that is not a kelurahan, or not a number", async () => {
    expect(await refusedRegistration({ areaId: String(kecamatanId) })).toMatchObject({ errors: { areaId: "errors.areaUnknown" } });
    expect(await refusedRegistration({ areaId: "abc" })).toMatchObject({ errors: { areaId: "errors.areaUnknown" } });
  });

  it("refuses every wrong field at once, in the form's order: one refusal with a message per field", async () => {
    const email = "siti contoh@contoh.id";
    const thrown = await register({ displayName: " ", email, password: "password123", areaId: "987654" }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(DomainError);
    const refusal = thrown as DomainError;
    expect(refusal.status).toBe(400);
    expect(refusal.errors).toEqual([
      { field: "displayName", key: "errors.required", params: {} },
      { field: "email", key: "errors.emailInvalid", params: {} },
      { field: "password", key: "errors.passwordWeak", params: {} },
      { field: "areaId", key: "errors.areaUnknown", params: {} },
    ]);
    // The first error is the headline.
    expect({ key: refusal.key, field: refusal.field }).toEqual({ key: "errors.required", field: "displayName" });
    expect(await countUsersWithEmail(email)).toBe(0);
  });

  it("stores the password as an argon2id hash, never the plain text", async () => {
    const created = await register();
    const [raw] = await rows<Record<string, unknown>>(db, sql`select * from users where id = ${created.id}`);
    expect(String(raw!.password_hash)).toMatch(/^\$argon2id\$/);
    for (const value of Object.values(raw!)) expect(String(value)).not.toContain(GOOD_PASSWORD);
  });
});

describe("authenticate", () => {
  it("returns the user for the right password, whatever the e-mail's case", async () => {
    const user = await makeUser(db);
    const found = await authenticate(db, ` ${user.email!.toUpperCase()} `, TEST_PASSWORD);
    expect(found?.id).toBe(user.id);
  });

  it("returns null for a wrong password", async () => {
    const user = await makeUser(db);
    expect(await authenticate(db, user.email!, TEST_PASSWORD + "x")).toBeNull();
  });

  it("returns null for an unknown e-mail", async () => {
    expect(await authenticate(db, "tidak.ada@contoh.id", TEST_PASSWORD)).toBeNull();
  });

  it("returns null for a deleted account even with the right password", async () => {
    const user = await makeUser(db, { deletedAt: new Date() });
    expect(await authenticate(db, user.email!, TEST_PASSWORD)).toBeNull();
  });
});

describe("changePassword", () => {
  const NEW_PASSWORD = "hujan deras di bulan januari";

  it("refuses a wrong current password and changes nothing", async () => {
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id);
    const result = await refusalAsync(() => changePassword(db, user, { currentPassword: "bukan sandi saya", newPassword: NEW_PASSWORD }));
    expect(result).toEqual({ status: 400, errors: { currentPassword: "errors.passwordWrong" }, params: {} });
    expect((await reloadUser(db, user.id)).passwordHash).toBe(user.passwordHash);
    expect(await validateSessionToken(db, token)).not.toBeNull();
  });

  it("refuses a new password that is too short or weak", async () => {
    const user = await makeUser(db);
    expect(await refusalAsync(() => changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword: "pendek" }))).toMatchObject({
      errors: { newPassword: "errors.passwordTooShort" },
    });
    expect(await refusalAsync(() => changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword: "1234567890" }))).toMatchObject({
      errors: { newPassword: "errors.passwordWeak" },
    });
    expect((await reloadUser(db, user.id)).passwordHash).toBe(user.passwordHash);
  });

  it("ends all of the user's sessions and returns a new valid one", async () => {
    const user = await makeUser(db);
    const other = await makeUser(db);
    const phone = (await createSession(db, user.id)).token;
    const laptop = (await createSession(db, user.id)).token;
    const othersSession = (await createSession(db, other.id)).token;

    const session = await changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });

    expect(await validateSessionToken(db, phone)).toBeNull();
    expect(await validateSessionToken(db, laptop)).toBeNull();
    expect((await validateSessionToken(db, session.token))?.user.id).toBe(user.id);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    // Another person's session is untouched.
    expect((await validateSessionToken(db, othersSession))?.user.id).toBe(other.id);

    expect(await authenticate(db, user.email!, TEST_PASSWORD)).toBeNull();
    expect((await authenticate(db, user.email!, NEW_PASSWORD))?.id).toBe(user.id);
    expect((await reloadUser(db, user.id)).passwordHash).toMatch(/^\$argon2id\$/);
  });
});

describe("canWrite and writeRefusal", () => {
  const now = new Date("2026-03-01T08:00:00Z");
  const asUser = (over: Partial<User>) => ({ deletedAt: null, suspendedUntil: null, ...over }) as User;

  it("lets a user in good standing write", () => {
    expect(canWrite(asUser({}), now)).toBe(true);
    expect(writeRefusal(asUser({}), now)).toBeNull();
  });

  it("refuses a user suspended until a future date, giving the date", () => {
    const until = new Date("2026-03-08T08:00:00Z");
    expect(canWrite(asUser({ suspendedUntil: until }), now)).toBe(false);
    expect(writeRefusal(asUser({ suspendedUntil: until }), now)).toEqual({ reason: "suspended", until });
  });

  it("allows a user whose suspension has passed", () => {
    const user = asUser({ suspendedUntil: new Date("2026-02-28T08:00:00Z") });
    expect(canWrite(user, now)).toBe(true);
    expect(writeRefusal(user, now)).toBeNull();
  });

  it("treats a suspension until year 9999 as permanent, with no end date", () => {
    const user = asUser({ suspendedUntil: new Date("9999-12-31T00:00:00Z") });
    expect(canWrite(user, now)).toBe(false);
    expect(writeRefusal(user, now)).toEqual({ reason: "suspended", until: null });
  });

  it("refuses a deleted account", () => {
    expect(writeRefusal(asUser({ deletedAt: new Date("2026-01-01") }), now)).toEqual({ reason: "deleted" });
  });

  it("reads the suspension stored in the database", async () => {
    const user = await makeUser(db, { suspendedUntil: new Date(Date.now() + 86400000) });
    expect(canWrite(await reloadUser(db, user.id))).toBe(false);
  });
});

describe("changeRole", () => {
  const logFor = (targetId: number) =>
    db
      .select()
      .from(moderationLog)
      .where(eq(moderationLog.targetId, String(targetId)));

  it("lets an admin change a role and logs the change with from and to", async () => {
    const admin = await makeUser(db, { role: "admin" });
    const target = await makeUser(db);
    const result = await changeRole(db, admin, target.id, "moderator", "membantu moderasi");
    expect(result).toEqual({ changed: true, from: "resident", to: "moderator" });
    expect((await reloadUser(db, target.id)).role).toBe("moderator");
    const log = await logFor(target.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actorId: admin.id,
      action: "role_change",
      targetType: "user",
      reason: "membantu moderasi",
      details: { from: "resident", to: "moderator" },
    });
  });

  it.each(["resident", "moderator", "planner"] as const)("refuses a %s who tries to change a role", async (role) => {
    const actor = await makeUser(db, { role });
    const target = await makeUser(db);
    await expectDomainError(() => changeRole(db, actor, target.id, "admin"), 403, "errors.forbidden");
    expect((await reloadUser(db, target.id)).role).toBe("resident");
    expect(await logFor(target.id)).toHaveLength(0);
  });

  it("refuses an admin changing their own role", async () => {
    const admin = await makeUser(db, { role: "admin" });
    expect(await changeRole(db, admin, admin.id, "resident")).toEqual({ changed: false, reason: "self" });
    expect((await reloadUser(db, admin.id)).role).toBe("admin");
    expect(await logFor(admin.id)).toHaveLength(0);
  });

  it("refuses an unknown or deleted user with 404", async () => {
    const admin = await makeUser(db, { role: "admin" });
    await expectDomainError(() => changeRole(db, admin, 99_999_999, "planner"), 404, "errors.notFound");
    const gone = await makeUser(db, { deletedAt: new Date() });
    await expectDomainError(() => changeRole(db, admin, gone.id, "planner"), 404, "errors.notFound");
  });

  it("writes nothing when the role is already the requested one", async () => {
    const admin = await makeUser(db, { role: "admin" });
    const target = await makeUser(db, { role: "planner" });
    expect(await changeRole(db, admin, target.id, "planner")).toEqual({ changed: false, reason: "same" });
    expect(await logFor(target.id)).toHaveLength(0);
  });
});

describe("listUsers", () => {
  let listDb: AppDb;
  let named: User[];
  let planners: User[];

  beforeAll(async () => {
    // A database of its own, so counts are exact.
    listDb = (await freshDatabase()).db;
    named = await makeUsers(listDb, 30, { displayName: "Dewi Lestari" });
    await withWriteTx(listDb, async (tx) => {
      for (const [i, u] of named.entries()) {
        await tx
          .update(users)
          .set({ createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60000) })
          .where(eq(users.id, u.id));
      }
    });
    planners = await makeUsers(listDb, 3, { role: "planner", displayName: "Perencana Kota" });
    await makeUser(listDb, { displayName: "Agus 100%_persen", email: "agus.khusus@pemkot.id" });
    await makeUser(listDb, { displayName: "Dewi Terhapus", deletedAt: new Date() });
  });

  it("shows 25 users a page, newest first, with the total", async () => {
    const first = await listUsers(listDb, { query: "Dewi Lestari", page: 1 });
    expect(first.total).toBe(30);
    expect(first.pageCount).toBe(2);
    expect(first.rows).toHaveLength(USERS_PAGE_SIZE);
    expect(USERS_PAGE_SIZE).toBe(25);
    expect(first.rows[0]!.id).toBe(named[29]!.id);
    const second = await listUsers(listDb, { query: "Dewi Lestari", page: 2 });
    expect(second.rows).toHaveLength(5);
    const ids = new Set([...first.rows, ...second.rows].map((r) => r.id));
    expect(ids).toEqual(new Set(named.map((u) => u.id)));
  });

  it("finds users by part of the e-mail address", async () => {
    const result = await listUsers(listDb, { query: "agus.khusus@pemkot", page: 1 });
    expect(result.total).toBe(1);
    expect(result.rows[0]!.displayName).toBe("Agus 100%_persen");
  });

  it("finds users by part of the name, case-insensitively", async () => {
    expect((await listUsers(listDb, { query: "perencana", page: 1 })).total).toBe(3);
  });

  it("treats % and _ in the search as plain characters", async () => {
    expect((await listUsers(listDb, { query: "%_", page: 1 })).rows.map((r) => r.displayName)).toEqual(["Agus 100%_persen"]);
    expect((await listUsers(listDb, { query: "_", page: 1 })).total).toBe(1);
  });

  it("filters by role", async () => {
    const result = await listUsers(listDb, { role: "planner", page: 1 });
    expect(result.total).toBe(3);
    expect(new Set(result.rows.map((r) => r.id))).toEqual(new Set(planners.map((u) => u.id)));
    expect((await listUsers(listDb, { role: "admin", page: 1 })).total).toBe(0);
  });

  it("leaves deleted accounts out", async () => {
    expect((await listUsers(listDb, { query: "Terhapus", page: 1 })).total).toBe(0);
    expect((await listUsers(listDb, { page: 1 })).total).toBe(34);
  });
});
