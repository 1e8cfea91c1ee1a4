import { describe, expect, it } from "vitest";
import { parseCount, parseId } from "~/ids";
import { parseProjectFilters } from "~/http/project-filters.server";
import { parseQueueFilters } from "~/http/queue-filters.server";
import { namedPage } from "~/ui/pagination";
import { idParam } from "~/http/domain-response.server";

const LOOSE = [" 7 ", "7 ", "0x10", "0b11", "0o7", "1e3", "7.0", "+7", "-7", "07", "0", "", "١٢", "9007199254740993", "Infinity"];

describe("18 · ids and page numbers are read strictly", () => {
  it("takes plain decimal digits from 1 up, and nothing Number() would stretch to a number", () => {
    expect(parseId("7")).toBe(7);
    expect(parseId("123456789012345")).toBe(123456789012345);
    for (const value of LOOSE) expect(parseId(value), JSON.stringify(value)).toBeNull();
    expect(parseId(null)).toBeNull();
    expect(parseId(undefined)).toBeNull();
    expect(parseId(16)).toBe(16);
    expect(parseId(1.5)).toBeNull();
  });

  it("reads a version as a count: 0 and up, as strictly", () => {
    expect(parseCount("0")).toBe(0);
    expect(parseCount("12")).toBe(12);
    for (const value of LOOSE.filter((v) => v !== "0")) expect(parseCount(value), JSON.stringify(value)).toBeNull();
  });

  it("reads a loose project filter of the moderation queue as none", () => {
    expect(parseQueueFilters(new URL("http://x/staff/moderation?project=0x10")).projectId).toBeNull();
    expect(parseQueueFilters(new URL("http://x/staff/moderation?project=%2016")).projectId).toBeNull();
    expect(parseQueueFilters(new URL("http://x/staff/moderation?project=16")).projectId).toBe(16);
  });

  it("answers a loose route id with 404", () => {
    for (const value of ["0x10", " 7", "07"]) expect(() => idParam(value), value).toThrow(Response);
  });

  it("reads a loose page or area in a URL as none", () => {
    expect(namedPage(new URL("http://x/?page=0x2"), "page")).toBe(1);
    expect(namedPage(new URL("http://x/?page=%203"), "page")).toBe(1);
    expect(namedPage(new URL("http://x/?page=3"), "page")).toBe(3);
    expect(parseProjectFilters(new URL("http://x/projects?area=0x10&page=1e1"))).toMatchObject({ kecamatanId: null, page: 1 });
    expect(parseProjectFilters(new URL("http://x/projects?area=16&page=2"))).toMatchObject({ kecamatanId: 16, page: 2 });
  });
});
