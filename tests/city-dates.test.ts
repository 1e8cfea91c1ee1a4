import { describe, expect, it } from "vitest";
import { parseCityDateTime } from "~/i18n/city-time";
import { validateProjectInput } from "~/projects/projects.server";
import { translator } from "~/i18n/i18n.server";
import { freshDatabase } from "./support/db";
import { makeAreas } from "./support/factories";

const ZONE = "Asia/Jakarta";

describe("14 · dates typed into the app stay within 2000–2200", () => {
  it("refuses years 0000–0099 instead of reading them as 1900–1999", () => {
    for (const value of ["0000-01-01T00:00", "0026-03-01T09:00", "0099-12-31T23:59"]) expect(parseCityDateTime(value, ZONE), value).toBeNull();
  });

  it("refuses the years before 2000 and after 2200, and keeps the ones between", () => {
    expect(parseCityDateTime("1999-12-31T23:59", ZONE)).toBeNull();
    expect(parseCityDateTime("2201-01-01T00:00", ZONE)).toBeNull();
    expect(parseCityDateTime("9999-12-31T23:59", ZONE)).toBeNull();
    expect(parseCityDateTime("2000-01-01T07:00", ZONE)?.toISOString()).toBe("2000-01-01T00:00:00.000Z");
    expect(parseCityDateTime("2200-12-31T23:59", ZONE)?.toISOString()).toBe("2200-12-31T16:59:00.000Z");
    expect(parseCityDateTime("2026-12-01T09:00", ZONE)?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
  });

  it("tells the planner which years the project form takes, in both languages", () => {
    const { db } = freshDatabase();
    const area = makeAreas(db).kelurahan;
    const input = { title: "Jalan baru", summary: "Ringkas.", body: "Isi.", category: "roads", areaId: String(area.id), budget: "1000", opensAt: "0026-03-01T09:00", closesAt: "0026-04-01T09:00" };
    const result = validateProjectInput(db, input, ZONE);
    expect(result.ok).toBe(false);
    const errors = result.ok ? {} : result.errors;
    expect(errors).toMatchObject({ opensAt: "projects.form.dateOutOfRange", closesAt: "projects.form.dateOutOfRange" });
    expect(translator("en")("projects.form.dateOutOfRange")).toContain("2000 and 2200");
    expect(translator("id")("projects.form.dateOutOfRange")).toContain("2000 dan 2200");
    db.$client.close();
  });
});
