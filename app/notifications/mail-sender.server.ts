import type { AppDb } from "~db/engine";
import { deliverDueMail } from "./outbox.server";
import { removeMailFiles, type MailTransport } from "./mail-transport.server";

export interface MailSenderOptions {
  db: AppDb;
  transport: MailTransport;
  /** Fills the `{{origin}}` of queued links. */
  origin: string;
  mailDir: string;
  /** How often the outbox is looked at; a due message waits at most this long. */
  intervalMs?: number;
  /**
   * Run every `housekeepingIntervalMs` (an hour unless told): the privacy housekeeping (or the
   * question whether it is due, server/index.ts), which returns the
   * outbox ids whose sent mail it removed, so their files go too. The caller passes it in
   * (server/index.ts), so mail does not depend on privacy, which prunes the outbox.
   */
  housekeeping?: () => readonly number[] | Promise<readonly number[]>;
  housekeepingIntervalMs?: number;
  /** One line per failure: the outbox id, the attempt and the error code — never an address. */
  log?: (line: string) => void;
}

/**
 * The server's background sender: every `intervalMs` it delivers what is due, one batch at a time,
 * and once an hour it runs the housekeeping it was given. Requests never wait for it.
 */
export function startMailSender({
  db,
  transport,
  origin,
  mailDir,
  intervalMs = 1000,
  housekeeping,
  housekeepingIntervalMs = 3_600_000,
  log = (l) => console.log(l),
}: MailSenderOptions) {
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastHousekeeping = 0;

  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        if (housekeeping && Date.now() - lastHousekeeping >= housekeepingIntervalMs) {
          lastHousekeeping = Date.now();
          removeMailFiles(mailDir, await housekeeping());
        }
        const report = await deliverDueMail(db, transport, { origin });
        for (const f of report.failed) {
          log(`mail: outbox #${f.id} not delivered (attempt ${f.attempts}: ${f.error}); next try in ${Math.round(f.retryInMs / 1000)}s`);
        }
      } catch (error) {
        // The database may be closing on shutdown; the next tick tries again.
        if (!stopped) log(`mail: sender error ${error instanceof Error ? error.name : "unknown"}`);
      } finally {
        running = null;
      }
    })();
  };

  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();

  return {
    /** Stops the loop and waits for a send in progress, so the database can be closed after. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
      transport.close();
    },
  };
}
