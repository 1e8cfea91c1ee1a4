import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { withWriteTx } from "~db/engine";
import { users, type User } from "~db/schema";
import { createSession, sessionCookieName } from "~/accounts/session.server";
import { flagContent } from "~/moderation/flags.server";
import { startHttpApp, type HttpApp } from "./support/http-app";
import { sourceBuild } from "./support/source-build";
import { makeProject, makeUser } from "./support/factories";
import { makeComment, makeProposal, makeThread } from "./support/more-factories";

// What a page offers is the server's answer from the domain's own checks: a person is never shown
// a form the server would refuse with a 403 (the refusal stays, and is tested, as the backstop).
let app: HttpApp;
let build: ServerBuild;
let closeBuild: () => Promise<void>;
let threadPath: string;
let proposalPath: string;
let ownCommentId: number;
let otherCommentId: number;
const viewers: Record<string, User> = {};
const suspended = () => new Date(Date.now() + 7 * 86_400_000);

beforeAll(async () => {
  const source = await sourceBuild();
  build = source.build;
  closeBuild = source.close;
  app = await startHttpApp({ build });
  const author = await makeUser(app.db);
  viewers.author = author;
  viewers.resident = await makeUser(app.db);
  viewers.flagger = await makeUser(app.db);
  viewers.suspendedResident = await makeUser(app.db, { suspendedUntil: suspended() });
  viewers.moderator = await makeUser(app.db, { role: "moderator" });
  viewers.suspendedModerator = await makeUser(app.db, { role: "moderator", suspendedUntil: suspended() });
  viewers.suspendedAuthor = await makeUser(app.db);
  const project = await makeProject(app.db);
  const thread = await makeThread(app.db, author.id, project.id);
  ownCommentId = (await makeComment(app.db, thread, viewers.suspendedAuthor.id)).id;
  otherCommentId = (await makeComment(app.db, thread, author.id)).id;
  const proposal = await makeProposal(app.db, author.id, project.id);
  threadPath = `/projects/${project.slug}/threads/${thread.id}`;
  proposalPath = `/projects/${project.slug}/proposals/${proposal.id}`;
  // The flagger has reported the comment, the thread and the proposal already.
  for (const [type, id] of [
    ["comment", otherCommentId],
    ["thread", thread.id],
    ["proposal", proposal.id],
  ] as const) {
    await flagContent(app.db, viewers.flagger, type, id, { reason: "spam" });
  }
  // Suspended after writing: the comment stays theirs, but they may no longer delete it.
  await withWriteTx(app.db, async (tx) => {
    await tx.update(users).set({ suspendedUntil: suspended() }).where(eq(users.id, viewers.suspendedAuthor.id));
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await closeBuild?.();
});

async function page(path: string, viewer: keyof typeof viewers): Promise<string> {
  const cookie = `${sessionCookieName(app.config)}=${(await createSession(app.db, viewers[viewer]!.id)).token}`;
  const res = await app.request("GET", path, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return res.text;
}

const flagLink = (type: string, id: number) => new RegExp(`[?&amp;]flag=${type}-${id}[#"&]`);
const hideLink = (type: string, id: number) => new RegExp(`[?&amp;]hide=${type}-${id}[#"&]`);

describe("the thread page offers what the viewer may do, and nothing else", () => {
  it("a resident in good standing may report others' comments; a moderator may hide them and lock the thread", async () => {
    const resident = await page(threadPath, "resident");
    expect(resident).toMatch(flagLink("comment", otherCommentId));
    expect(resident).not.toMatch(hideLink("comment", otherCommentId));
    expect(resident).not.toContain('value="lock"');
    const moderator = await page(threadPath, "moderator");
    expect(moderator).toMatch(hideLink("comment", otherCommentId));
    expect(moderator).toContain('value="lock"');
  });

  it("a suspended resident is offered no report form (flagContent would refuse it)", async () => {
    const html = await page(threadPath, "suspendedResident");
    expect(html).not.toMatch(flagLink("comment", otherCommentId));
    expect(html).not.toMatch(/[?&;]flag=thread-/);
  });

  it("a suspended moderator keeps the role but is offered no hide, lock or pin", async () => {
    const html = await page(threadPath, "suspendedModerator");
    expect(html).not.toMatch(hideLink("comment", otherCommentId));
    expect(html).not.toMatch(/[?&;]hide=thread-/);
    expect(html).not.toContain('value="lock"');
    expect(html).not.toContain('value="pin"');
  });

  it("what a resident has reported already is not offered again", async () => {
    const html = await page(threadPath, "flagger");
    expect(html).not.toMatch(flagLink("comment", otherCommentId));
    expect(html).not.toMatch(/[?&;]flag=thread-/);
    expect(html).toMatch(flagLink("comment", ownCommentId));
  });

  it("a suspended author is not offered to delete a comment (deleteComment would refuse it), nor the form by URL", async () => {
    const html = await page(threadPath, "suspendedAuthor");
    expect(html).not.toContain(`delete=${ownCommentId}`);
    const opened = await page(`${threadPath}?delete=${ownCommentId}`, "suspendedAuthor");
    expect(opened).not.toContain('value="delete"');
  });
});

describe("the proposal page offers what the viewer may do, and nothing else", () => {
  it("report and hide follow the same rules as on a thread", async () => {
    const id = Number(proposalPath.split("/").pop());
    expect(await page(proposalPath, "resident")).toMatch(flagLink("proposal", id));
    expect(await page(proposalPath, "suspendedResident")).not.toMatch(flagLink("proposal", id));
    expect(await page(proposalPath, "flagger")).not.toMatch(flagLink("proposal", id));
    expect(await page(proposalPath, "moderator")).toMatch(hideLink("proposal", id));
    expect(await page(proposalPath, "suspendedModerator")).not.toMatch(hideLink("proposal", id));
  });
});
