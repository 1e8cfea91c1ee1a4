import { withReadSnapshot, type AppDb } from "~db/engine";

/** Rows a long read takes per query: enough to amortise a round trip, few enough to keep memory flat. */
export const READ_BATCH = 500;

/**
 * The rows `read` yields, read inside one snapshot of the database (withReadSnapshot) that is
 * opened when the first row is asked for and held until the last one, or until the consumer
 * stops (a client that goes away returns the iterator): every batch `read` queries sees the same
 * committed state while the site keeps writing. `read` queries in batches (keyset pagination,
 * READ_BATCH rows each), so memory stays flat whatever the number of rows, and no connection of
 * its own is opened beyond the snapshot's (SQLite: a read connection from the idle ones;
 * PostgreSQL: one connection of the pool, in a read-only REPEATABLE READ transaction).
 */
export async function* snapshotRows<T>(db: AppDb, read: (snapshot: AppDb) => AsyncIterable<T>): AsyncGenerator<T> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let opened!: (snapshot: AppDb) => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<AppDb>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  const held = withReadSnapshot(db, async (snapshot) => {
    opened(snapshot);
    await finished;
  });
  // Opening (or closing) the snapshot failed: the first read says so; `held` is awaited below.
  held.catch(failed);
  try {
    yield* read(await ready);
  } finally {
    finish();
    await held;
  }
}

/** Lets other requests run between two batches of a long computation. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
