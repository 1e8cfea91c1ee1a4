import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { comments, type User } from "~db/schema";
import { cookMarkdown } from "~/content/markdown.server";
import { postComment } from "~/discussion/discussion.server";
import { stripControlCharacters } from "~/content/plain-text";
import { setSetting } from "~/settings.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { makeThread } from "./support/more-factories";
import { daysAgo } from "./support/domain-errors";
import { REL, xssViolations } from "./support/xss-check";
import { EVENT_HANDLERS, EVENT_HANDLER_VECTORS, MARKDOWN_VECTORS, OWASP_VECTORS, XSS_CORPUS } from "./support/xss-corpus";

describe("the XSS corpus", () => {
  it("holds at least 300 distinct payloads from every source", async () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(XSS_CORPUS).size).toBe(XSS_CORPUS.length);
    expect(OWASP_VECTORS.length).toBeGreaterThanOrEqual(150);
    expect(EVENT_HANDLERS.length).toBeGreaterThanOrEqual(100);
    expect(EVENT_HANDLER_VECTORS).toContain("<img src=x onerror=alert(1)>");
    expect(EVENT_HANDLER_VECTORS).toContain("<x onanimationstart=alert(1)>");
    expect(MARKDOWN_VECTORS).toContain("[a](javascript:alert(1))");
    expect(XSS_CORPUS.every((p) => p.trim().length > 0 && p.length <= 10_000)).toBe(true);
  });
});

describe("the checker", () => {
  // It must catch what it is meant to catch, or the tests below could not fail.
  it.each([
    ["<script>alert(1)</script>", "<script> element"],
    ["<p><img src=x></p>", "<img> element"],
    ['<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "<svg> element"],
    ['<p onclick="alert(1)">x</p>', "onclick attribute on <p>"],
    ['<p style="color:red">x</p>', "style attribute on <p>"],
    ['<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>', 'href="jav\tascript:alert(1)" on <a>'],
    ['<a href=" &#1;JavaScript:alert(1)" rel="nofollow ugc noopener">x</a>', 'href=" \u0001JavaScript:alert(1)" on <a>'],
    ['<a href="data:text/html,x" rel="nofollow ugc noopener">x</a>', 'href="data:text/html,x" on <a>'],
    ['<a href="https://ok.example">x</a>', "<a> with rel=null"],
    ['<a href="https://ok.example" rel="nofollow">x</a>', '<a> with rel="nofollow"'],
    ["<template><img src=x onerror=alert(1)></template>", "<img> element"],
    ["<div>x</div>", "unexpected <div> element"],
  ])("finds the danger in %j", async (html, expected) => {
    expect(xssViolations(html)).toContain(expected);
  });

  it("passes safe cooked Markdown", async () => {
    expect(xssViolations(cookMarkdown("**Tebal**, _miring_, `kode`, [tautan](https://contoh.id) dan\n\n- satu\n- dua"))).toEqual([]);
    expect(cookMarkdown("[tautan](https://contoh.id)")).toContain('href="https://contoh.id"');
  });
});

describe("cooked Markdown is safe for every payload", () => {
  let db: AppDb;
  let author: User;
  let thread: { id: number; projectId: number };

  beforeAll(async () => {
    db = (await freshDatabase()).db;
    await setSetting(db, "rateCommentsPerMinute", { limit: 100_000, windowSeconds: 60 });
    author = await makeUser(db, { createdAt: daysAgo(30) });
    const project = await makeProject(db);
    thread = await makeThread(db, author.id, project.id);
  });

  const report = (failures: { payload: string; html: string; problems: string[] }[]) =>
    failures.map((f) => `${JSON.stringify(f.payload)}\n  → ${f.html}\n  ✗ ${f.problems.join("; ")}`).join("\n");

  it("through cookMarkdown", async () => {
    const failures = XSS_CORPUS.map((payload) => {
      const html = cookMarkdown(payload);
      return { payload, html, problems: xssViolations(html) };
    }).filter((f) => f.problems.length);
    expect(report(failures)).toBe("");
  });

  it("through the real comment path, as stored in body_html", async () => {
    const failures: { payload: string; html: string; problems: string[] }[] = [];
    // A few payloads differ only by control characters, which the domain strips: the same stored
    // text again within ten minutes would be refused as a duplicate, so each repeat is posted
    // eleven minutes after the previous one.
    const repeats = new Map<string, number>();
    const start = Date.now();
    for (const payload of XSS_CORPUS) {
      const stripped = stripControlCharacters(payload).trim();
      const seen = repeats.get(stripped) ?? 0;
      repeats.set(stripped, seen + 1);
      const posted = await postComment(db, author, thread.id, { body: payload }, new Date(start + seen * 11 * 60_000));
      const stored = (
        await db.select({ bodyHtml: comments.bodyHtml, bodySource: comments.bodySource }).from(comments).where(eq(comments.id, posted.id)).limit(1)
      )[0]!;
      // The source is kept as typed (trimmed), so the author can edit it; only the cooked HTML is shown.
      // The source is stored as typed, less control characters (which the domain strips).
      expect(stored.bodySource).toBe(stripControlCharacters(payload).trim());
      const problems = xssViolations(stored.bodyHtml);
      if (problems.length) failures.push({ payload, html: stored.bodyHtml, problems });
    }
    expect(report(failures)).toBe("");
    expect(await db.select({ id: comments.id }).from(comments).where(eq(comments.threadId, thread.id))).toHaveLength(XSS_CORPUS.length);
  });

  it('keeps ordinary links working, with rel="nofollow ugc noopener"', async () => {
    const html = cookMarkdown("Lihat [peta](https://peta.contoh.id/jalan?id=1&x=2), <https://contoh.id> dan [surat](mailto:rt05@contoh.id).");
    const hrefs = [...html.matchAll(/<a href="([^"]+)" rel="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(hrefs).toEqual([
      ["https://peta.contoh.id/jalan?id=1&amp;x=2", REL],
      ["https://contoh.id", REL],
      ["mailto:rt05@contoh.id", REL],
    ]);
  });
});
