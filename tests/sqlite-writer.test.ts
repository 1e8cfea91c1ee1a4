/**
 * SQLite under async domain code (db/sqlite-writer.ts). Each scenario runs on three
 * implementations of "a write transaction whose callback awaits":
 *
 * - naiveSyncTx: better-sqlite3's (synchronous) transaction around the async callback. It refuses
 *   a returned promise, so the promise is not returned: the transaction commits at the first
 *   `await`, and every statement after it escapes.
 * - naiveSharedBegin: BEGIN IMMEDIATE … await … COMMIT by hand on the one connection every request
 *   shares: other requests' statements land inside the open transaction and read its rows.
 * - writer: openSqliteApp + withSqliteWriteTx, one writer connection behind an async lock and a
 *   read connection.
 *
 * A scenario marked as leaking for a naive version runs as `it.fails`: the test fails there (it
 * would turn red if it stopped failing), and passes on the writer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { eq, like, sql } from "drizzle-orm";
import { openDatabase, type Db } from "~db/client";
import { settings } from "~db/schema";
import { closeSqliteApp, openSqliteApp, withSqliteSnapshot, withSqliteWriteTx } from "~db/sqlite-writer";
import { freshDatabaseFile } from "./support/db";

interface Handle {
  /** A write transaction around an async callback. */
  write<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Another request's one-statement write, the way this implementation makes it. */
  writeOne(key: string): Promise<void>;
  /** Another request's read: the keys written by the scenarios, in the order they were inserted. */
  keys(): Promise<string[]>;
  close(): void;
}

const insert = (db: Db, key: string) => db.insert(settings).values({ key, value: "1" });
/** The scenarios' keys in the order they were inserted (settings is a rowid table). */
const readKeys = async (db: Db) =>
  (
    await db
      .select({ key: settings.key })
      .from(settings)
      .where(like(settings.key, "t:%"))
      .orderBy(sql`rowid`)
  ).map((r) => r.key);

/** A naive version: one connection every request shares, and its own way of running a write transaction. */
function sharedConnection(path: string, write: (shared: Db) => Handle["write"]): Handle {
  const shared = openDatabase(path);
  return {
    write: write(shared),
    writeOne: async (key) => void (await insert(shared, key)),
    keys: () => readKeys(shared),
    close: () => shared.$client.close(),
  };
}

const IMPLEMENTATIONS: Record<string, (path: string) => Handle> = {
  naiveSyncTx: (path) =>
    sharedConnection(path, (shared) => async (fn) => {
      let pending!: Promise<unknown>;
      shared.$client
        .transaction(() => {
          pending = fn(shared);
        })
        .immediate();
      return (await pending) as never;
    }),
  naiveSharedBegin: (path) =>
    sharedConnection(path, (shared) => async (fn) => {
      shared.$client.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(shared);
        shared.$client.exec("COMMIT");
        return result;
      } catch (error) {
        if (shared.$client.inTransaction) shared.$client.exec("ROLLBACK");
        throw error;
      }
    }),
  writer(path) {
    const db = openSqliteApp(path);
    return {
      write: (fn) => withSqliteWriteTx(db, fn),
      writeOne: (key) => withSqliteWriteTx(db, async (tx) => void (await insert(tx, key))),
      keys: () => readKeys(db),
      close: () => closeSqliteApp(db),
    };
  },
};

/**
 * Which scenarios leak on which naive version (the writer passes every one). On naiveSharedBegin a
 * second transaction cannot even start while the first is open ("cannot start a transaction
 * within a transaction"); a one-statement write simply lands inside it.
 */
const LEAKS: Record<string, string[]> = {
  naiveSyncTx: ["rollback", "other-write", "uncommitted-read", "interleave"],
  naiveSharedBegin: ["other-write", "uncommitted-read", "interleave"],
  writer: [],
};

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}
/** Lets every other pending callback (another request) run, as a real await on I/O would. */
const elsewhere = () => new Promise<void>((r) => setImmediate(r));

let handle: Handle | null = null;
afterEach(() => {
  handle?.close();
  handle = null;
});

function open(name: string): Handle {
  const path = freshDatabaseFile();
  handle = IMPLEMENTATIONS[name]!(path);
  return handle;
}

describe.each(Object.keys(IMPLEMENTATIONS))("a write transaction with awaits: %s", (name) => {
  const scenario = (key: string, title: string, body: () => Promise<void>) => (LEAKS[name]!.includes(key) ? it.fails : it)(title, body);

  scenario("rollback", "keeps every statement inside: when it throws after an await, nothing it wrote stays", async () => {
    const h = open(name);
    await expect(
      h.write(async (tx) => {
        await insert(tx, "t:before-await");
        await elsewhere();
        await insert(tx, "t:after-await");
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await h.keys()).toEqual([]);
  });

  scenario("other-write", "keeps another request's write out of it: rolled back, it takes only its own rows", async () => {
    const h = open(name);
    const started = gate();
    const finish = gate();
    const a = h.write(async (tx) => {
      await insert(tx, "t:a1");
      started.open();
      await finish.opened;
      await insert(tx, "t:a2");
      throw new Error("refused");
    });
    await started.opened;
    const other = h.writeOne("t:other"); // another request, while the transaction is open
    await elsewhere();
    finish.open();
    await expect(a).rejects.toThrow("refused");
    await other;
    expect(await h.keys()).toEqual(["t:other"]);
  });

  scenario("uncommitted-read", "shows its rows to nobody else before COMMIT, and to everyone after", async () => {
    const h = open(name);
    const written = gate();
    const finish = gate();
    const a = h.write(async (tx) => {
      await insert(tx, "t:a");
      await insert(tx, "t:b");
      expect(await readKeys(tx)).toEqual(["t:a", "t:b"]); // its own writes, inside
      written.open();
      await finish.opened;
    });
    await written.opened;
    expect(await h.keys()).toEqual([]); // another request reads while it is open
    finish.open();
    await a;
    expect(await h.keys()).toEqual(["t:a", "t:b"]);
  });

  scenario("interleave", "never interleaves with another transaction: each one's statements stay together", async () => {
    const h = open(name);
    const body = (p: string) => async (tx: Db) => {
      for (const n of [1, 2, 3]) {
        await insert(tx, `t:${p}${n}`);
        await elsewhere();
      }
    };
    const both = await Promise.allSettled([h.write(body("a")), h.write(body("b"))]);
    expect(both.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok"]);
    const keys = await h.keys();
    expect([keys.slice(0, 3), keys.slice(3)].map((k) => k.map((x) => x[2]).join("")).sort()).toEqual(["aaa", "bbb"]);
  });
});

describe("better-sqlite3's transaction", () => {
  it("refuses an async function outright (so it cannot be the seam)", () => {
    const db = openDatabase(freshDatabaseFile());
    try {
      const tx = db.$client.transaction(async () => {});
      expect(() => tx()).toThrow("Transaction function cannot return a promise");
    } finally {
      db.$client.close();
    }
  });
});

describe("the writer (db/sqlite-writer.ts)", () => {
  it("refuses a write on the read connection: every write goes through withSqliteWriteTx", async () => {
    const path = freshDatabaseFile();
    const db = openSqliteApp(path);
    try {
      await expect(Promise.resolve().then(() => insert(db, "t:x"))).rejects.toThrow(/readonly|read-only/i);
      await withSqliteWriteTx(db, async (tx) => void (await insert(tx, "t:x")));
      expect(await readKeys(db)).toEqual(["t:x"]);
    } finally {
      closeSqliteApp(db);
    }
  });

  it("joins the transaction when given its handle, refuses the read handle inside it (it would wait for itself), and ends the handle with it", async () => {
    const path = freshDatabaseFile();
    const db = openSqliteApp(path);
    try {
      let kept: Db | null = null;
      await expect(
        withSqliteWriteTx(db, async (tx) => {
          kept = tx;
          await insert(tx, "t:outer");
          await withSqliteWriteTx(tx, async (inner) => void (await insert(inner, "t:inner")));
          await withSqliteWriteTx(db, async () => {});
        }),
      ).rejects.toThrow(/inside a transaction of the same database/);
      expect(await readKeys(db)).toEqual([]); // the whole transaction rolled back, the joined part too
      expect(() => kept!.select().from(settings)).toThrow(/transaction is over/);
    } finally {
      closeSqliteApp(db);
    }
  });

  it("queues transactions in the order they asked, and answers reads meanwhile", async () => {
    const path = freshDatabaseFile();
    const db = openSqliteApp(path);
    try {
      const order: string[] = [];
      const first = gate();
      const a = withSqliteWriteTx(db, async (tx) => {
        order.push("a");
        await insert(tx, "t:a");
        await first.opened;
      });
      const b = withSqliteWriteTx(db, async (tx) => void (order.push("b"), await insert(tx, "t:b")));
      const c = withSqliteWriteTx(db, async (tx) => void (order.push("c"), await insert(tx, "t:c")));
      await elsewhere();
      expect(order).toEqual(["a"]);
      expect(await db.select().from(settings).where(eq(settings.key, "t:a"))).toEqual([]); // a read is not queued
      first.open();
      await Promise.all([a, b, c]);
      expect(order).toEqual(["a", "b", "c"]);
      expect((await readKeys(db)).sort()).toEqual(["t:a", "t:b", "t:c"]);
    } finally {
      closeSqliteApp(db);
    }
  });

  it("reads a snapshot: every query of withSqliteSnapshot sees the same committed state while others write meanwhile", async () => {
    const path = freshDatabaseFile();
    const db = openSqliteApp(path);
    try {
      await withSqliteWriteTx(db, async (tx) => void (await insert(tx, "t:before")));
      const seen = await withSqliteSnapshot(db, async (snapshot) => {
        const first = await readKeys(snapshot);
        // Another request commits between the snapshot's two reads.
        await withSqliteWriteTx(db, async (tx) => void (await insert(tx, "t:during")));
        await elsewhere();
        return [first, await readKeys(snapshot)];
      });
      expect(seen).toEqual([["t:before"], ["t:before"]]);
      // Outside it, the write is there; and the snapshot's connection refuses writes like the read one.
      expect(await readKeys(db)).toEqual(["t:before", "t:during"]);
      await expect(withSqliteSnapshot(db, async (snapshot) => void (await insert(snapshot, "t:x")))).rejects.toThrow(/readonly|read-only/i);
    } finally {
      closeSqliteApp(db);
    }
  });

  it("searches the writer's latest search index through the long-lived read and snapshot connections", async () => {
    // FTS5 keeps the index's structure per connection. A search must notice another connection's
    // commits (SQLite's own integrity_check of an FTS5 table, on a connection that ran it before, does
    // not: tests/security/fuzz.test.ts checks the file on a connection of its own).
    const path = freshDatabaseFile();
    const db = openSqliteApp(path);
    const matches = (handle: Db, word: string) => handle.all<{ n: number }>(sql`select count(*) as n from search_index where search_index match ${word}`)[0]!.n;
    try {
      for (let i = 1; i <= 30; i++) {
        await withSqliteWriteTx(db, async (tx) => {
          tx.run(sql`insert into search_index (rowid, title, body, kind, project_id) values (${i * 4 + 2}, '', ${`banjir di gang ${i}`}, 'comment', 1)`);
          if (i % 3 === 0) tx.run(sql`delete from search_index where rowid = ${(i - 1) * 4 + 2}`);
        });
        const expected = i - Math.floor(i / 3);
        expect(matches(db, "banjir"), `after write ${i}, read connection`).toBe(expected);
        expect(await withSqliteSnapshot(db, async (snapshot) => matches(snapshot, "banjir")), `after write ${i}, snapshot`).toBe(expected);
      }
    } finally {
      closeSqliteApp(db);
    }
  });
});
