import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { and, eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { outbox, users } from "~db/schema";
import { changePassword, createVerifiedUser, registerUser } from "~/accounts/users.server";
import { resetPassword } from "~/accounts/password-reset.server";
import { issueEmailToken, RESET_TOKEN_TTL_MS } from "~/accounts/email-tokens.server";
import { freshDatabase } from "./support/db";
import { refusalAsync } from "./support/domain-errors";
import { makeUser, TEST_PASSWORD } from "./support/factories";

/**
 * The penetration test found `password12`, `Password1!`, `qwerty1234`, `bismillah1` and
 * `indonesia1` accepted, and `user:create` checking only the length. One rule now judges every
 * password a person sets: zxcvbn with Indonesian and common dictionaries, score 3 or more.
 */
let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

let seq = 0;
const email = () => `kuat${++seq}-${Date.now()}@contoh.id`;
const FOUND_WEAK = ["password12", "Password1!", "qwerty1234", "bismillah1", "indonesia1"];
const MORE_WEAK = ["jakarta2024!", "Merdeka45!", "sayangku123", "garuda123456", "rembug2026!"];

describe("the password rule", () => {
  it.each([...FOUND_WEAK, ...MORE_WEAK])("refuses %j at sign-up with a translated hint", async (password) => {
    const address = email();
    const result = await refusalAsync(() => registerUser(db, { displayName: "Siti Aminah", email: address, password }));
    expect(result).toEqual({ status: 400, errors: { password: "errors.passwordWeak" }, params: {} });
    expect(await db.select().from(users).where(eq(users.email, address))).toEqual([]);
  });

  it("refuses the person's own name written together, with digits", async () => {
    const result = await refusalAsync(() => registerUser(db, { displayName: "Siti Aminah", email: email(), password: "sitiaminah1990" }));
    expect(result).toMatchObject({ errors: { password: "errors.passwordWeak" } });
  });

  it("accepts a short sentence", async () => {
    expect((await registerUser(db, { displayName: "Siti Aminah", email: email(), password: "lampu jalan di gang mawar" })).displayName).toBe("Siti Aminah");
  });

  it("refuses a weak new password on the account page", async () => {
    const user = await makeUser(db);
    for (const newPassword of FOUND_WEAK) {
      expect(await refusalAsync(() => changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword }))).toEqual({
        status: 400,
        errors: { newPassword: "errors.passwordWeak" },
        params: {},
      });
    }
  });

  it("refuses a weak password through a reset link, which stays usable", async () => {
    const user = await makeUser(db);
    const token = await issueEmailToken(db, user.id, "reset", RESET_TOKEN_TTL_MS);
    for (const password of FOUND_WEAK) {
      expect(await refusalAsync(() => resetPassword(db, token, password))).toEqual({ status: 400, errors: { password: "errors.passwordWeak" }, params: {} });
    }
    expect((await resetPassword(db, token, "jembatan bambu di kali pesanggrahan")).userId).toBe(user.id);
  });

  it("refuses a weak password for an account made by command", async () => {
    await expect(createVerifiedUser(db, { displayName: "Admin Kota", email: email(), password: "indonesia1", role: "admin" })).rejects.toThrow(
      /too easy to guess/,
    );
  });

  it("makes npm run user:create refuse a weak password with a failing exit code", async () => {
    const { path } = await freshDatabase();
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/user-create.ts", "--email", "admin@kota.go.id", "--role", "admin"], {
      cwd: resolve(__dirname, ".."),
      input: "bismillah1\n",
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: path },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/too easy to guess/);
  });
});

describe("telling the owner", () => {
  const noticesFor = (userId: number) =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.userId, userId), eq(outbox.kind, "account_notice")));

  it("mails the owner, in their language, when their password was changed", async () => {
    const user = await makeUser(db, { locale: "en" });
    expect((await changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword: "hujan deras di bulan januari" })).token).toBeTruthy();
    const [notice, ...more] = await noticesFor(user.id);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ toAddress: user.email, subject: "Your Rembug password was changed" });
    expect(notice!.text).toContain("If this was not you, set a new password at once");
    expect(notice!.text).toContain("{{origin}}/forgot-password");
    expect(notice!.text).not.toContain("hujan deras");
  });

  it("mails the owner in Indonesian when their password was set with a reset link", async () => {
    const user = await makeUser(db);
    const token = await issueEmailToken(db, user.id, "reset", RESET_TOKEN_TTL_MS);
    expect((await resetPassword(db, token, "jembatan bambu di kali pesanggrahan")).userId).toBe(user.id);
    const notices = await noticesFor(user.id);
    expect(notices.map((n) => n.subject)).toEqual(["Kata sandi Rembug Anda telah dibuat ulang"]);
  });

  it("mails nothing when the change was refused", async () => {
    const user = await makeUser(db);
    expect(
      await refusalAsync(() => changePassword(db, user, { currentPassword: "bukan sandi saya", newPassword: "hujan deras di bulan januari" })),
    ).toMatchObject({
      status: 400,
    });
    expect(await refusalAsync(() => changePassword(db, user, { currentPassword: TEST_PASSWORD, newPassword: "Password1!" }))).toMatchObject({ status: 400 });
    expect(await noticesFor(user.id)).toEqual([]);
  });
});
