import { expect } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { withWriteTx, type AppDb } from "../../db/engine";
import { comments, proposals, threads, type User } from "../../db/schema";
import { recountStoredCounts } from "../../db/recount";
import { makeProject, makeUser } from "./factories";

/**
 * The stored counts a row inserted here changes (its thread's, project's and author's), set from
 * the rows by the one definition in db/recount.ts, so a test's data is as consistent as the
 * domain's and the check after each file (stored-counts-check.ts) holds. Runs inside the insert's
 * write transaction, on its connection (SQLite: the test databases are SQLite files).
 */
function recountFor(tx: AppDb, projectId: number, authorId: number) {
  recountStoredCounts((tx as unknown as Db).$client, { projectIds: [projectId], userIds: [authorId] });
}

/** A published thread on `projectId` (a new project when none is given). */
export async function makeThread(db: AppDb, authorId: number, projectId?: number) {
  const onProject = projectId ?? (await makeProject(db)).id;
  return withWriteTx(db, async (tx) => {
    const [thread] = await tx
      .insert(threads)
      .values({ projectId: onProject, authorId, title: "Trotoar rusak", bodySource: "Mohon diperbaiki.", bodyHtml: "<p>Mohon diperbaiki.</p>" })
      .returning();
    recountFor(tx, onProject, authorId);
    const [recounted] = await tx.select().from(threads).where(eq(threads.id, thread!.id)).limit(1);
    return recounted!;
  });
}

export async function makeComment(
  db: AppDb,
  thread: { id: number; projectId: number },
  authorId: number,
  overrides: Partial<typeof comments.$inferInsert> = {},
) {
  return withWriteTx(db, async (tx) => {
    const [comment] = await tx
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
      .returning();
    recountFor(tx, comment!.projectId, authorId);
    if (overrides.sortKey !== undefined) return comment!;
    // The parent's key plus this comment's zero-padded id, as the discussion domain orders a thread.
    const parentKey = comment!.parentId
      ? ((await tx.select({ sortKey: comments.sortKey }).from(comments).where(eq(comments.id, comment!.parentId)).limit(1))[0]?.sortKey ?? "")
      : "";
    const sortKey = parentKey ? `${parentKey}.${String(comment!.id).padStart(10, "0")}` : String(comment!.id).padStart(10, "0");
    await tx.update(comments).set({ sortKey }).where(eq(comments.id, comment!.id));
    return { ...comment!, sortKey };
  });
}

export async function makeProposal(db: AppDb, authorId: number, projectId?: number) {
  const onProject = projectId ?? (await makeProject(db)).id;
  return withWriteTx(db, async (tx) => {
    const [proposal] = await tx
      .insert(proposals)
      .values({ projectId: onProject, authorId, title: "Tambah lampu jalan", bodySource: "Gelap di malam hari.", bodyHtml: "<p>Gelap di malam hari.</p>" })
      .returning();
    recountFor(tx, onProject, authorId);
    return proposal!;
  });
}

export async function makeUsers(db: AppDb, n: number, overrides: Parameters<typeof makeUser>[1] = {}): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i++) out.push(await makeUser(db, overrides));
  return out;
}

/** The SQLite error `fn` threw or rejected with (code and message), looking through Drizzle's query-error wrapper. */
export async function sqliteError(fn: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await fn();
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

/** Asserts that `fn` (sync or async) is refused by a database constraint of the given kind (and, if given, that name). */
export async function expectConstraint(fn: () => unknown, kind: ConstraintKind, name?: string | RegExp): Promise<void> {
  const { code, message } = await sqliteError(fn);
  expect(code).toBe(`SQLITE_CONSTRAINT_${kind}`);
  if (name) expect(message).toMatch(name);
}
