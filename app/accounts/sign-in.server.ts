import type { AppLoadContext } from "@remix-run/node";
import { getSetting } from "~/settings.server";
import { clearFailures, rateLimit, recordFailure } from "~/rate-limit.server";
import { authenticate, normalizeEmail, type Result } from "./users.server";
import { createSession } from "./session.server";
import type { User } from "~db/schema";

export type SignInResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; status: 400 | 429; errors: Record<string, string>; retryAfterSeconds?: number };

/**
 * Signs in with rate limits per address and per account; each failure beyond the free ones
 * doubles the wait before the account may try again.
 */
export async function signIn(
  context: Pick<AppLoadContext, "db" | "clientAddress">,
  input: { email: string; password: string },
): Promise<SignInResult> {
  const { db } = context;
  const email = normalizeEmail(input.email);
  const errors: Record<string, string> = {};
  if (!email) errors.email = "errors.required";
  if (!input.password) errors.password = "errors.required";
  if (Object.keys(errors).length) return { ok: false, status: 400, errors };

  const byAddress = rateLimit(db, `signin:addr:${context.clientAddress}`, getSetting(db, "rateSignInPerAddress"));
  if (!byAddress.ok) return limited(byAddress.retryAfterSeconds);
  const accountKey = `signin:acct:${email}`;
  const byAccount = rateLimit(db, accountKey, getSetting(db, "rateSignInPerAccount"));
  if (!byAccount.ok) return limited(byAccount.retryAfterSeconds);

  const user = await authenticate(db, email, input.password);
  if (!user) {
    recordFailure(db, accountKey, getSetting(db, "signInFreeFailures"));
    return { ok: false, status: 400, errors: { form: "errors.credentials" } };
  }
  clearFailures(db, accountKey);
  const session = createSession(db, user.id);
  return { ok: true, user, ...session };
}

function limited(retryAfterSeconds: number): SignInResult {
  return { ok: false, status: 429, errors: { form: "errors.rateLimited" }, retryAfterSeconds };
}

export function signUpAllowed(context: Pick<AppLoadContext, "db" | "clientAddress">): Result<null> & { retryAfterSeconds?: number } {
  const r = rateLimit(context.db, `signup:addr:${context.clientAddress}`, getSetting(context.db, "rateSignUpPerAddress"));
  if (r.ok) return { ok: true, value: null };
  return { ok: false, status: 429, errors: { form: "errors.rateLimited" }, retryAfterSeconds: r.retryAfterSeconds };
}
