import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { openSqliteApp } from "~db/sqlite-writer";
import { fromSqlite, type AppDb } from "~db/engine";
import { threads } from "~db/schema";
import { listSuspendedUsers } from "~/moderation/suspended-users.server";
import { search } from "~/search/search.server";
import { openThread, postComment } from "~/discussion/discussion.server";
import { submitProposal } from "~/proposals/proposals.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { daysAgo, daysFromNow } from "./support/domain-errors";

/**
 * The statements a domain function really runs (caught by Drizzle's logger, with their
 * parameters: the database is opened as the app opens it, a writer and a reader, both logged),
 * each with SQLite's plan for it, so a test checks the query the page sends and not a copy of it
 * that could drift.
 */
let reader: Db;
let db: AppDb;
let statements: { sql: string; params: unknown[] }[] = [];

beforeAll(async () => {
  const { path } = await freshDatabase();
  reader = openSqliteApp(path, { logger: { logQuery: (sql, params) => void statements.push({ sql, params }) } });
  db = fromSqlite(reader);
});

async function plansOf(fn: () => Promise<unknown>) {
  statements = [];
  await fn();
  const ran = statements;
  statements = [];
  return ran.map(({ sql, params }) => ({
    sql,
    plan: (reader.$client.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail),
  }));
}

describe("the suspensions list (listSuspendedUsers)", () => {
  it("counts and pages through users_suspended_until_idx, already in order, without scanning users", async () => {
    const now = new Date();
    const active = await makeUser(db, { suspendedUntil: daysFromNow(3) });
    const sooner = await makeUser(db, { suspendedUntil: daysFromNow(1) });
    await makeUser(db, { suspendedUntil: daysAgo(1) }); // served its suspension
    await makeUser(db, { suspendedUntil: daysFromNow(2), deletedAt: daysAgo(1), email: null });
    for (let i = 0; i < 5; i++) await makeUser(db);

    const plans = await plansOf(async () =>
      expect(await listSuspendedUsers(db, 1, now)).toMatchObject({ total: 2, rows: [{ id: sooner.id }, { id: active.id }] }),
    );
    const onUsers = plans.filter((p) => /from "users"/i.test(p.sql) && /"suspended_until" >/.test(p.sql));
    expect(onUsers).toHaveLength(2); // the count and the page
    for (const { plan } of onUsers) {
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH users USING (COVERING )?INDEX users_suspended_until_idx \(suspended_until>\?\)$/));
      expect(plan.join("\n")).not.toMatch(/SCAN users|TEMP B-TREE/);
    }
  });
});

describe("search", () => {
  it("drives the count and the page from the full-text match, reaching each container by its key", async () => {
    const resident = await makeUser(db);
    const project = await makeProject(db, { title: "Rencanauji jalan" });
    const thread = await openThread(db, resident, project.id, { title: "Rencanauji utas", body: "Isi utas rencana." });
    await postComment(db, resident, thread.id, { body: "Rencanauji komentar." });
    const proposal = await submitProposal(db, resident, project.id, { title: "Rencanauji usulan", body: "Isi usulan rencana." });
    const discussion = (await db.select().from(threads).where(eq(threads.proposalId, proposal.id)).limit(1))[0]!;
    await postComment(db, resident, discussion.id, { body: "Rencanauji komentar usulan." });

    const plans = await plansOf(async () => expect((await search(db, "rencanauji")).total).toBe(5));
    expect(plans).toHaveLength(2); // the count and the page, whatever the page holds
    for (const { plan } of plans) {
      // The candidates come from the full-text index alone: projects, threads and proposals, then
      // the newest comments (rowid order, descending), never from a scan of a table (the count also
      // asks the index whether more comments match than are ranked).
      expect(plan.filter((line) => /^SCAN search_index VIRTUAL TABLE INDEX \d+:M/.test(line)).length).toBeGreaterThanOrEqual(2);
      for (const table of ["projects", "comments", "threads", "proposals"]) {
        expect(plan).toContainEqual(expect.stringMatching(new RegExp(`^SEARCH ${table} USING INTEGER PRIMARY KEY \\(rowid=\\?\\)`)));
        expect(plan.join("\n")).not.toMatch(new RegExp(`SCAN ${table}\\b`));
      }
    }
  });
});
