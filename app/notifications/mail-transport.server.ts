import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { MailDelivery } from "~db/schema";

export interface OutgoingMail {
  /** The outbox row, named in the file of the file transport. */
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  via: MailDelivery;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailTransportOptions {
  smtpUrl: string | null;
  mailFrom: string;
  mailDir: string;
}

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { "Auto-Submitted": "auto-generated", ...mail.headers },
  };
}

/** The file a message is written to without SMTP: `mail-<outbox id>-<time>.eml`. */
const fileName = (id: number, at: Date) => `mail-${id}-${at.toISOString().replace(/[:.]/g, "-")}.eml`;

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise each message is written as an .eml
 * file under the mail folder (the demo), and never to the log.
 */
export function createMailTransport({ smtpUrl, mailFrom, mailDir }: MailTransportOptions): MailTransport {
  if (smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: smtpUrl,
      // A server that does not answer delays mail; it must not hold the sender for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      via: "smtp",
      async send(mail) {
        await transporter.sendMail(message(mailFrom, mail));
      },
      close: () => transporter.close(),
    };
  }
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    via: "file",
    async send(mail) {
      const info = (await transporter.sendMail(message(mailFrom, mail))) as unknown as { message: Buffer };
      mkdirSync(mailDir, { recursive: true });
      writeFileSync(join(mailDir, fileName(mail.id, new Date())), info.message, { mode: 0o600 });
    },
    close: () => transporter.close(),
  };
}

/** Removes the files written for these outbox rows (erasure, retention). */
export function removeMailFiles(mailDir: string, outboxIds: readonly number[]) {
  if (!outboxIds.length) return;
  let names: string[];
  try {
    names = readdirSync(mailDir);
  } catch {
    return;
  }
  const wanted = new Set(outboxIds.map(String));
  for (const name of names) {
    const id = /^mail-(\d+)-/.exec(name)?.[1];
    if (id && wanted.has(id)) rmSync(join(mailDir, name), { force: true });
  }
}
