import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { Marked } from "marked";
import type { AppDb } from "~db/engine";
import { commentRevisions, comments, type User } from "~db/schema";
import { DomainError, type FormFailure } from "~/domain-error";
import { BODY_MAX, editComment, openThread, postComment } from "~/discussion/discussion.server";
import { MARKDOWN_MAX, cookMarkdown, cookMarkdownWithLinks, markedHtml } from "~/content/markdown.server";
import {
  BoundedTokenizer,
  CODE_SPAN_MAX,
  EMAIL_LOCAL_MAX,
  EMPHASIS_BUDGET,
  EMPHASIS_MAX_RUN,
  MARKDOWN_MAX_NESTING,
  MarkdownTooSlowError,
  QUOTE_MAX_RETURNS,
  SETEXT_MAX_LINES,
  blockNestingDepth,
} from "~/content/markdown-guard.server";
import { previewMarkdown } from "~/discussion/preview.server";
import { handleCommentIntent } from "~/http/comment-page.server";
import { composeAction } from "~/http/compose.server";
import { answerProposal } from "~/proposals/proposals.server";
import { setSetting } from "~/settings.server";
import { fill, hostileCorpus } from "../scripts/bench/markdown-corpus";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { makeProposal, makeThread } from "./support/more-factories";
import { daysAgo, daysFromNow, expectDomainError } from "./support/domain-errors";
import { xssViolations } from "./support/xss-check";

/**
 * Markdown that froze or crashed the server (issue 10, findings 1 and 2). Every assertion here is
 * about what the guard does with a shape — refuses it, or parses it another way — never about how
 * long it took: the times are in docs/BENCHMARKS.md (`npm run bench:markdown`).
 */

const tooDeep = async (fn: () => unknown, field = "body") => {
  const error = await expectDomainError(fn, 400, "markdown.tooDeep");
  expect(error.field).toBe(field);
  expect(error.params).toEqual({ max: MARKDOWN_MAX_NESTING });
};

describe("nesting is bounded before it can overflow the stack", () => {
  it.each([
    ["'>' × 3,000", ">".repeat(3_000)],
    ["'> ' × 5,000", "> ".repeat(5_000)],
    ["'>' at the posting cap", ">".repeat(MARKDOWN_MAX)],
    ["'1. ' × 3,000", "1. ".repeat(3_000)],
    ["'> - ' × 2,000", "> - ".repeat(2_000)],
    ["'- > ' × 2,000 + 'a'", `${"- > ".repeat(2_000)}a`],
    ["a quote 21 deep", `${"> ".repeat(MARKDOWN_MAX_NESTING + 1)}a`],
    ["a list 21 deep", `${"- ".repeat(MARKDOWN_MAX_NESTING + 1)}a`],
    ["a list nested by indentation, 200 levels", Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n")],
    ["a quote nested by lazy lines", Array.from({ length: 60 }, (_, i) => `${">".repeat(i + 1)} a`).join("\n")],
  ])("refuses %s with the translated 400, not a RangeError", async (_name, text) => {
    await tooDeep(() => cookMarkdown(text));
    await tooDeep(() => cookMarkdownWithLinks(text, "answer"), "answer");
  });

  it("accepts nesting up to the limit, and counts only real markers", async () => {
    expect(cookMarkdown(`${"> ".repeat(MARKDOWN_MAX_NESTING)}a`)).toContain("<blockquote>");
    expect(cookMarkdown(`${"- ".repeat(MARKDOWN_MAX_NESTING - 1)}a`)).toContain("<li>");
    expect(cookMarkdown(`${"1. ".repeat(MARKDOWN_MAX_NESTING)}a`)).toContain("<ol>");
    // A thematic break and a fenced block are not nesting.
    expect(blockNestingDepth("- - - - - - - - - - - - - - - - - - - - - - - - -")).toBe(0);
    expect(cookMarkdown("* ".repeat(5_000))).toBe("<hr />");
    expect(blockNestingDepth(`\`\`\`\n${"> ".repeat(100)}\n\`\`\``)).toBe(0);
    expect(cookMarkdown(`\`\`\`\n${"> ".repeat(100)}\n\`\`\``)).toContain("&gt; &gt;");
    expect(blockNestingDepth("> > - 1. text")).toBe(4);
  });

  it("leaves emphasis and links deeper than the limit as literal text", async () => {
    const depth = MARKDOWN_MAX_NESTING + 5;
    const images = `${"[![".repeat(depth)}a${"](b)](c)".repeat(depth)}`;
    const html = cookMarkdown(images);
    expect(html).toContain("[![");
    const brackets = `${"[".repeat(2_000)}a${"](b)".repeat(2_000)}`;
    expect(() => cookMarkdown(brackets)).not.toThrow();
  });
});

describe("the slow shapes are parsed another way", () => {
  it("reads at most 64 characters before '@' as an e-mail address (was quadratic: 'a' × 65,400 + '@')", async () => {
    const local = (n: number) => cookMarkdown(`${"a".repeat(n)}@contoh.id`).match(/mailto:(a+)@/)?.[1]?.length;
    expect(local(EMAIL_LOCAL_MAX)).toBe(EMAIL_LOCAL_MAX);
    // Longer is not an address (RFC 5321 allows 64); stock marked linked it after scanning it all.
    expect(local(EMAIL_LOCAL_MAX + 10)).toBeUndefined();
    expect(cookMarkdownWithLinks(fill("a", BODY_MAX, "", "@"))).toEqual({ html: `<p>${"a".repeat(BODY_MAX - 1)}@</p>`, links: 0 });
    expect(cookMarkdownWithLinks(fill("a_", BODY_MAX, "", "@b")).links).toBe(0);
    expect(cookMarkdownWithLinks("tulis ke warga@contoh.id").links).toBe(1);
  });

  it("tries at most EMPHASIS_BUDGET emphasis openers in a text; the rest stay literal", async () => {
    for (const unit of ["**_", "*a **a", "*a", "_a", "a **"]) {
      const html = cookMarkdown(fill(unit, BODY_MAX));
      const spans = (html.match(/<(em|strong)>/g) ?? []).length;
      expect(spans, unit).toBeLessThanOrEqual(EMPHASIS_BUDGET);
    }
    // Ordinary emphasis is untouched.
    expect(cookMarkdown("**tebal** dan _miring_ dan ~~coret~~")).toBe("<p><strong>tebal</strong> dan <em>miring</em> dan <del>coret</del></p>");
  });

  it("never makes emphasis of a run longer than EMPHASIS_MAX_RUN (it nested once per pair and overflowed)", async () => {
    const run = "*".repeat(EMPHASIS_MAX_RUN + 2);
    expect(cookMarkdown(`${run}a${run}`)).toBe(`<p>${run}a${run}</p>`);
    const huge = `${"**".repeat(2_500)}a${"**".repeat(2_500)}`;
    expect(cookMarkdown(huge)).not.toContain("<strong>");
  });

  it(`closes a code span within ${CODE_SPAN_MAX} characters, or leaves the backticks literal`, async () => {
    expect(cookMarkdown(`\`${"a".repeat(CODE_SPAN_MAX - 2)}\``)).toContain("<code>");
    expect(cookMarkdown(`\`${"a".repeat(CODE_SPAN_MAX + 10)}\``)).not.toContain("<code>");
    expect(cookMarkdown("pakai `npm run dev` dulu")).toBe("<p>pakai <code>npm run dev</code> dulu</p>");
  });

  it(`makes a setext heading of at most ${SETEXT_MAX_LINES} lines (the underline was looked for to the end of the text)`, async () => {
    const lines = (n: number) => `${Array.from({ length: n }, (_, i) => `baris ${i}`).join("\n")}\n---`;
    expect(cookMarkdown(lines(2))).toMatch(/^<h[1-6]>/);
    // Stock marked makes all fifteen lines one heading; here the first lines stay a paragraph.
    const long = cookMarkdown(lines(SETEXT_MAX_LINES + 5));
    expect(long).toMatch(/^<p>baris 0<br \/>/);
    expect(long).not.toMatch(/<h[1-6]>[^<]*baris 0/);
    expect(cookMarkdown("Judul\n===")).toMatch(/^<h[1-6]>Judul<\/h[1-6]>$/);
  });

  it(`ends a block quote after ${QUOTE_MAX_RETURNS} returns from lazy lines (each return re-parsed the rest)`, async () => {
    const html = cookMarkdown(fill("> - a\nb\n", BODY_MAX));
    const quotes = (html.match(/<blockquote>/g) ?? []).length;
    expect(quotes).toBeGreaterThan(1);
    // A quote with a few lazy lines is one quote, as before.
    expect((cookMarkdown("> satu\ndua\n> tiga\nempat\n> lima").match(/<blockquote>/g) ?? []).length).toBe(1);
  });

  it("stops a parse that runs past its time budget with the translated refusal (the last resort)", async () => {
    const tokenizer = new BoundedTokenizer();
    const marked = new Marked({ gfm: true, breaks: true, async: false });
    marked.setOptions({ tokenizer });
    tokenizer.reset(performance.now() - 60_000);
    expect(() => marked.parse("satu\n\ndua", { async: false })).toThrow(MarkdownTooSlowError);
    tokenizer.reset();
    expect(marked.parse("satu\n\ndua", { async: false })).toContain("<p>dua</p>");
  });

  it("cooks or refuses every hostile input of the corpus at the posting cap, with safe HTML and never another error", async () => {
    for (const { name, text } of hostileCorpus(BODY_MAX)) {
      try {
        const { html } = cookMarkdownWithLinks(text);
        expect(xssViolations(html), name).toEqual([]);
      } catch (error) {
        expect(error, name).toBeInstanceOf(DomainError);
        expect((error as DomainError).key, name).toBe("markdown.tooDeep");
      }
    }
  });

  it("gives the same HTML as marked for ordinary text", async () => {
    const stock = new Marked({ gfm: true, breaks: true, async: false });
    const samples = [
      "# Judul\n\nParagraf dengan **tebal**, _miring_, `kode` dan [tautan](https://contoh.id).",
      "- satu\n- dua\n  - tiga\n\n1. a\n2. b",
      "> kutipan\n> > dalam\n\nlanjut",
      "| a | b |\n|---|:-:|\n| 1 | 2 |",
      "www.contoh.id dan https://contoh.id/x?y=1 dan warga@contoh.id",
      "Baris satu\nbaris dua  \nbaris tiga\n\n***\n\n```js\nkode()\n```",
      "[ref]: https://contoh.id\n\nLihat [ref] dan [teks][ref].",
      "Judul\n-----\n\nisi ~~lama~~ baru",
    ];
    for (const text of samples) expect(markedHtml(text), text).toBe(stock.parse(text, { async: false }));
  });
});

describe("previews, edits and revisions are bounded like posting", () => {
  let db: AppDb;
  let ani: User;
  let planner: User;
  let thread: { id: number; projectId: number; proposalId: number | null };

  beforeAll(async () => {
    db = (await freshDatabase()).db;
    ani = await makeUser(db, { createdAt: daysAgo(30) });
    planner = await makeUser(db, { role: "planner", createdAt: daysAgo(30) });
    thread = await makeThread(db, ani.id);
    await setSetting(db, "rateCommentsPerMinute", { limit: 1_000, windowSeconds: 60 });
  });

  it("refuses a preview over the posting cap, as posting does", async () => {
    const long = "a".repeat(BODY_MAX + 1);
    expect(BODY_MAX).toBe(MARKDOWN_MAX);
    const error = await expectDomainError(() => previewMarkdown(db, ani, long), 400, "errors.tooLongMax");
    expect(error.params).toEqual({ max: MARKDOWN_MAX });
    await expectDomainError(() => postComment(db, ani, thread.id, { body: long }), 400, "errors.tooLongMax");
    expect(await previewMarkdown(db, ani, "a".repeat(BODY_MAX))).toBe(`<p>${"a".repeat(BODY_MAX)}</p>`);
    expect((await expectDomainError(() => previewMarkdown(db, planner, long, { field: "answer" }), 400)).field).toBe("answer");
  });

  it("answers an over-long or too-deep comment preview with a 400 that keeps the text", async () => {
    for (const [body, key] of [
      ["a".repeat(BODY_MAX + 1), "errors.tooLongMax"],
      ["> ".repeat(5_000), "markdown.tooDeep"],
    ] as const) {
      const form = new FormData();
      form.set("mode", "comment");
      form.set("body", body);
      const reply = (await handleCommentIntent(db, ani, "jalan", thread, "preview", form)) as unknown as {
        data: FormFailure;
        init: { status: number };
      };
      expect(reply.init.status).toBe(400);
      expect(reply.data).toMatchObject({ ok: false, errors: [{ key, field: "body" }] });
      expect(reply.data.values.body).toBe(body);
    }
  });

  it("answers an over-long compose preview (new thread or proposal) with a 400 that keeps the text", async () => {
    const body = "a".repeat(BODY_MAX + 1);
    const request = new Request("http://localhost/projects/jalan/threads/new", {
      method: "POST",
      body: new URLSearchParams({ intent: "preview", title: "Judul", body }),
    });
    const reply = (await composeAction(
      request,
      { db, user: ani },
      "open",
      async () => ({ id: 1 }),
      (id) => `/${id}`,
    )) as unknown as { data: FormFailure; init: { status: number } };
    expect(reply.init.status).toBe(400);
    expect(reply.data.errors.map((e) => e.key)).toEqual(["errors.tooLongMax"]);
    expect(reply.data.values).toEqual({ title: "Judul", body });
  });

  it("refuses previews to a suspended account, staff included", async () => {
    const suspended = await makeUser(db, { suspendedUntil: daysFromNow(3) });
    const suspendedPlanner = await makeUser(db, { role: "planner", suspendedUntil: daysFromNow(3) });
    await expectDomainError(() => previewMarkdown(db, suspended, "halo"), 403, "accounts.refusal.suspendedUntil");
    await expectDomainError(() => previewMarkdown(db, suspendedPlanner, "halo"), 403, "accounts.refusal.suspendedUntil");
  });

  it("rate-limits previews per account", async () => {
    const user = await makeUser(db);
    await setSetting(db, "ratePreviewsPerMinute", { limit: 3, windowSeconds: 60 });
    const now = new Date();
    for (let i = 0; i < 3; i++) await previewMarkdown(db, user, `coba ${i}`, { now });
    const error = await expectDomainError(() => previewMarkdown(db, user, "sekali lagi", { now }), 429, "markdown.previewRateLimited");
    expect(error.params.seconds).toBeGreaterThan(0);
    // Another account has its own allowance; the window passes.
    expect(await previewMarkdown(db, ani, "boleh", { now })).toBe("<p>boleh</p>");
    expect(await previewMarkdown(db, user, "nanti", { now: new Date(now.getTime() + 61_000) })).toBe("<p>nanti</p>");
    await setSetting(db, "ratePreviewsPerMinute", { limit: 1_000, windowSeconds: 60 });
  });

  it("rate-limits edits per account", async () => {
    const user = await makeUser(db, { createdAt: daysAgo(30) });
    await setSetting(db, "rateEditsPerHour", { limit: 2, windowSeconds: 3600 });
    const comment = await postComment(db, user, thread.id, { body: "Versi satu." });
    await editComment(db, user, comment.id, "Versi dua.");
    await editComment(db, user, comment.id, "Versi tiga.");
    await expectDomainError(() => editComment(db, user, comment.id, "Versi empat."), 429, "errors.rateLimitedFor");
    expect((await db.select().from(comments).where(eq(comments.id, comment.id)).limit(1))[0]!.bodySource).toBe("Versi tiga.");
    await setSetting(db, "rateEditsPerHour", { limit: 1_000, windowSeconds: 3600 });
  });

  it("refuses an edit past the revision cap with a translated message", async () => {
    const user = await makeUser(db, { createdAt: daysAgo(30) });
    await setSetting(db, "commentRevisionsMax", 3);
    const comment = await postComment(db, user, thread.id, { body: "Versi 0." });
    for (let i = 1; i <= 3; i++) await editComment(db, user, comment.id, `Versi ${i}.`);
    const error = await expectDomainError(() => editComment(db, user, comment.id, "Versi 4."), 403, "discussion.revisionLimit");
    expect(error.params).toEqual({ max: 3 });
    expect(await db.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id))).toHaveLength(3);
    await setSetting(db, "commentRevisionsMax", 20);
  });

  it("refuses too-deep text on every write with the translated 400 on its field, writing nothing", async () => {
    const deep = "> ".repeat(5_000);
    const before = (await db.select().from(comments)).length;
    await tooDeep(() => postComment(db, ani, thread.id, { body: deep }));
    const comment = await postComment(db, ani, thread.id, { body: "Biasa saja." });
    await tooDeep(() => editComment(db, ani, comment.id, deep));
    expect((await db.select().from(comments)).length).toBe(before + 1);
    await tooDeep(() => openThread(db, ani, thread.projectId, { title: "Judul", body: deep }));
    const project = await makeProject(db, { phase: "consultation" });
    const proposal = await makeProposal(db, ani.id, project.id);
    await tooDeep(() => answerProposal(db, planner, proposal.id, { status: "accepted", answer: deep }), "answer");
  });
});
