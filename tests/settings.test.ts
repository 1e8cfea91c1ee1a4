import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { settings } from "~db/schema";
import { getSetting, InvalidSettingError, setSetting, SETTINGS, type SettingKey } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeUser } from "./support/factories";

let db: AppDb;
beforeEach(async () => {
  db = (await freshDatabase({ appDefaults: true })).db;
});

const storedRows = () => db.select().from(settings);

describe("getSetting", () => {
  it("returns the typed defaults when nothing is stored", async () => {
    expect(await getSetting(db, "premoderationCount")).toBe(2);
    expect(await getSetting(db, "linkLimit")).toBe(3);
    expect(await getSetting(db, "hideThreshold")).toBe(3);
    expect(await getSetting(db, "supportsPerResident")).toBe(5);
    expect(await getSetting(db, "signInFreeFailures")).toBe(3);
    expect(await getSetting(db, "blockedWords")).toEqual([]);
    expect(await getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 10, windowSeconds: 900 });
    expect(await storedRows()).toHaveLength(0);
  });

  it("has a default that passes its own schema for every setting", async () => {
    for (const [key, def] of Object.entries(SETTINGS)) {
      expect(def.schema.safeParse(def.default).success, key).toBe(true);
      expect(await getSetting(db, key as SettingKey)).toEqual(def.default);
    }
  });
});

describe("setSetting", () => {
  it("stores an override that getSetting returns", async () => {
    const admin = await makeUser(db, { role: "admin" });
    await setSetting(db, "premoderationCount", 5, admin.id);
    await setSetting(db, "rateSignInPerAccount", { limit: 4, windowSeconds: 60 });
    await setSetting(db, "blockedWords", ["anjing", "babi"]);
    expect(await getSetting(db, "premoderationCount")).toBe(5);
    expect(await getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 4, windowSeconds: 60 });
    expect(await getSetting(db, "blockedWords")).toEqual(["anjing", "babi"]);
    expect((await db.select().from(settings).where(eq(settings.key, "premoderationCount")).limit(1))[0]).toMatchObject({
      value: "5",
      updatedBy: admin.id,
    });
    // Other settings keep their defaults.
    expect(await getSetting(db, "linkLimit")).toBe(3);
  });

  it("replaces an earlier override rather than adding a second row", async () => {
    await setSetting(db, "linkLimit", 1);
    await setSetting(db, "linkLimit", 0);
    expect(await getSetting(db, "linkLimit")).toBe(0);
    expect((await storedRows()).filter((r) => r.key === "linkLimit")).toHaveLength(1);
  });

  it.each([
    ["a negative count", "premoderationCount", -1],
    ["a non-integer", "linkLimit", 1.5],
    ["a string instead of a number", "hideThreshold", "3"],
    ["null", "supportsPerResident", null],
    ["an absurdly large number", "premoderationCount", 1e9],
    ["a zero hide threshold", "hideThreshold", 0],
    ["a rate rule with limit 0", "rateSignInPerAccount", { limit: 0, windowSeconds: 60 }],
    ["a rate rule with a fractional window", "rateSignInPerAddress", { limit: 5, windowSeconds: 0.5 }],
    ["a rate rule with a year-long window", "rateSignUpPerAddress", { limit: 5, windowSeconds: 365 * 86400 }],
    ["a rate rule missing a field", "rateSignInPerAccount", { limit: 5 }],
    ["a word list that is not a list", "blockedWords", "anjing"],
    ["a word list with an empty word", "blockedWords", ["ok", ""]],
  ])("refuses %s and changes nothing", async (_label, key, value) => {
    const k = key as SettingKey;
    // A valid override first, so "changes nothing" is visible.
    const before = k === "blockedWords" ? ["kasar"] : k.startsWith("rate") ? { limit: 7, windowSeconds: 70 } : 4;
    await setSetting(db, k, before as never);
    await expect(setSetting(db, k, value as never)).rejects.toThrow(InvalidSettingError);
    expect(await getSetting(db, k)).toEqual(before);
    expect(await storedRows()).toHaveLength(1);
  });

  it("names the setting in the error", async () => {
    try {
      await setSetting(db, "linkLimit", -5 as never);
      expect.unreachable("setSetting accepted -5");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSettingError);
      expect((error as InvalidSettingError).key).toBe("linkLimit");
    }
  });
});

describe("stored values that went bad", () => {
  const store = (key: string, value: string) =>
    withWriteTx(db, async (tx) => {
      await tx.insert(settings).values({ key, value });
    });

  it("falls back to the default for corrupt JSON", async () => {
    await store("premoderationCount", "{not json");
    await store("rateSignInPerAccount", "");
    expect(await getSetting(db, "premoderationCount")).toBe(2);
    expect(await getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 10, windowSeconds: 900 });
  });

  it("falls back to the default for valid JSON that breaks the setting's rules", async () => {
    await store("linkLimit", "-3");
    await store("blockedWords", '"anjing"');
    await store("hideThreshold", '"7"');
    expect(await getSetting(db, "linkLimit")).toBe(3);
    expect(await getSetting(db, "blockedWords")).toEqual([]);
    expect(await getSetting(db, "hideThreshold")).toBe(3);
  });
});
