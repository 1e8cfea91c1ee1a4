import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "@playwright/test";
import type { ReceivedMail } from "../support/smtp";
import { expect } from "./fixtures";
import { e2eMailDir, e2ePort } from "./paths";

/** Every message the test SMTP server beside the web server has received so far. */
export function receivedMail(): ReceivedMail[] {
  const dir = e2eMailDir(e2ePort());
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(resolve(dir, name), "utf8")) as ReceivedMail);
}

/**
 * Waits until the SMTP server has received `count` messages to `to` (whose subject matches, when
 * given) and returns the last of them; the app's sender looks at its outbox every second.
 */
export async function waitForMail(
  to: string,
  { subject, count = 1, timeoutMs = 15_000 }: { subject?: RegExp; count?: number; timeoutMs?: number } = {},
): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = receivedMail().filter((m) => m.to.includes(to.toLowerCase()) && (!subject || subject.test(m.subject)));
    if (found.length >= count) return found[count - 1]!;
    if (Date.now() > deadline)
      throw new Error(`no mail #${count} to ${to}${subject ? ` matching ${subject}` : ""} within ${timeoutMs} ms (${found.length} so far)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How many messages to `to` have arrived so far. */
export const mailCount = (to: string) => receivedMail().filter((m) => m.to.includes(to.toLowerCase())).length;

/** The first link in the message's plain text that goes to `path`. */
export function linkTo(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/[/.]/g, "\\$&")}\\S*`).exec(mail.text);
  if (!match) throw new Error(`no link to ${path} in the mail "${mail.subject}"`);
  return match[0];
}

/**
 * A newly registered resident confirms their address as a person would: opens the mail the SMTP
 * server received, follows its link and presses the confirm button.
 */
export async function verifyByMail(page: Page, email: string) {
  const mail = await waitForMail(email, { subject: /Konfirmasi alamat e-mail/ });
  await page.goto(linkTo(mail, "/verify-email/"));
  await expect(page.getByRole("heading", { level: 1, name: "Konfirmasi alamat e-mail Anda" })).toBeVisible();
  await page.getByRole("button", { name: "Konfirmasi alamat e-mail saya" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alamat e-mail terkonfirmasi" })).toBeVisible();
}
