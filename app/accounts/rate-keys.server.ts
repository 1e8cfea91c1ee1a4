import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { normalizeEmail } from "./users.server";

/**
 * An e-mail address as rate-limit keys name it: the first 128 bits of the SHA-256 of the
 * normalised address. Sign-in and reset counters are kept for addresses people merely typed
 * (someone else's, a typo); the limits table never holds the address itself.
 */
export function emailKeyPart(email: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeEmail(email)))).slice(0, 32);
}

/** Failed sign-ins for one account from one client address: the back-off that slows a guesser. */
export const signInFailureKey = (email: string, clientAddress: string) => `signin:fail:${emailKeyPart(email)}:${clientAddress}`;
/** Every failure-key prefix of one account, whatever the address. */
export const signInFailurePrefix = (email: string) => `signin:fail:${emailKeyPart(email)}:`;
/** Failed sign-ins for one account from every address: the ceiling of a spread attack. */
export const signInAccountKey = (email: string) => `signin:acct:${emailKeyPart(email)}`;
/** Reset links sent to one account. */
export const resetAccountKey = (email: string) => `reset:acct:${emailKeyPart(email)}`;
/** "Someone tried to register with your address" mails to one account. */
export const signUpNoticeKey = (email: string) => `signup:acct:${emailKeyPart(email)}`;
