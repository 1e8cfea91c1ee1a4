import { expect } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { comments, proposals, threads, type User } from "../../db/schema";
import { recountStoredCounts } from "../../db/recount";
import { makeProject, makeUser } from "./factories";

/**
 * The stored counts a row inserted here changes (its thread's, project's and author's), set from
 * the rows by the one definition in db/recount.ts, so a test's data is as consistent as the
 * domain's and the check after each file (stored-counts-check.ts) holds.
 */
function recountFor(db: Db, projectId: number, authorId: number) {
  recountStoredCounts(db.$client, { projectIds: [projectId], userIds: [authorId] });
}

/** A published thread on `projectId` (a new project when none is given). */
export function makeThread(db: Db, authorId: number, projectId = makeProject(db).id) {
  const thread = db
    .insert(threads)
    .values({ projectId, authorId, title: "Trotoar rusak", bodySource: "Mohon diperbaiki.", bodyHtml: "<p>Mohon diperbaiki.</p>" })
    .returning()
    .get();
  recountFor(db, projectId, authorId);
  return db.select().from(threads).where(eq(threads.id, thread.id)).get()!;
}

export function makeComment(db: Db, thread: { id: number; projectId: number }, authorId: number, overrides: Partial<typeof comments.$inferInsert> = {}) {
  const comment = db
    .insert(comments)
    .values({
      threadId: thread.id,
      projectId: thread.projectId,
      authorId,
      bodySource: "Setuju.",
      bodyHtml: "<p>Setuju.</p>",
      sortKey: "",
      ...overrides,
    })
    .returning()
    .get();
  recountFor(db, comment.projectId, authorId);
  if (overrides.sortKey !== undefined) return comment;
  // The parent's key plus this comment's zero-padded id, as the discussion domain orders a thread.
  const parentKey = comment.parentId
    ? (db.select({ sortKey: comments.sortKey }).from(comments).where(eq(comments.id, comment.parentId)).get()?.sortKey ?? "")
    : "";
  const sortKey = parentKey ? `${parentKey}.${String(comment.id).padStart(10, "0")}` : String(comment.id).padStart(10, "0");
  db.update(comments).set({ sortKey }).where(eq(comments.id, comment.id)).run();
  return { ...comment, sortKey };
}

export function makeProposal(db: Db, authorId: number, projectId = makeProject(db).id) {
  const proposal = db
    .insert(proposals)
    .values({ projectId, authorId, title: "Tambah lampu jalan", bodySource: "Gelap di malam hari.", bodyHtml: "<p>Gelap di malam hari.</p>" })
    .returning()
    .get();
  recountFor(db, projectId, authorId);
  return proposal;
}

export async function makeUsers(db: Db, n: number, overrides: Parameters<typeof makeUser>[1] = {}): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i++) out.push(await makeUser(db, overrides));
  return out;
}

/** The SQLite error `fn` threw (code and message), looking through Drizzle's query-error wrapper. */
export function sqliteError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    let e: unknown = error;
    while (e && typeof e === "object") {
      if ("code" in e && typeof (e as { code: unknown }).code === "string") {
        return { code: (e as { code: string }).code, message: String((e as { message?: unknown }).message) };
      }
      e = (e as { cause?: unknown }).cause;
    }
    throw error;
  }
  throw new Error("expected the statement to be refused, but it succeeded");
}

type ConstraintKind = "UNIQUE" | "PRIMARYKEY" | "CHECK" | "FOREIGNKEY" | "TRIGGER" | "NOTNULL";

/** Asserts that `fn` is refused by a database constraint of the given kind (and, if given, that name). */
export function expectConstraint(fn: () => unknown, kind: ConstraintKind, name?: string | RegExp) {
  const { code, message } = sqliteError(fn);
  expect(code).toBe(`SQLITE_CONSTRAINT_${kind}`);
  if (name) expect(message).toMatch(name);
}
