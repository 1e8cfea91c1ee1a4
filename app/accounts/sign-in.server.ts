import type { RembugContext } from "~/context";
import { withWriteTx, type AppDb } from "~db/engine";
import { getSetting } from "~/settings.server";
import { clearFailures, forgetRateLimits, rateLimit, readRateLimit, recordFailure, tooManyAttempts } from "~/rate-limit.server";
import { DomainError } from "~/domain-error";
import { authenticate, normalizeEmail } from "./users.server";
import { createSession } from "./session.server";
import { hasSecondFactor, startSignInChallenge } from "./two-factor.server";
import { signInAccountKey, signInFailureKey, signInFailurePrefix } from "./rate-keys.server";
import type { User } from "~db/schema";

export type SignInResult =
  | { step: "session"; user: User; token: string; expiresAt: Date }
  /** The password was right and a second factor is confirmed: no session yet, only a challenge for the code page. */
  | { step: "second-factor"; user: User; challengeToken: string; expiresAt: Date };

/**
 * Signs in with three limits, none of which can keep the owner out from an address of their own:
 * - per client address, every attempt (generous: many people share a carrier's address);
 * - per account and address, failures: after the free ones each doubles the wait, so a guesser
 *   is slowed where they guess from, while the owner elsewhere is not;
 * - per account, failures from every address (rateSignInPerAccount): once a spread attack has
 *   spent it, an address that has already failed for the account waits for the window to end;
 *   an address without failures still gets its try, so the owner still signs in.
 * A refusal is a DomainError: 400 for missing fields (both at once) or wrong credentials, 429
 * with the wait in `seconds` when a limit holds.
 */
export async function signIn(
  context: Pick<RembugContext, "db" | "clientAddress">,
  input: { email: string; password: string },
  now = new Date(),
): Promise<SignInResult> {
  const { db } = context;
  const email = normalizeEmail(input.email);
  const missing = [...(email ? [] : ["email"]), ...(input.password ? [] : ["password"])];
  if (missing.length)
    throw DomainError.fields(
      400,
      missing.map((field) => ({ field, key: "errors.required" })),
    );

  const byAddress = await rateLimit(db, `signin:addr:${context.clientAddress}`, await getSetting(db, "rateSignInPerAddress"), now);
  if (!byAddress.ok) throw tooManyAttempts(byAddress.retryAfterSeconds);
  const pairKey = signInFailureKey(email, context.clientAddress);
  const accountKey = signInAccountKey(email);
  const accountRule = await getSetting(db, "rateSignInPerAccount");
  const pair = await readRateLimit(db, pairKey, accountRule, now);
  if (pair.blockedSeconds > 0) throw tooManyAttempts(pair.blockedSeconds);
  const account = await readRateLimit(db, accountKey, accountRule, now);
  if (account.spentSeconds > 0 && pair.failures > 0) throw tooManyAttempts(account.spentSeconds);

  const user = await authenticate(db, email, input.password);
  if (!user) {
    await recordFailure(db, pairKey, await getSetting(db, "signInFreeFailures"), now);
    await rateLimit(db, accountKey, accountRule, now);
    throw new DomainError(400, "errors.credentials");
  }
  await clearFailures(db, pairKey);
  if (await hasSecondFactor(db, user.id)) {
    const challenge = await startSignInChallenge(db, user.id, now);
    return { step: "second-factor", user, challengeToken: challenge.token, expiresAt: challenge.expiresAt };
  }
  const session = await createSession(db, user.id, now);
  return { step: "session", user, ...session };
}

/** After a password reset, failed sign-ins before it no longer slow anyone down on this account (in the caller's transaction, when handed one). */
export async function forgetSignInFailures(db: AppDb, email: string): Promise<void> {
  await withWriteTx(db, async (tx) => {
    await forgetRateLimits(tx, signInFailurePrefix(email));
    await forgetRateLimits(tx, signInAccountKey(email));
  });
}

/** Refuses a sign-up from a client address that has registered too often (429). */
export async function assertSignUpAllowed(context: Pick<RembugContext, "db" | "clientAddress">): Promise<void> {
  const r = await rateLimit(context.db, `signup:addr:${context.clientAddress}`, await getSetting(context.db, "rateSignUpPerAddress"));
  if (!r.ok) throw tooManyAttempts(r.retryAfterSeconds);
}
