import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { recountStoredCounts } from "~db/recount";
import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { freshDatabase, sqliteClient } from "./support/db";
import { makeProject, makeUser } from "./support/factories";
import { expectConstraint, makeComment, makeProposal, makeThread } from "./support/more-factories";

let db: AppDb;
let alice: User;
let bob: User;
let projectId: number;
let areaId: number;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  alice = await makeUser(db);
  bob = await makeUser(db);
  const project = await makeProject(db);
  projectId = project.id;
  areaId = project.areaId;
});

/** Raw SQL, so what is tested is the database itself and not the domain code in front of it. */
const run = (sql: string, ...params: unknown[]) =>
  sqliteClient(db)
    .prepare(sql)
    .run(...params);

// Rows written raw bypass the domain that keeps the stored counts: set them from the rows, as
// the domain would have, so the file leaves a consistent database (stored-counts-check.ts).
afterEach(() => void recountStoredCounts(sqliteClient(db)));

const insertProject = (over: Record<string, unknown>) => {
  const row: Record<string, unknown> = {
    slug: `p-${Math.random().toString(36).slice(2)}`,
    title: "Proyek",
    summary: "Ringkasan",
    body_source: "isi",
    body_html: "<p>isi</p>",
    category: "roads",
    area_id: areaId,
    ...over,
  };
  const cols = Object.keys(row);
  return run(`insert into projects (${cols.join(", ")}) values (${cols.map(() => "?").join(", ")})`, ...Object.values(row));
};

describe("uniqueness", () => {
  it("refuses a second account with the same e-mail", async () => {
    run("insert into users (email, display_name) values (?, ?)", "kembar@contoh.id", "Satu");
    await expectConstraint(() => run("insert into users (email, display_name) values (?, ?)", "kembar@contoh.id", "Dua"), "UNIQUE", /users\.email/);
  });

  it("refuses an e-mail that is not lower-cased, so uniqueness is case-insensitive", async () => {
    await expectConstraint(() => run("insert into users (email, display_name) values (?, ?)", "Kembar@Contoh.id", "Tiga"), "CHECK", /users_email_lower_check/);
  });

  it("allows many erased accounts without an e-mail", async () => {
    run("insert into users (email, display_name) values (null, 'Terhapus')");
    expect(() => run("insert into users (email, display_name) values (null, 'Terhapus')")).not.toThrow();
  });

  it("refuses a second ballot from the same resident on the same project", async () => {
    run("insert into votes (project_id, user_id, choice) values (?, ?, 'support')", projectId, alice.id);
    await expectConstraint(
      () => run("insert into votes (project_id, user_id, choice) values (?, ?, 'oppose')", projectId, alice.id),
      "UNIQUE",
      /votes\.project_id, votes\.user_id/,
    );
    // Another resident, or another project, is fine.
    expect(() => run("insert into votes (project_id, user_id, choice) values (?, ?, 'oppose')", projectId, bob.id)).not.toThrow();
    const other = await makeProject(db);
    expect(() => run("insert into votes (project_id, user_id, choice) values (?, ?, 'oppose')", other.id, alice.id)).not.toThrow();
  });

  it("refuses a second support of the same proposal by the same resident", async () => {
    const proposal = await makeProposal(db, bob.id, projectId);
    run("insert into supports (proposal_id, user_id, project_id) values (?, ?, ?)", proposal.id, alice.id, projectId);
    await expectConstraint(
      () => run("insert into supports (proposal_id, user_id, project_id) values (?, ?, ?)", proposal.id, alice.id, projectId),
      "PRIMARYKEY",
    );
    expect(() => run("insert into supports (proposal_id, user_id, project_id) values (?, ?, ?)", proposal.id, bob.id, projectId)).not.toThrow();
  });

  it("refuses a second discussion thread for the same proposal", async () => {
    const proposal = await makeProposal(db, bob.id, projectId);
    const thread = "insert into threads (project_id, author_id, title, body_source, body_html, proposal_id) values (?, ?, 'Diskusi', 'x', '<p>x</p>', ?)";
    run(thread, projectId, bob.id, proposal.id);
    await expectConstraint(() => run(thread, projectId, alice.id, proposal.id), "UNIQUE", /threads\.proposal_id/);
    // Any number of general threads (no proposal) is fine.
    expect(() => run(thread, projectId, alice.id, null)).not.toThrow();
    expect(() => run(thread, projectId, alice.id, null)).not.toThrow();
  });

  it("refuses a second flag on the same content by the same resident", async () => {
    const flag = "insert into flags (target_type, target_id, user_id, reason) values (?, ?, ?, ?)";
    run(flag, "comment", 4242, alice.id, "spam");
    await expectConstraint(() => run(flag, "comment", 4242, alice.id, "harassment"), "UNIQUE", /flags\./);
    expect(() => run(flag, "comment", 4242, bob.id, "spam")).not.toThrow();
    expect(() => run(flag, "thread", 4242, alice.id, "spam")).not.toThrow();
  });

  it("refuses a second open review item for the same content, but allows one after a decision", async () => {
    const item = "insert into review_items (target_type, target_id, status) values (?, ?, ?)";
    run(item, "comment", 777, "open");
    await expectConstraint(() => run(item, "comment", 777, "open"), "UNIQUE", /review_items\./);

    run(item, "proposal", 888, "approved");
    expect(() => run(item, "proposal", 888, "open")).not.toThrow();
    expect(() => run(item, "proposal", 888, "rejected")).not.toThrow();
    await expectConstraint(() => run(item, "proposal", 888, "open"), "UNIQUE");
  });
});

describe("CHECK constraints on closed value sets", () => {
  it("refuses an unknown role", async () => {
    await expectConstraint(() => run("insert into users (email, display_name, role) values ('r@contoh.id', 'R', 'mayor')"), "CHECK", /users_role_check/);
    expect(() => run("insert into users (email, display_name, role) values ('r@contoh.id', 'R', 'planner')")).not.toThrow();
  });

  it("refuses an unknown phase", async () => {
    await expectConstraint(() => insertProject({ phase: "voting" }), "CHECK", /projects_phase_check/);
  });

  it("refuses an unknown category", async () => {
    await expectConstraint(() => insertProject({ category: "airport" }), "CHECK", /projects_category_check/);
  });

  it("refuses a negative budget", async () => {
    await expectConstraint(() => insertProject({ budget_rupiah: -1 }), "CHECK", /projects_budget_check/);
    expect(() => insertProject({ budget_rupiah: 0 })).not.toThrow();
  });

  it("refuses a decided project without an outcome", async () => {
    await expectConstraint(() => insertProject({ phase: "decided" }), "CHECK", /projects_decided_outcome_check/);
    expect(() => insertProject({ phase: "decided", outcome: "approved" })).not.toThrow();
    await expectConstraint(() => run("update projects set phase = 'decided', outcome = null where id = ?", projectId), "CHECK");
  });

  it("refuses a consultation that closes before it opens", async () => {
    await expectConstraint(() => insertProject({ consultation_opens_at: 2000, consultation_closes_at: 1000 }), "CHECK", /projects_window_check/);
  });

  it("refuses an unknown visibility", async () => {
    const thread = await makeThread(db, alice.id, projectId);
    await expectConstraint(() => run("update threads set visibility = 'secret' where id = ?", thread.id), "CHECK", /threads_visibility_check/);
    await expectConstraint(() => makeComment(db, thread, alice.id, { visibility: "secret" as never }), "CHECK", /comments_visibility_check/);
  });

  it("refuses an unknown stance", async () => {
    const thread = await makeThread(db, alice.id, projectId);
    await expectConstraint(() => makeComment(db, thread, alice.id, { stance: "maybe" as never }), "CHECK", /comments_stance_check/);
    await expect(makeComment(db, thread, alice.id, { stance: null })).resolves.toBeTruthy();
    await expect(makeComment(db, thread, alice.id, { stance: "oppose" })).resolves.toBeTruthy();
  });

  it("refuses a comment at depth 3", async () => {
    const thread = await makeThread(db, alice.id, projectId);
    const top = await makeComment(db, thread, alice.id);
    const reply = await makeComment(db, thread, bob.id, { parentId: top.id, depth: 1 });
    const deepest = await makeComment(db, thread, alice.id, { parentId: reply.id, depth: 2 });
    await expectConstraint(() => makeComment(db, thread, bob.id, { parentId: deepest.id, depth: 3 }), "CHECK", /comments_depth_check/);
    await expectConstraint(() => makeComment(db, thread, bob.id, { depth: -1 }), "CHECK", /comments_depth_check/);
  });

  it("refuses an unknown proposal status", async () => {
    const proposal = await makeProposal(db, alice.id, projectId);
    await expectConstraint(() => run("update proposals set status = 'maybe' where id = ?", proposal.id), "CHECK", /proposals_status_check/);
    expect(() => run("update proposals set status = 'under_evaluation' where id = ?", proposal.id)).not.toThrow();
  });

  it("refuses an unknown ballot choice", async () => {
    await expectConstraint(() => run("insert into votes (project_id, user_id, choice) values (?, null, 'yes')", projectId), "CHECK", /votes_choice_check/);
  });
});

describe("foreign keys", () => {
  it("refuses a comment whose thread does not exist", async () => {
    await expectConstraint(
      () =>
        run(
          "insert into comments (thread_id, project_id, author_id, sort_key, body_source, body_html) values (999999, ?, ?, '0000000001', 'x', 'x')",
          projectId,
          alice.id,
        ),
      "FOREIGNKEY",
    );
  });

  it("refuses a discussion thread for a proposal that does not exist", async () => {
    await expectConstraint(
      () =>
        run(
          "insert into threads (project_id, author_id, title, body_source, body_html, proposal_id) values (?, ?, 'Diskusi', 'x', '<p>x</p>', 999999)",
          projectId,
          alice.id,
        ),
      "FOREIGNKEY",
    );
  });

  it("refuses a ballot for a project that does not exist", async () => {
    await expectConstraint(() => run("insert into votes (project_id, user_id, choice) values (999999, ?, 'support')", alice.id), "FOREIGNKEY");
  });

  it("refuses deleting a user who still has content", async () => {
    const author = await makeUser(db);
    await makeThread(db, author.id, projectId);
    await expectConstraint(() => run("delete from users where id = ?", author.id), "FOREIGNKEY");
  });
});

describe("the moderation log", () => {
  it("is append-only: UPDATE and DELETE are refused", async () => {
    const { lastInsertRowid } = run(
      "insert into moderation_log (actor_id, action, target_type, target_id) values (?, 'role_change', 'user', ?)",
      alice.id,
      String(bob.id),
    );
    await expectConstraint(() => run("update moderation_log set action = 'nothing' where id = ?", lastInsertRowid), "TRIGGER", /append-only/);
    await expectConstraint(() => run("delete from moderation_log where id = ?", lastInsertRowid), "TRIGGER", /append-only/);
    expect(sqliteClient(db).prepare("select action from moderation_log where id = ?").get(lastInsertRowid)).toEqual({ action: "role_change" });
  });

  it("refuses an action or a target type the app never logs", async () => {
    const entry = "insert into moderation_log (actor_id, action, target_type, target_id) values (?, ?, ?, '1')";
    await expectConstraint(() => run(entry, alice.id, "delete_everything", "user"), "CHECK", /moderation_log_action_check/);
    await expectConstraint(() => run(entry, alice.id, "suspend", "planet"), "CHECK", /moderation_log_target_type_check/);
    expect(() => run(entry, alice.id, "export", "city")).not.toThrow();
  });
});

describe("connection pragmas", () => {
  it("turns on WAL, foreign keys, a 5 s busy timeout and synchronous NORMAL", async () => {
    const pragma = (name: string) => sqliteClient(db).pragma(name, { simple: true });
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("busy_timeout")).toBe(5000);
    expect(pragma("synchronous")).toBe(1);
  });
});
