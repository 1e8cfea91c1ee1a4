import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Role, User } from "~db/schema";
import { writeRefusal } from "./users.server";

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

export function currentUser(context: AppLoadContext): User | null {
  return context.session?.user ?? null;
}

export function requireUser(request: Request, context: AppLoadContext): User {
  const user = currentUser(context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export function requireRole(request: Request, context: AppLoadContext, roles: readonly Role[]): User {
  const user = requireUser(request, context);
  if (!roles.includes(user.role)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export function requireAnonymous(context: AppLoadContext, to = "/") {
  if (currentUser(context)) throw redirect(to);
}

/** The one check every write path calls: signed in and allowed to write now. */
export function requireWriter(request: Request, context: AppLoadContext): User {
  const user = requireUser(request, context);
  const refusal = writeRefusal(user);
  if (refusal) {
    throw Response.json(
      { refusal: refusal.reason, until: refusal.reason === "suspended" ? refusal.until?.toISOString() ?? null : null },
      { status: 403 },
    );
  }
  return user;
}
