import { parseArgs } from "node:util";
import { closeAppDatabase } from "../db/engine";
import { resetSecondFactor } from "../app/accounts/two-factor.server";
import { commandDatabaseUrl, openCommandDatabase } from "./command-db";

/**
 * `npm run user:reset-2fa -- --email x`: removes the second factor of an account whose owner lost
 * their phone and their recovery codes. Check who is asking before running it: it signs the
 * account out everywhere, mails the owner and is written to the moderation log.
 */
const { values } = parseArgs({ options: { email: { type: "string" } } });
if (!values.email) {
  console.error("Usage: npm run user:reset-2fa -- --email moderator@kota.go.id");
  process.exit(2);
}
const db = await openCommandDatabase(commandDatabaseUrl());
try {
  const outcome = await resetSecondFactor(db, values.email);
  if (!outcome) {
    console.error("No account has this e-mail address.");
    process.exitCode = 1;
  } else if (!outcome.hadFactor) {
    console.log(`Account #${outcome.user.id} has no two-step sign-in; nothing changed.`);
  } else {
    console.log(`Two-step sign-in removed from account #${outcome.user.id}. Its sessions ended and the owner is being told by e-mail.`);
  }
} finally {
  await closeAppDatabase(db);
}
