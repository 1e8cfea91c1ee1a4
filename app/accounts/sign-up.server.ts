import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { users } from "~db/schema";
import { DomainError } from "~/domain-error";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";
import { queueAccountNotice } from "./account-notice.server";
import { hashPassword } from "./password.server";
import { signUpNoticeKey } from "./rate-keys.server";
import { checkRegistration, createAccount, type RegistrationInput } from "./users.server";

/**
 * /register. The answer does not tell whether the address already has an account: either way
 * it is "check your inbox", with the same status and body and the same costly work (one
 * argon2id hash of the password typed). A new address gets its account and verification link;
 * the owner of a registered one is told that someone tried, with links to sign in or reset (a
 * few times an hour at most, then silently nothing). Bad input answers 400, and that depends on
 * what was typed alone (a DomainError naming every field that is wrong). Returns the address the
 * "check your inbox" page names.
 */
export async function signUp(db: Db, input: RegistrationInput, now = new Date()): Promise<{ email: string }> {
  const checked = checkRegistration(db, input);
  const { email } = checked;
  const existing = db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .get();
  if (!existing) {
    // A 409 here means someone registered the address a moment ago: answered like any registered one.
    try {
      await createAccount(db, checked);
    } catch (error) {
      if (!(error instanceof DomainError && error.status === 409)) throw error;
    }
    return { email };
  }
  // The hash a new account would cost, so the time taken does not tell either.
  await hashPassword(checked.password);
  immediate(db, () => {
    if (rateLimit(db, signUpNoticeKey(email), getSetting(db, "rateSignUpNoticePerAccount"), now).ok) {
      queueAccountNotice(db, existing, "signUpAttempt", now);
    }
  });
  return { email };
}
