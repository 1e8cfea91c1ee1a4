/**
 * SQLite under async domain code: one writer connection behind an async lock, and a read
 * connection, both on the same WAL file.
 *
 * Why not the obvious ways (tests/sqlite-writer.test.ts shows each one leaking):
 * - better-sqlite3's `transaction()` (and so Drizzle's) refuses an async function, and a sync
 *   transaction around one commits at the callback's first `await`: every statement after it
 *   runs outside the transaction, and a later error rolls nothing back.
 * - A hand-rolled BEGIN … await … COMMIT on the one connection every request shares lets other
 *   requests' statements run inside the open transaction (rolled back with it, or committed by
 *   it) and read its uncommitted rows.
 *
 * Here a transaction holds the writer connection alone from BEGIN IMMEDIATE to COMMIT: the lock
 * queues the others (FIFO), and BEGIN IMMEDIATE (with busy_timeout) waits for other processes.
 * Everyone else reads on the read connection, which sees committed rows only (WAL) and refuses
 * writes (`query_only`), so a write outside `withSqliteWriteTx` fails loudly instead of racing.
 * A transaction holds the lock across its awaits: do slow work (hashing, mail) before or after.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { migrateDatabase, openDatabase, type Db, type OpenDatabaseOptions } from "./client";
import { databasePath } from "./client";

interface Writer {
  db: Db;
  /** Resolves when the transaction before the last queued one has finished. */
  tail: Promise<void>;
  /** How to open one more read connection (for snapshots), and the idle ones. */
  openReader: () => Db;
  idleReaders: Db[];
}

/**
 * One registry per process, however many copies of this module are loaded: server/index.ts opens
 * the database through its own (tsx) copy, while the routes run the copy bundled into the Remix
 * build (or Vite's, in development and in tests/support/source-build.ts). With a registry per
 * copy, the build's withSqliteWriteTx would not know the handle the server opened.
 */
interface Registry {
  writers: WeakMap<Db, Writer>;
  /** The handles given to callbacks, while their transaction is open. */
  liveTx: WeakSet<object>;
  /** The writer whose transaction the current async context runs inside (to catch a self-deadlock). */
  inside: AsyncLocalStorage<{ writer: Writer; open: boolean }>;
}
const REGISTRY = Symbol.for("rembug.sqlite-writer.registry");
const registry = ((globalThis as { [REGISTRY]?: Registry })[REGISTRY] ??= {
  writers: new WeakMap(),
  liveTx: new WeakSet(),
  inside: new AsyncLocalStorage(),
});
const { writers, liveTx, inside } = registry;

/**
 * Opens `url` (a file path, or `file:`…) as a read connection with a writer behind it, and
 * returns the read connection: pass it to `withSqliteWriteTx` to write. An in-memory database
 * cannot be shared by two connections, so `:memory:` is refused.
 */
export function openSqliteApp(url: string, options: Omit<OpenDatabaseOptions, "readonly"> & { migrate?: boolean } = {}): Db {
  if (databasePath(url) === ":memory:") throw new Error("openSqliteApp needs a file: a writer and a reader cannot share an in-memory database");
  const writer = openDatabase(url, options);
  if (options.migrate) migrateDatabase(writer);
  const openReader = () => {
    const read = openDatabase(url, options);
    read.$client.pragma("query_only = ON");
    return read;
  };
  const read = openReader();
  writers.set(read, { db: writer, tail: Promise.resolve(), openReader, idleReaders: [] });
  return read;
}

export function closeSqliteApp(db: Db): void {
  const writer = writers.get(db);
  writer?.db.$client.close();
  for (const reader of writer?.idleReaders ?? []) reader.$client.close();
  writers.delete(db);
  db.$client.close();
}

/** The snapshot connections while their read transaction is open: handed one, a snapshot joins it. */
const liveSnapshots = new WeakSet<object>();

/** At most this many idle snapshot connections are kept open per database; more are closed after use. */
const IDLE_SNAPSHOT_READERS = 2;

/**
 * Runs `fn` on a read connection of its own inside one read transaction: every query it awaits
 * sees the same committed state, whatever other requests write meanwhile (a report, an export, a
 * download of one's data). Inside a write transaction it runs on that transaction's handle.
 */
export async function withSqliteSnapshot<T>(db: Db, fn: (snapshot: Db) => Promise<T>): Promise<T> {
  if (liveTx.has(db) || liveSnapshots.has(db)) return fn(db);
  const writer = writers.get(db);
  if (!writer) throw new Error("withSqliteSnapshot needs a database opened by openSqliteApp (or a live transaction)");
  const reader = writer.idleReaders.pop() ?? writer.openReader();
  const sqlite = reader.$client;
  liveSnapshots.add(reader);
  try {
    sqlite.exec("BEGIN");
    // A deferred transaction takes its snapshot at its first read: take it now.
    sqlite.prepare("select 1 from sqlite_schema limit 1").get();
    try {
      return await fn(reader);
    } finally {
      if (sqlite.inTransaction) sqlite.exec("COMMIT");
    }
  } finally {
    liveSnapshots.delete(reader);
    if (writers.has(db) && writer.idleReaders.length < IDLE_SNAPSHOT_READERS) writer.idleReaders.push(reader);
    else sqlite.close();
  }
}

/** The writer connection behind a read handle (for migrations and tools that work outside a request). */
export function sqliteWriterOf(db: Db): Db {
  const writer = writers.get(db);
  if (!writer) throw new Error("not a database opened by openSqliteApp");
  return writer.db;
}

/** True for the handle a `withSqliteWriteTx` callback received, while its transaction is open. */
export function isSqliteTx(db: object): boolean {
  return liveTx.has(db);
}

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK when it throws) on the
 * writer connection, which nobody else uses meanwhile. `tx` reads its own writes; the read handle
 * does not see them until COMMIT. Called with a live `tx`, it joins that transaction.
 */
export async function withSqliteWriteTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (liveTx.has(db)) return fn(db);
  const writer = writers.get(db);
  if (!writer) throw new Error("withSqliteWriteTx needs a database opened by openSqliteApp (or a live transaction)");
  const current = inside.getStore();
  if (current?.open && current.writer === writer) {
    throw new Error(
      "withSqliteWriteTx called with the read handle inside a transaction of the same database: pass the transaction's handle (it would wait for itself)",
    );
  }

  let release!: () => void;
  const previous = writer.tail;
  writer.tail = new Promise<void>((r) => (release = r));
  await previous;
  const state = { writer, open: true };
  // A handle of its own for each transaction: it stops working once the transaction is over.
  const tx = new Proxy(writer.db, {
    get(target, property, receiver) {
      if (!state.open) throw new Error("this transaction is over: its handle cannot be used any more");
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  liveTx.add(tx);
  const sqlite = writer.db.$client;
  try {
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const result = await inside.run(state, () => fn(tx));
      sqlite.exec("COMMIT");
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  } finally {
    state.open = false;
    liveTx.delete(tx);
    release();
  }
}
