import type { RembugContext } from "~/context";
import type { Db } from "~db/client";
import { getSetting } from "~/settings.server";
import { clearFailures, forgetRateLimits, rateLimit, readRateLimit, recordFailure } from "~/rate-limit.server";
import { authenticate, normalizeEmail, type Result } from "./users.server";
import { createSession } from "./session.server";
import { hasSecondFactor, startSignInChallenge } from "./two-factor.server";
import { signInAccountKey, signInFailureKey, signInFailurePrefix } from "./rate-keys.server";
import type { User } from "~db/schema";

export type SignInResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  /** The password was right and a second factor is confirmed: no session yet, only a challenge for the code page. */
  | { ok: "second-factor"; user: User; challengeToken: string; expiresAt: Date }
  | { ok: false; status: 400 | 429; errors: Record<string, string>; retryAfterSeconds?: number };

/**
 * Signs in with three limits, none of which can keep the owner out from an address of their own:
 * - per client address, every attempt (generous: many people share a carrier's address);
 * - per account and address, failures: after the free ones each doubles the wait, so a guesser
 *   is slowed where they guess from, while the owner elsewhere is not;
 * - per account, failures from every address (rateSignInPerAccount): once a spread attack has
 *   spent it, an address that has already failed for the account waits for the window to end;
 *   an address without failures still gets its try, so the owner still signs in.
 */
export async function signIn(
  context: Pick<RembugContext, "db" | "clientAddress">,
  input: { email: string; password: string },
  now = new Date(),
): Promise<SignInResult> {
  const { db } = context;
  const email = normalizeEmail(input.email);
  const errors: Record<string, string> = {};
  if (!email) errors.email = "errors.required";
  if (!input.password) errors.password = "errors.required";
  if (Object.keys(errors).length) return { ok: false, status: 400, errors };

  const byAddress = rateLimit(db, `signin:addr:${context.clientAddress}`, getSetting(db, "rateSignInPerAddress"), now);
  if (!byAddress.ok) return limited(byAddress.retryAfterSeconds);
  const pairKey = signInFailureKey(email, context.clientAddress);
  const accountKey = signInAccountKey(email);
  const accountRule = getSetting(db, "rateSignInPerAccount");
  const pair = readRateLimit(db, pairKey, accountRule, now);
  if (pair.blockedSeconds > 0) return limited(pair.blockedSeconds);
  const account = readRateLimit(db, accountKey, accountRule, now);
  if (account.spentSeconds > 0 && pair.failures > 0) return limited(account.spentSeconds);

  const user = await authenticate(db, email, input.password);
  if (!user) {
    recordFailure(db, pairKey, getSetting(db, "signInFreeFailures"), now);
    rateLimit(db, accountKey, accountRule, now);
    return { ok: false, status: 400, errors: { form: "errors.credentials" } };
  }
  clearFailures(db, pairKey);
  if (hasSecondFactor(db, user.id)) {
    const challenge = startSignInChallenge(db, user.id, now);
    return { ok: "second-factor", user, challengeToken: challenge.token, expiresAt: challenge.expiresAt };
  }
  const session = createSession(db, user.id, now);
  return { ok: true, user, ...session };
}

/** After a password reset, failed sign-ins before it no longer slow anyone down on this account. */
export function forgetSignInFailures(db: Db, email: string) {
  forgetRateLimits(db, signInFailurePrefix(email));
  forgetRateLimits(db, signInAccountKey(email));
}

function limited(retryAfterSeconds: number): SignInResult {
  return { ok: false, status: 429, errors: { form: "errors.rateLimited" }, retryAfterSeconds };
}

export function signUpAllowed(context: Pick<RembugContext, "db" | "clientAddress">): Result<null> & { retryAfterSeconds?: number } {
  const r = rateLimit(context.db, `signup:addr:${context.clientAddress}`, getSetting(context.db, "rateSignUpPerAddress"));
  if (r.ok) return { ok: true, value: null };
  return { ok: false, status: 429, errors: { form: "errors.rateLimited" }, retryAfterSeconds: r.retryAfterSeconds };
}
