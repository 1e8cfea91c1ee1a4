import { beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/engine";
import { outbox } from "~db/schema";
import { deliverDueMail, describeMailError, queueMail, retryDelayMs, RETRY_BASE_MS, RETRY_MAX_MS } from "~/notifications/outbox.server";
import { createMailTransport, removeMailFiles } from "~/notifications/mail-transport.server";
import { ORIGIN, renderMail } from "~/notifications/mail-template.server";
import { startMailSender } from "~/notifications/mail-sender.server";
import { freshDatabase } from "./support/db";
import { startTestSmtp } from "./support/smtp";
import { useTestSmtp } from "./support/smtp-transport";

const ORIGIN_URL = "http://rembug.test:3000";
let db: AppDb;
const smtp = useTestSmtp();
beforeEach(async () => {
  db = (await freshDatabase()).db;
  smtp.server.setMode("accept");
  smtp.server.messages.length = 0;
});

let seq = 0;
function queue(overrides: Partial<Parameters<typeof queueMail>[1]> = {}, now = new Date()) {
  const n = ++seq;
  const content = renderMail(`Pesan ${n}`, {
    locale: "id",
    greeting: "Halo Siti,",
    paragraphs: ["Ada kabar baru."],
    action: { label: "Buka", url: `${ORIGIN}/projects/taman-${n}` },
  });
  return queueMail(
    db,
    {
      ...content,
      userId: null,
      to: `penerima${n}@contoh.id`,
      kind: "notification",
      headers: { "List-Unsubscribe": `<${ORIGIN}/unsubscribe/1-abc>` },
      ...overrides,
    },
    now,
  );
}

const row = async (id: number) => (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!;

describe("the outbox sender over a real SMTP server", () => {
  it("delivers a queued message with text, HTML, the headers and the origin filled in", async () => {
    const id = await queue();
    const report = await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
    expect(report).toEqual({ sent: 1, failed: [] });
    const mail = await smtp.server.waitFor((m) => m.subject === `Pesan ${seq}`);
    expect(mail.to).toEqual([`penerima${seq}@contoh.id`]);
    expect(mail.from).toBe("no-reply@rembug.test");
    expect(mail.text).toContain("Ada kabar baru.");
    expect(mail.text).toContain(`${ORIGIN_URL}/projects/taman-${seq}`);
    expect(mail.text).not.toContain(ORIGIN);
    expect(mail.html).toContain(`href="${ORIGIN_URL}/projects/taman-${seq}"`);
    expect(mail.html).toContain('<html lang="id">');
    expect(mail.headers["list-unsubscribe"]).toBe(`<${ORIGIN_URL}/unsubscribe/1-abc>`);
    expect(await row(id)).toMatchObject({ attempts: 1, deliveredVia: "smtp", lastError: null });
    expect((await row(id)).sentAt).toBeInstanceOf(Date);
  });

  it("sends nothing twice: a second run finds nothing due", async () => {
    await queue();
    await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL });
    expect(await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL })).toEqual({ sent: 0, failed: [] });
    expect(smtp.server.messages).toHaveLength(1);
  });

  it("keeps a message the server refuses and retries it later with a growing delay", async () => {
    const t0 = new Date("2026-03-01T00:00:00Z");
    const id = await queue({}, t0);
    smtp.server.setMode("refuse");
    const first = await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL, now: () => t0 });
    expect(first.sent).toBe(0);
    expect(first.failed).toEqual([{ id, attempts: 1, error: expect.stringContaining("451"), retryInMs: RETRY_BASE_MS }]);
    expect(await row(id)).toMatchObject({ attempts: 1, sentAt: null, nextAttemptAt: new Date(t0.getTime() + RETRY_BASE_MS) });
    // The refusal's text is not kept: it may quote the address.
    expect((await row(id)).lastError).not.toContain("@");

    // Not due yet: nothing is tried before the delay.
    expect(await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL, now: () => new Date(t0.getTime() + RETRY_BASE_MS - 1) })).toEqual({
      sent: 0,
      failed: [],
    });

    const t1 = new Date(t0.getTime() + RETRY_BASE_MS);
    const second = await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL, now: () => t1 });
    expect(second.failed[0]).toMatchObject({ attempts: 2, retryInMs: 2 * RETRY_BASE_MS });
    expect((await row(id)).nextAttemptAt).toEqual(new Date(t1.getTime() + 2 * RETRY_BASE_MS));

    smtp.server.setMode("accept");
    const t2 = new Date(t1.getTime() + 2 * RETRY_BASE_MS);
    expect((await deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL, now: () => t2 })).sent).toBe(1);
    expect(await row(id)).toMatchObject({ attempts: 3, sentAt: t2, lastError: null });
    expect(smtp.server.messages.map((m) => m.subject)).toEqual([`Pesan ${seq}`]);
  });

  it("keeps every message while the server is down and delivers them all once it is back", async () => {
    const down = await startTestSmtp();
    const port = down.port;
    await down.close();
    const downTransport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/nonexistent" });
    const t0 = new Date("2026-03-02T00:00:00Z");
    const ids = [await queue({}, t0), await queue({}, t0), await queue({}, t0)];
    const report = await deliverDueMail(db, downTransport, { origin: ORIGIN_URL, now: () => t0 });
    expect(report.sent).toBe(0);
    expect(report.failed.map((f) => f.error)).toEqual(["ESOCKET during CONN", "ESOCKET during CONN", "ESOCKET during CONN"]);
    downTransport.close();
    expect((await db.select().from(outbox)).filter((m) => m.sentAt === null)).toHaveLength(3);

    // The server comes back on the same port.
    const back = await startTestSmtp({ port });
    const backTransport = createMailTransport({ smtpUrl: back.url, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/nonexistent" });
    try {
      const later = new Date(t0.getTime() + RETRY_BASE_MS);
      expect((await deliverDueMail(db, backTransport, { origin: ORIGIN_URL, now: () => later })).sent).toBe(3);
      expect(back.messages.map((m) => m.to[0]).sort()).toEqual((await Promise.all(ids.map(row))).map((r) => r.toAddress).sort());
      expect((await Promise.all(ids.map(row))).map((r) => r.attempts)).toEqual([2, 2, 2]);
    } finally {
      backTransport.close();
      await back.close();
    }
  });

  it("grows the delay from a minute up to six hours", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(30)).toBe(RETRY_MAX_MS);
  });

  it("leases what it sends, so two senders at once deliver each message once", async () => {
    for (let i = 0; i < 6; i++) await queue();
    const other = createMailTransport({ smtpUrl: smtp.server.url, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/nonexistent" });
    try {
      const [a, b] = await Promise.all([deliverDueMail(db, smtp.transport, { origin: ORIGIN_URL }), deliverDueMail(db, other, { origin: ORIGIN_URL })]);
      expect(a.sent + b.sent).toBe(6);
      expect(smtp.server.messages).toHaveLength(6);
    } finally {
      other.close();
    }
  });

  it("keeps only an error code, never addresses or credentials, from a failure", () => {
    const error = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <siti@contoh.id>: Recipient address rejected"), {
      code: "EENVELOPE",
      responseCode: 550,
      command: "RCPT TO",
    });
    expect(describeMailError(error)).toBe("EENVELOPE SMTP 550 during RCPT");
    expect(describeMailError(new Error("connect to smtp://user:rahasia@mail.example failed"))).toBe("Error");
  });
});

describe("without SMTP_URL", () => {
  it("writes each message as a file under the mail folder and marks it delivered there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rembug-mail-"));
    const files = createMailTransport({ smtpUrl: null, mailFrom: "Rembug <no-reply@localhost>", mailDir: dir });
    const id = await queue();
    expect((await deliverDueMail(db, files, { origin: "http://localhost:3000" })).sent).toBe(1);
    const names = readdirSync(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^mail-${id}-.*\\.eml$`));
    const raw = readFileSync(join(dir, names[0]!), "utf8");
    expect(raw).toContain(`To: ${(await row(id)).toAddress}`);
    expect(raw).toContain(`Subject: Pesan ${seq}`);
    expect(raw).toContain("text/html");
    expect(await row(id)).toMatchObject({ deliveredVia: "file", attempts: 1 });
    // The row stays in the outbox.
    expect(await db.select().from(outbox)).toHaveLength(1);
    removeMailFiles(dir, [id]);
    expect(readdirSync(dir)).toEqual([]);
    files.close();
  });
});

describe("the background sender", () => {
  it("delivers queued mail on its own and stops cleanly", async () => {
    const sender = startMailSender({
      db,
      transport: createMailTransport({ smtpUrl: smtp.server.url, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/x" }),
      origin: ORIGIN_URL,
      mailDir: "/x",
      intervalMs: 50,
      log: () => {},
    });
    await queue();
    const mail = await smtp.server.waitFor((m) => m.subject === `Pesan ${seq}`, 5000);
    expect(mail.text).toContain(ORIGIN_URL);
    await sender.stop();
  });

  it("logs a failure with the outbox id and error code only", async () => {
    const lines: string[] = [];
    smtp.server.setMode("refuse");
    const id = await queue({ to: "rahasia.sekali@contoh.id" });
    const sender = startMailSender({
      db,
      transport: createMailTransport({ smtpUrl: smtp.server.url, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/x" }),
      origin: ORIGIN_URL,
      mailDir: "/x",
      intervalMs: 50,
      log: (l) => lines.push(l),
    });
    for (let i = 0; i < 100 && !lines.length; i++) await new Promise((r) => setTimeout(r, 20));
    await sender.stop();
    expect(lines[0]).toMatch(new RegExp(`^mail: outbox #${id} not delivered \\(attempt 1: .*451.*\\); next try in 60s$`));
    expect(lines.join("\n")).not.toContain("@");
  });
});
