import { beforeAll, describe, expect, it } from "vitest";
import type { AppDb } from "~db/engine";
import { rateLimits } from "~db/schema";
import { signIn } from "~/accounts/sign-in.server";
import { requestPasswordReset, resetPassword } from "~/accounts/password-reset.server";
import { issueEmailToken, RESET_TOKEN_TTL_MS } from "~/accounts/email-tokens.server";
import { DomainError } from "~/domain-error";
import { freshDatabase } from "./support/db";
import { refusalAsync } from "./support/domain-errors";
import { makeUser, TEST_PASSWORD } from "./support/factories";

/**
 * The penetration test's lock-out: ten wrong passwords from anywhere kept the owner's right one
 * out for fifteen minutes, renewable at will. The back-off is now per account and address.
 */
let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

const ATTACKER = "198.51.100.7";
const from = (clientAddress: string) => ({ db, clientAddress });

async function hammer(email: string, clientAddress: string, times: number) {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    try {
      await signIn(from(clientAddress), { email, password: `tebakan salah ${i}` });
      statuses.push(200);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      statuses.push(error.status);
    }
  }
  return statuses;
}

describe("sign-in back-off", () => {
  it("lets the owner sign in from their own address while an attacker keeps failing from another", async () => {
    const owner = await makeUser(db);
    const statuses = await hammer(owner.email!, ATTACKER, 15);
    expect(statuses).toContain(429);
    const signedIn = await signIn(from("203.0.113.20"), { email: owner.email!, password: TEST_PASSWORD });
    expect(signedIn.step).toBe("session");
  });

  it("still slows the attacker's address: there even the right password waits", async () => {
    const owner = await makeUser(db);
    await hammer(owner.email!, ATTACKER, 6);
    const refused = await refusalAsync(() => signIn(from(ATTACKER), { email: owner.email!, password: TEST_PASSWORD }));
    expect(refused).toMatchObject({ status: 429, errors: { form: "errors.rateLimited" } });
    expect(refused.params.seconds).toBeGreaterThan(0);
  });

  it("lets the owner in from an address without failures when many addresses have spent the account's ceiling", async () => {
    const owner = await makeUser(db);
    for (let i = 1; i <= 20; i++) await hammer(owner.email!, `192.0.2.${i}`, 2);
    // Every guessing address is now refused; a guessing address with the right password too.
    expect(await refusalAsync(() => signIn(from("192.0.2.1"), { email: owner.email!, password: TEST_PASSWORD }))).toMatchObject({ status: 429 });
    expect((await signIn(from("203.0.113.21"), { email: owner.email!, password: TEST_PASSWORD })).step).toBe("session");
  });

  it("leaves another account signed in to from the attacker's address alone", async () => {
    const owner = await makeUser(db);
    const neighbour = await makeUser(db);
    await hammer(owner.email!, ATTACKER, 8);
    expect((await signIn(from(ATTACKER), { email: neighbour.email!, password: TEST_PASSWORD })).step).toBe("session");
  });

  it("forgets the failures of every address once the password is reset", async () => {
    const owner = await makeUser(db);
    await hammer(owner.email!, ATTACKER, 8);
    const token = await issueEmailToken(db, owner.id, "reset", RESET_TOKEN_TTL_MS);
    const newPassword = "jembatan bambu di kali pesanggrahan";
    expect((await resetPassword(db, token, newPassword)).userId).toBe(owner.id);
    expect((await signIn(from(ATTACKER), { email: owner.email!, password: newPassword })).step).toBe("session");
  });
});

describe("rate-limit keys", () => {
  it("never store the e-mail address that was typed, for sign-in or reset", async () => {
    const owner = await makeUser(db);
    const typo = `salah.ketik.${Date.now()}@contoh.id`;
    await hammer(owner.email!, "198.51.100.8", 4);
    await hammer(typo, "198.51.100.8", 2);
    await requestPasswordReset(db, { email: owner.email!, clientAddress: "198.51.100.8" });
    const keys = (await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key);
    expect(keys.some((k) => k.startsWith("signin:"))).toBe(true);
    for (const address of [owner.email!, typo]) {
      const local = address.split("@")[0]!;
      expect(keys.filter((k) => k.includes(local) || k.includes(address))).toEqual([]);
    }
  });
});
