/**
 * `npm run mail:digest`: queues the daily digest for everyone who chose it and sends what is due.
 * Meant for a scheduler (cron: `0 6 * * * cd /srv/rembug && npm run mail:digest`). Idempotent: run
 * it twice, or hourly, and nobody gets a digest twice; each user gets at most one a day.
 */
import { readConfig } from "../server/config";
import { closeAppDatabase } from "../db/engine";
import { queueDigests } from "../app/notifications/digest.server";
import { deliverDueMail } from "../app/notifications/outbox.server";
import { createMailTransport } from "../app/notifications/mail-transport.server";
import { openCommandDatabase } from "./command-db";

const config = readConfig();
const db = await openCommandDatabase(config.databaseUrl);
const transport = createMailTransport(config);
try {
  const { queued, users } = await queueDigests(db, config.cityTimezone);
  console.log(`Digest: ${queued} queued for ${users} user(s) who chose it.`);
  // Send now, so the digest goes out even when the server is not running; what fails stays queued.
  const report = await deliverDueMail(db, transport, { origin: config.publicOrigin, limit: 10_000 });
  console.log(`Mail: ${report.sent} sent${config.smtpUrl ? "" : ` (written to ${config.mailDir})`}, ${report.failed.length} to retry later.`);
} finally {
  transport.close();
  await closeAppDatabase(db);
}
