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
import { claimJob, releaseJob } from "../app/jobs.server";
import { openCommandDatabase } from "./command-db";

const DIGEST_HOLD_MS = 30 * 60_000;

const config = readConfig();
const db = await openCommandDatabase(config.databaseUrl);
const transport = createMailTransport(config);
// One run at a time for the deployment: a scheduler on every app server starts it at the same
// moment, and one of them sends (the others say so and stop). The claim lapses after half an hour
// should this process die; it is released as soon as the run is over, done or failed.
const claim = await claimJob(db, "digest", DIGEST_HOLD_MS);
try {
  if (!claim.claimed) {
    console.log(`Digest: another process is sending it (since ${claim.claimedAt?.toISOString() ?? "?"}); nothing to do here.`);
  } else {
    const { queued, users } = await queueDigests(db, config.cityTimezone);
    console.log(`Digest: ${queued} queued for ${users} user(s) who chose it.`);
    // Send now, so the digest goes out even when the server is not running; what fails stays queued.
    const report = await deliverDueMail(db, transport, { origin: config.publicOrigin, limit: 10_000 });
    console.log(`Mail: ${report.sent} sent${config.smtpUrl ? "" : ` (written to ${config.mailDir})`}, ${report.failed.length} to retry later.`);
  }
} finally {
  if (claim.claimed) await releaseJob(db, "digest", claim.at);
  transport.close();
  await closeAppDatabase(db);
}
