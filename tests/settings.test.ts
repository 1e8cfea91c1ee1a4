import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { settings } from "~db/schema";
import { getSetting, InvalidSettingError, setSetting, SETTINGS, type SettingKey } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeUser } from "./support/factories";

let db: Db;
beforeEach(() => {
  db = freshDatabase({ appDefaults: true }).db;
});

const storedRows = () => db.select().from(settings).all();

describe("getSetting", () => {
  it("returns the typed defaults when nothing is stored", () => {
    expect(getSetting(db, "premoderationCount")).toBe(2);
    expect(getSetting(db, "linkLimit")).toBe(3);
    expect(getSetting(db, "hideThreshold")).toBe(3);
    expect(getSetting(db, "supportsPerResident")).toBe(5);
    expect(getSetting(db, "signInFreeFailures")).toBe(3);
    expect(getSetting(db, "blockedWords")).toEqual([]);
    expect(getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 10, windowSeconds: 900 });
    expect(storedRows()).toHaveLength(0);
  });

  it("has a default that passes its own schema for every setting", () => {
    for (const [key, def] of Object.entries(SETTINGS)) {
      expect(def.schema.safeParse(def.default).success, key).toBe(true);
      expect(getSetting(db, key as SettingKey)).toEqual(def.default);
    }
  });
});

describe("setSetting", () => {
  it("stores an override that getSetting returns", async () => {
    const admin = await makeUser(db, { role: "admin" });
    setSetting(db, "premoderationCount", 5, admin.id);
    setSetting(db, "rateSignInPerAccount", { limit: 4, windowSeconds: 60 });
    setSetting(db, "blockedWords", ["anjing", "babi"]);
    expect(getSetting(db, "premoderationCount")).toBe(5);
    expect(getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 4, windowSeconds: 60 });
    expect(getSetting(db, "blockedWords")).toEqual(["anjing", "babi"]);
    expect(db.select().from(settings).where(eq(settings.key, "premoderationCount")).get()).toMatchObject({
      value: "5",
      updatedBy: admin.id,
    });
    // Other settings keep their defaults.
    expect(getSetting(db, "linkLimit")).toBe(3);
  });

  it("replaces an earlier override rather than adding a second row", () => {
    setSetting(db, "linkLimit", 1);
    setSetting(db, "linkLimit", 0);
    expect(getSetting(db, "linkLimit")).toBe(0);
    expect(storedRows().filter((r) => r.key === "linkLimit")).toHaveLength(1);
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
  ])("refuses %s and changes nothing", (_label, key, value) => {
    const k = key as SettingKey;
    // A valid override first, so "changes nothing" is visible.
    const before = k === "blockedWords" ? ["kasar"] : k.startsWith("rate") ? { limit: 7, windowSeconds: 70 } : 4;
    setSetting(db, k, before as never);
    expect(() => setSetting(db, k, value as never)).toThrow(InvalidSettingError);
    expect(getSetting(db, k)).toEqual(before);
    expect(storedRows()).toHaveLength(1);
  });

  it("names the setting in the error", () => {
    try {
      setSetting(db, "linkLimit", -5 as never);
      expect.unreachable("setSetting accepted -5");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSettingError);
      expect((error as InvalidSettingError).key).toBe("linkLimit");
    }
  });
});

describe("stored values that went bad", () => {
  const store = (key: string, value: string) => db.insert(settings).values({ key, value }).run();

  it("falls back to the default for corrupt JSON", () => {
    store("premoderationCount", "{not json");
    store("rateSignInPerAccount", "");
    expect(getSetting(db, "premoderationCount")).toBe(2);
    expect(getSetting(db, "rateSignInPerAccount")).toEqual({ limit: 10, windowSeconds: 900 });
  });

  it("falls back to the default for valid JSON that breaks the setting's rules", () => {
    store("linkLimit", "-3");
    store("blockedWords", '"anjing"');
    store("hideThreshold", '"7"');
    expect(getSetting(db, "linkLimit")).toBe(3);
    expect(getSetting(db, "blockedWords")).toEqual([]);
    expect(getSetting(db, "hideThreshold")).toBe(3);
  });
});
