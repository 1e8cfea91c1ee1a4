import { describe, expect, it } from "vitest";
import { parseCityDateTime, parseCityDayRange } from "~/i18n/city-time";
import { validateProjectInput } from "~/projects/projects.server";
import { translator } from "~/i18n/i18n.server";
import { closeAppDatabase } from "~db/engine";
import { freshDatabase } from "./support/db";
import { refusal } from "./support/domain-errors";
import { makeAreas } from "./support/factories";

const ZONE = "Asia/Jakarta";

describe("14 · dates typed into the app stay within 2000–2200", () => {
  it("refuses years 0000–0099 instead of reading them as 1900–1999", async () => {
    for (const value of ["0000-01-01T00:00", "0026-03-01T09:00", "0099-12-31T23:59"]) expect(parseCityDateTime(value, ZONE), value).toBeNull();
  });

  it("refuses the years before 2000 and after 2200, and keeps the ones between", async () => {
    expect(parseCityDateTime("1999-12-31T23:59", ZONE)).toBeNull();
    expect(parseCityDateTime("2201-01-01T00:00", ZONE)).toBeNull();
    expect(parseCityDateTime("9999-12-31T23:59", ZONE)).toBeNull();
    expect(parseCityDateTime("2000-01-01T07:00", ZONE)?.toISOString()).toBe("2000-01-01T00:00:00.000Z");
    expect(parseCityDateTime("2200-12-31T23:59", ZONE)?.toISOString()).toBe("2200-12-31T16:59:00.000Z");
    expect(parseCityDateTime("2026-12-01T09:00", ZONE)?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
  });

  it("tells the planner which years the project form takes, in both languages", async () => {
    const { db } = await freshDatabase();
    const area = (await makeAreas(db)).kelurahan;
    const input = {
      title: "Jalan baru",
      summary: "Ringkas.",
      body: "Isi.",
      category: "roads",
      areaId: String(area.id),
      budget: "1000",
      opensAt: "0026-03-01T09:00",
      closesAt: "0026-04-01T09:00",
    };
    const { errors } = await refusal(() => validateProjectInput(db, input, ZONE));
    expect(errors).toMatchObject({ opensAt: "projects.form.dateOutOfRange", closesAt: "projects.form.dateOutOfRange" });
    expect(translator("en")("projects.form.dateOutOfRange")).toContain("2000 and 2200");
    expect(translator("id")("projects.form.dateOutOfRange")).toContain("2000 dan 2200");
    await closeAppDatabase(db);
  });
});

describe("a range of city days (report filters and the moderation log)", () => {
  it("starts at the city's midnight of `from` and ends at the start of the day after `to`", async () => {
    const range = parseCityDayRange("2026-03-01", "2026-03-31", ZONE);
    expect(range.errors).toEqual({});
    expect(range.from?.toISOString()).toBe("2026-02-28T17:00:00.000Z");
    expect(range.to?.toISOString()).toBe("2026-03-31T17:00:00.000Z");
  });

  it("takes one end alone, and no range at all", async () => {
    expect(parseCityDayRange("", "2026-03-01", ZONE)).toMatchObject({ from: null, errors: {} });
    expect(parseCityDayRange("2026-03-01", "", ZONE)).toMatchObject({ to: null, errors: {} });
    expect(parseCityDayRange("", "", ZONE)).toEqual({ from: null, to: null, errors: {} });
  });

  it("calls a day that does not exist invalid, on its own field", async () => {
    expect(parseCityDayRange("2026-02-30", "", ZONE).errors).toEqual({ from: "invalid" });
    expect(parseCityDayRange("", "1999-12-31", ZONE).errors).toEqual({ to: "invalid" });
    expect(parseCityDayRange("01-03-2026", "2026-13-01", ZONE).errors).toEqual({ from: "invalid", to: "invalid" });
  });

  it("calls a `to` day before the `from` day reversed, and accepts a single day", async () => {
    expect(parseCityDayRange("2026-03-02", "2026-03-01", ZONE).errors).toEqual({ to: "reversed" });
    expect(parseCityDayRange("2026-03-01", "2026-03-01", ZONE).errors).toEqual({});
  });
});
