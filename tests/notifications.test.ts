import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "~db/engine";
import { notifications, users, type User } from "~db/schema";
import {
  getNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notify,
  notifyFollowers,
  NOTIFICATIONS_PAGE_SIZE,
  unreadCount,
} from "~/notifications/notifications.server";
import { followProject, unfollowProject } from "~/projects/projects.server";
import { freshDatabase } from "./support/db";
import { makeProject, makeUser } from "./support/factories";

let db: AppDb;
let ani: User;
let budi: User;

beforeAll(async () => {
  db = (await freshDatabase()).db;
  ani = await makeUser(db);
  budi = await makeUser(db);
});

const rowsOf = (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(notifications.id);

/** `n` notifications for `user`, one second apart so their order is certain. */
async function seed(user: User, n: number) {
  const start = Date.now() - n * 1000;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const [row] = await withWriteTx(db, (tx) =>
      tx
        .insert(notifications)
        .values({
          userId: user.id,
          kind: "reply",
          link: `/projects/p/threads/1?comment=${i}`,
          params: { title: `Utas ${i}` },
          createdAt: new Date(start + i * 1000),
        })
        .returning(),
    );
    ids.push(row!.id);
  }
  return ids;
}

describe("a user's notifications", () => {
  it("are listed newest first, 20 a page, with the unread count", async () => {
    const user = await makeUser(db);
    const ids = await seed(user, 25);
    await seed(budi, 3);
    expect(NOTIFICATIONS_PAGE_SIZE).toBe(20);
    const first = await listNotifications(db, user.id, 1);
    expect(first).toMatchObject({ total: 25, page: 1, pageCount: 2 });
    expect(first.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 20));
    const second = await listNotifications(db, user.id, 2);
    expect(second.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(20));
    expect(first.rows.concat(second.rows).every((r) => r.userId === user.id)).toBe(true);
    expect(await unreadCount(db, user.id)).toBe(25);
  });

  it("an empty list has one page and nothing unread", async () => {
    const user = await makeUser(db);
    expect(await listNotifications(db, user.id)).toMatchObject({ rows: [], total: 0, pageCount: 1 });
    expect(await unreadCount(db, user.id)).toBe(0);
  });
});

describe("marking as read", () => {
  it("works for the owner, once", async () => {
    const user = await makeUser(db);
    const [a, b] = (await seed(user, 2)) as [number, number];
    expect(await markNotificationRead(db, user.id, a)).toBe(1);
    expect(await unreadCount(db, user.id)).toBe(1);
    expect((await getNotification(db, user.id, a))?.readAt).toBeInstanceOf(Date);
    expect((await getNotification(db, user.id, b))?.readAt).toBeNull();
    const readAt = (await getNotification(db, user.id, a))!.readAt;
    expect(await markNotificationRead(db, user.id, a)).toBe(0);
    expect((await getNotification(db, user.id, a))!.readAt).toEqual(readAt);
  });

  it("someone else's notification id changes nothing, and is not readable by them", async () => {
    const owner = await makeUser(db);
    const intruder = await makeUser(db);
    const [id] = (await seed(owner, 1)) as [number];
    expect(await markNotificationRead(db, intruder.id, id)).toBe(0);
    expect((await rowsOf(owner.id))[0]!.readAt).toBeNull();
    expect(await unreadCount(db, owner.id)).toBe(1);
    expect(await getNotification(db, intruder.id, id)).toBeNull();
    expect(await markNotificationRead(db, owner.id, 987654)).toBe(0);
  });

  it("markAllNotificationsRead clears only the user's own", async () => {
    const user = await makeUser(db);
    const other = await makeUser(db);
    const [first] = (await seed(user, 4)) as [number];
    await seed(other, 2);
    await markNotificationRead(db, user.id, first);
    expect(await markAllNotificationsRead(db, user.id)).toBe(3);
    expect(await unreadCount(db, user.id)).toBe(0);
    expect((await rowsOf(user.id)).every((r) => r.readAt !== null)).toBe(true);
    expect(await unreadCount(db, other.id)).toBe(2);
    expect(await markAllNotificationsRead(db, user.id)).toBe(0);
  });
});

describe("notify", () => {
  it("writes one notification per distinct user", async () => {
    const user = await makeUser(db);
    expect(await notify(db, [user.id, user.id, ani.id], "proposal_answer", "/projects/x/proposals/1", { title: "Usulan" })).toBe(2);
    expect((await rowsOf(user.id)).map((r) => [r.kind, r.link, r.params])).toEqual([["proposal_answer", "/projects/x/proposals/1", { title: "Usulan" }]]);
    expect(await notify(db, [], "reply", "/", {})).toBe(0);
  });
});

describe("notifyFollowers", () => {
  it("reaches only active followers, never the actor and never deleted users", async () => {
    const project = await makeProject(db);
    const [active, quitter, actor, erased, stranger] = [
      await makeUser(db),
      await makeUser(db),
      await makeUser(db, { role: "planner" }),
      await makeUser(db),
      await makeUser(db),
    ];
    for (const u of [active, quitter, actor, erased]) await followProject(db, u.id, project.id);
    await unfollowProject(db, quitter.id, project.id);
    await withWriteTx(db, async (tx) => {
      await tx.update(users).set({ deletedAt: new Date(), email: null }).where(eq(users.id, erased.id));
    });
    const otherProject = await makeProject(db);
    await followProject(db, stranger.id, otherProject.id);

    const sent = await notifyFollowers(
      db,
      project.id,
      "phase_change",
      `/projects/${project.slug}#updates`,
      { title: project.title, phase: "review" },
      actor.id,
    );
    expect(sent).toBe(1);
    expect((await rowsOf(active.id)).map((r) => ({ kind: r.kind, projectId: r.projectId, params: r.params }))).toEqual([
      { kind: "phase_change", projectId: project.id, params: { title: project.title, phase: "review" } },
    ]);
    for (const u of [quitter, actor, erased, stranger]) expect(await rowsOf(u.id)).toEqual([]);
  });

  it("without an actor reaches every active follower", async () => {
    const project = await makeProject(db);
    const followers = [await makeUser(db), await makeUser(db)];
    for (const u of followers) await followProject(db, u.id, project.id);
    expect(await notifyFollowers(db, project.id, "project_update", "/", { title: "x" }, null)).toBe(2);
    for (const u of followers) expect(await rowsOf(u.id)).toHaveLength(1);
  });
});
