import { describe, expect, it } from "vitest";
import { postComment } from "~/discussion/discussion.server";
import { DomainError } from "~/domain-error";
import { closeAppDatabase } from "~db/engine";
import { freshDatabase } from "./support/db";
import { makeUser } from "./support/factories";
import { makeComment, makeThread } from "./support/more-factories";

describe("18 · a reply's parent is read strictly", () => {
  it("refuses a reply to a parent named in hex or with spaces instead of answering another comment", async () => {
    const { db } = await freshDatabase();
    const user = await makeUser(db);
    const thread = await makeThread(db, user.id);
    const parent = await makeComment(db, thread, user.id);
    for (const parentId of [`0x${parent.id.toString(16)}`, ` ${parent.id} `]) {
      await expect(postComment(db, user, thread.id, { body: "Balasan", parentId }), parentId).rejects.toThrow(DomainError);
    }
    expect((await postComment(db, user, thread.id, { body: "Balasan", parentId: String(parent.id) })).parentId).toBe(parent.id);
    await closeAppDatabase(db);
  });
});
