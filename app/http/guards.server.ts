import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Role, User } from "~db/schema";
import { mustEnrolFirst } from "~/accounts/two-factor.server";

/** Where an account that must add a second factor is sent; the only page it may use until it has one. */
export const ENROL_PATH = "/account/two-factor";

/** Only same-site absolute paths; anything else (//evil, /\evil, https:…) falls back to `fallback`. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(to)) return fallback;
  try {
    const url = new URL(to, "http://rembug.invalid");
    if (url.origin !== "http://rembug.invalid") return fallback;
    const path = url.pathname + url.search + url.hash;
    // Dot segments can normalise "/.//evil.com" into the protocol-relative "//evil.com".
    if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
    return path;
  } catch {
    return fallback;
  }
}

/**
 * The person whose account this request acts for, or null. An admin who must first add a second
 * factor counts as a visitor on pages open to both (a draft project stays hidden from them).
 */
export async function currentUser(context: AppLoadContext): Promise<User | null> {
  const user = context.session?.user ?? null;
  return user && (await mustEnrolFirst(context.db, user, context.config)) ? null : user;
}

/**
 * Signed in, whatever else holds. Only the enrolment page itself uses it; every other page and
 * action goes through requireUser.
 */
export function requireSignedIn(request: Request, context: AppLoadContext): User {
  const user = context.session?.user ?? null;
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/**
 * Signed in and free to use the site. An admin of a real deployment without a confirmed second
 * factor can do nothing but enrol: every page and action that needs an account (so every staff
 * and admin one) sends them to the enrolment page, and comes back afterwards.
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<User> {
  const user = requireSignedIn(request, context);
  if (await mustEnrolFirst(context.db, user, context.config)) {
    const url = new URL(request.url);
    throw redirect(`${ENROL_PATH}?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, context: AppLoadContext, roles: readonly Role[]): Promise<User> {
  const user = await requireUser(request, context);
  if (!roles.includes(user.role)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export function requireAnonymous(context: AppLoadContext, to = "/") {
  if (context.session) throw redirect(to);
}
