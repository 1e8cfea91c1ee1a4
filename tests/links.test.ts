import { describe, expect, it } from "vitest";
import { commentPath, contentPath, projectPath, proposalPath, threadPath } from "~/content/links";

describe("content addresses", () => {
  it("put a proposal's discussion on the proposal's page, and a comment on its thread's page with its anchor", () => {
    const open = { id: 7, proposalId: null };
    const discussion = { id: 8, proposalId: 3 };
    expect(projectPath("jalan-a")).toBe("/projects/jalan-a");
    expect(projectPath("jalan-a", "updates")).toBe("/projects/jalan-a#updates");
    expect(proposalPath("jalan-a", 3)).toBe("/projects/jalan-a/proposals/3");
    expect(threadPath("jalan-a", open)).toBe("/projects/jalan-a/threads/7");
    expect(threadPath("jalan-a", discussion)).toBe("/projects/jalan-a/proposals/3");
    expect(commentPath("jalan-a", open, 41)).toBe("/projects/jalan-a/threads/7?comment=41#comment-41");
    expect(commentPath("jalan-a", discussion, 42)).toBe("/projects/jalan-a/proposals/3?comment=42#comment-42");
  });

  it("answer every kind of content from one function", () => {
    const thread = { id: 7, proposalId: null };
    expect(contentPath("p", { type: "project" })).toBe(projectPath("p"));
    expect(contentPath("p", { type: "proposal", id: 3 })).toBe(proposalPath("p", 3));
    expect(contentPath("p", { type: "thread", thread })).toBe(threadPath("p", thread));
    expect(contentPath("p", { type: "comment", id: 9, thread })).toBe(commentPath("p", thread, 9));
  });
});
