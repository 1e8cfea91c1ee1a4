import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as indonesianDictionary } from "@zxcvbn-ts/language-id";
import { PASSWORD_MAX, PASSWORD_MIN } from "./password.server";

/** zxcvbn's score runs 0–4; 3 means "safely unguessable" (about 10^8 guesses and more). */
export const PASSWORD_MIN_SCORE = 3;

/**
 * Words a guesser tries first on this site, beyond the Indonesian and common dictionaries: the
 * site, the city's vocabulary, and everyday words of Indonesian passwords.
 */
const SITE_WORDS = [
  "rembug",
  "musrenbang",
  "kelurahan",
  "kecamatan",
  "warga",
  "kota",
  "pemkot",
  "walikota",
  "bismillah",
  "alhamdulillah",
  "indonesia",
  "sayang",
  "sayangku",
  "rahasia",
  "jakarta",
  "bandung",
  "surabaya",
  "medan",
  "semarang",
  "yogyakarta",
  "jogja",
  "makassar",
  "merdeka",
  "garuda",
  "pancasila",
  "cinta",
  "kucing",
  "persija",
  "persib",
  "katasandi",
  "sandi",
];

// Analysing the first 64 characters is enough to judge a password, and it bounds the time a
// 128-character password full of look-alike characters costs (l33t substitutions multiply it).
const estimator = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...indonesianDictionary, rembug: SITE_WORDS },
  graphs: adjacencyGraphs,
  maxLength: 64,
  l33tMaxSubstitutions: 4,
});

/** What a guesser knows about the person: their name, their address and its parts. */
function personalWords(person: PasswordOwner): string[] {
  const words = new Set<string>();
  const add = (value: string | null | undefined) => {
    const v = value?.trim().toLowerCase();
    if (!v) return;
    words.add(v);
    words.add(v.replace(/[^\p{L}\p{N}]+/gu, ""));
    for (const part of v.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  };
  add(person.displayName);
  add(person.email);
  add(person.email?.split("@")[0]);
  return [...words];
}

export interface PasswordOwner {
  email?: string | null;
  displayName?: string | null;
}

/**
 * The one rule for every password a person sets (sign-up, change, reset, `user:create`): a
 * translation key saying what is wrong with it, or null. Length first; then the person's own
 * name or address inside it; then zxcvbn's estimate with Indonesian and common dictionaries and
 * the person's name and address as words it knows, refusing scores below PASSWORD_MIN_SCORE.
 */
export function passwordProblem(password: string, person: PasswordOwner): string | null {
  if (typeof password !== "string" || password.length === 0) return "errors.required";
  if (password.length < PASSWORD_MIN) return "errors.passwordTooShort";
  if (password.length > PASSWORD_MAX) return "errors.passwordTooLong";
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5) return "errors.passwordWeak";
  const local = person.email?.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) return "errors.passwordWeak";
  const name = person.displayName?.trim().toLowerCase() ?? "";
  if (name.length >= 4 && lower.includes(name)) return "errors.passwordWeak";
  const joined = name.replace(/[^\p{L}\p{N}]+/gu, "");
  if (joined.length >= 4 && lower.replace(/[^\p{L}\p{N}]+/gu, "").includes(joined)) return "errors.passwordWeak";
  const { score } = estimator.check(password, personalWords(person));
  return score < PASSWORD_MIN_SCORE ? "errors.passwordWeak" : null;
}
