import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import type { MailKind, OutboxMessage } from "~db/schema";
import { ORIGIN, type MailContent } from "./mail-template.server";
import type { MailTransport } from "./mail-transport.server";

/** How long a sender holds a message it is sending before another process may try it. */
export const SEND_LEASE_MS = 2 * 60 * 1000;
/** The first retry comes after a minute; each further one waits twice as long, up to six hours. */
export const RETRY_BASE_MS = 60 * 1000;
export const RETRY_MAX_MS = 6 * 60 * 60 * 1000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export interface QueuedMail extends MailContent {
  userId: number | null;
  to: string;
  kind: MailKind;
  headers?: Record<string, string>;
}

/**
 * Puts a message in the outbox. Call it with the transaction of the change that causes the
 * mail (it joins it), so the two happen together or not at all; the sender delivers it later.
 */
export function queueMail(db: AppDb, mail: QueuedMail, now = new Date()): Promise<number> {
  return withWriteTx(db, async (tx) => {
    const { outbox } = tables(tx);
    const [row] = await tx
      .insert(outbox)
      .values({
        userId: mail.userId,
        toAddress: mail.to,
        kind: mail.kind,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers ?? {},
        nextAttemptAt: now,
        createdAt: now,
      })
      .returning({ id: outbox.id });
    return row!.id;
  });
}

/** The message as it leaves: the origin placeholder replaced in bodies and headers. */
export function resolveOrigin(message: Pick<OutboxMessage, "subject" | "text" | "html" | "headers">, origin: string) {
  const fill = (s: string) => s.split(ORIGIN).join(origin);
  return {
    subject: message.subject,
    text: fill(message.text),
    html: fill(message.html),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, fill(v)])),
  };
}

/**
 * What is kept of a failure: the error code and SMTP status, never the server's free text, which
 * may quote the recipient's address, nor anything from SMTP_URL.
 */
export function describeMailError(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; name?: unknown };
  const parts = [
    typeof e.code === "string" ? e.code : typeof e.name === "string" ? e.name : "Error",
    typeof e.responseCode === "number" ? `SMTP ${e.responseCode}` : null,
    typeof e.command === "string" ? `during ${e.command.split(" ")[0]}` : null,
  ].filter(Boolean);
  return parts
    .join(" ")
    .replace(/[^\w .:-]/g, "")
    .slice(0, 120);
}

/**
 * Takes up to `limit` due messages and leases them to this sender, in one transaction: the lease
 * is `next_attempt_at` moved SEND_LEASE_MS ahead, so no other sender finds them due meanwhile.
 * Safe with several app servers: the due rows are read FOR UPDATE (PostgreSQL; a second sender
 * waits, then no longer finds them due), and the lease is set only where the row is still unsent
 * and due, so a message is leased to one sender alone. Nothing is sent in the transaction.
 */
function claimDueMail(db: AppDb, now: Date, limit: number): Promise<OutboxMessage[]> {
  return withWriteTx(db, async (tx) => {
    const { outbox } = tables(tx);
    const isDue = and(isNull(outbox.sentAt), lte(outbox.nextAttemptAt, now));
    const due = await forUpdate(tx.select().from(outbox).where(isDue).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id)).limit(limit));
    if (!due.length) return [];
    const leased = await tx
      .update(outbox)
      .set({ nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS) })
      .where(
        and(
          inArray(
            outbox.id,
            due.map((m) => m.id),
          ),
          isDue,
        ),
      )
      .returning({ id: outbox.id });
    const mine = new Set(leased.map((m) => m.id));
    return due.filter((m) => mine.has(m.id));
  });
}

export interface DeliveryReport {
  sent: number;
  failed: { id: number; attempts: number; error: string; retryInMs: number }[];
}

/**
 * Sends what is due, one message at a time, each outside any transaction (the claim and each
 * outcome are short transactions of their own). A failure keeps the message, counts the attempt
 * and schedules the next with a growing delay; nothing is ever dropped.
 */
export async function deliverDueMail(
  db: AppDb,
  transport: MailTransport,
  { origin, now = () => new Date(), limit = 20 }: { origin: string; now?: () => Date; limit?: number },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: [] };
  for (const message of await claimDueMail(db, now(), limit)) {
    try {
      await transport.send({ id: message.id, to: message.toAddress, ...resolveOrigin(message, origin) });
      await withWriteTx(db, async (tx) => {
        const { outbox } = tables(tx);
        await tx
          .update(outbox)
          .set({ sentAt: now(), deliveredVia: transport.via, attempts: sql`${outbox.attempts} + 1`, lastError: null })
          .where(eq(outbox.id, message.id));
      });
      report.sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const retryInMs = retryDelayMs(attempts);
      const description = describeMailError(error);
      await withWriteTx(db, async (tx) => {
        const { outbox } = tables(tx);
        await tx
          .update(outbox)
          .set({ attempts, nextAttemptAt: new Date(now().getTime() + retryInMs), lastError: description })
          .where(eq(outbox.id, message.id));
      });
      report.failed.push({ id: message.id, attempts, error: description, retryInMs });
    }
  }
  return report;
}

/** Sent messages older than the retention are removed; unsent ones are never removed. */
export function pruneSentMail(db: AppDb, olderThan: Date): Promise<number[]> {
  return withWriteTx(db, async (tx) => {
    const { outbox } = tables(tx);
    const removed = await tx
      .delete(outbox)
      .where(and(isNotNull(outbox.sentAt), lte(outbox.sentAt, olderThan)))
      .returning({ id: outbox.id });
    return removed.map((r) => r.id);
  });
}
