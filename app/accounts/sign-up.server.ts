import { and, eq, isNull } from "drizzle-orm";
import { tables, withWriteTx, type AppDb } from "~db/engine";
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
export async function signUp(db: AppDb, input: RegistrationInput, now = new Date()): Promise<{ email: string }> {
  const checked = await checkRegistration(db, input);
  const { email } = checked;
  const { users } = tables(db);
  const [existing] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);
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
  const rule = await getSetting(db, "rateSignUpNoticePerAccount");
  // The counter and the notice commit together; serializable, as rateLimit is on its own.
  await withWriteTx(
    db,
    async (tx) => {
      if ((await rateLimit(tx, signUpNoticeKey(email), rule, now)).ok) {
        await queueAccountNotice(tx, existing, "signUpAttempt", now);
      }
    },
    { serializable: true },
  );
  return { email };
}
