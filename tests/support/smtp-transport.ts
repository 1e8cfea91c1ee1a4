import { afterAll, beforeAll } from "vitest";
import { createMailTransport, type MailTransport } from "../../app/notifications/mail-transport.server";
import { startTestSmtp, type TestSmtpServer } from "./smtp";

/** A test file's SMTP server and the app's mail transport that sends to it. */
export interface TestSmtp {
  server: TestSmtpServer;
  transport: MailTransport;
}

/**
 * For a test file that sends mail (call it at the top level): starts a test SMTP server and a
 * transport to it before the file's tests, and closes both after them. Read `server` and
 * `transport` inside tests and hooks; they are set once `beforeAll` has run.
 */
export function useTestSmtp(): TestSmtp {
  const smtp = {} as TestSmtp;
  beforeAll(async () => {
    smtp.server = await startTestSmtp();
    // The folder is only for mail sent without SMTP; with an SMTP URL nothing is written there.
    smtp.transport = createMailTransport({ smtpUrl: smtp.server.url, mailFrom: "Rembug <no-reply@rembug.test>", mailDir: "/nonexistent" });
  });
  afterAll(async () => {
    smtp.transport.close();
    await smtp.server.close();
  });
  return smtp;
}
