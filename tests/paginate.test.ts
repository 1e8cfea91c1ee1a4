import { describe, expect, it } from "vitest";
import { paginate } from "~/paginate";

describe("paginate", () => {
  it("counts the pages a list fills and the rows before the asked page", () => {
    expect(paginate(45, 1, 20)).toEqual({ page: 1, pageCount: 3, offset: 0 });
    expect(paginate(45, 3, 20)).toEqual({ page: 3, pageCount: 3, offset: 40 });
    expect(paginate(40, 2, 20)).toEqual({ page: 2, pageCount: 2, offset: 20 });
  });

  it("gives an empty list one page", () => {
    expect(paginate(0, 1, 20)).toEqual({ page: 1, pageCount: 1, offset: 0 });
  });

  it("keeps a page past the end as asked, so it shows no rows", () => {
    expect(paginate(45, 9, 20)).toEqual({ page: 9, pageCount: 3, offset: 160 });
  });

  it("brings the page into 1…pageCount when asked to clamp", () => {
    expect(paginate(45, 9, 20, { clamp: true })).toEqual({ page: 3, pageCount: 3, offset: 40 });
    expect(paginate(45, 0, 20, { clamp: true })).toEqual({ page: 1, pageCount: 3, offset: 0 });
  });
});
