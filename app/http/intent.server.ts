/**
 * The intent a form post asks for, from the route's own list of intents.
 *
 * Every route with an action exports that list as `export const intents = [...] as const` and
 * reads the form's `intent` through this function, so the action can dispatch on nothing else:
 * an intent outside the list is a 400 before anything is written. The security tests read the
 * lists from the build (route × role × intent matrix, CSRF, fuzz), so a new intent cannot escape
 * them. `fallback` is the intent of a form that sends none (a single-purpose form, a mail
 * client's one-click unsubscribe); without it a missing intent is refused too.
 */
export function readIntent<const T extends readonly string[]>(form: FormData, intents: T, fallback?: T[number]): T[number] {
  const values = form.getAll("intent");
  if (values.length === 0 && fallback !== undefined) return fallback;
  const value = values[0];
  // Two different intents in one post (a crafted body) are not a choice between them.
  if (typeof value === "string" && values.every((v) => v === value) && (intents as readonly string[]).includes(value)) return value as T[number];
  throw new Response("Bad request", { status: 400 });
}
