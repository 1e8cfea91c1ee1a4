import { data } from "@remix-run/node";
import { DomainError, type FormFailure } from "~/domain-error";
import { retryAfterHeaders } from "~/http/retry-after.server";
import { parseId } from "~/ids";

export interface ReplyOptions {
  /** The form's names of domain fields where they differ (a page with two code fields names one `renewCode`). */
  fieldNames?: Record<string, string>;
}

/**
 * A DomainError as the form's reply: every field error (the headline first), what was typed, the
 * form's intent, with the error's status (`status`, for a route that answers one refusal its own
 * way) and any Retry-After. A 404 is the not-found page, never a form message. Routes call it
 * directly for a refusal of their own (an unreadable form).
 */
export function refused(error: DomainError, values: Record<string, string> = {}, intent: string | null = null, { fieldNames = {} }: ReplyOptions = {}) {
  if (error.status === 404) throw new Response("Not found", { status: 404 });
  const errors = error.errors.map((e) => ({ field: fieldNames[e.field] ?? e.field, key: e.key, params: e.params }));
  const failure: FormFailure = { ok: false, errors, values, intent };
  return { ok: false as const, status: error.status, response: data(failure, { status: error.status, headers: retryAfterHeaders(error) }) };
}

/**
 * Runs a domain command for an action. A DomainError becomes the form's reply (see refused) with
 * its status and the submitted values; 404 becomes the not-found page. Anything else is
 * unexpected and propagates to the 500 page.
 */
export function attempt<T>(fn: () => T, values: Record<string, string> = {}, intent: string | null = null, options: ReplyOptions = {}) {
  try {
    return { ok: true as const, value: fn() };
  } catch (error) {
    if (error instanceof DomainError) return refused(error, values, intent, options);
    throw error;
  }
}

/** attempt() for a command that returns a promise (hashing a password, say). */
export async function attemptAsync<T>(fn: () => Promise<T>, values: Record<string, string> = {}, intent: string | null = null, options: ReplyOptions = {}) {
  try {
    return { ok: true as const, value: await fn() };
  } catch (error) {
    if (error instanceof DomainError) return refused(error, values, intent, options);
    throw error;
  }
}

/** For loaders: a DomainError becomes an error page of its status. */
export function orThrowResponse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DomainError) throw new Response(error.key, { status: error.status, headers: retryAfterHeaders(error) });
    throw error;
  }
}

/** Form values as strings, capped so an oversized field cannot balloon a response. */
export function formValues(form: FormData, names: string[], max = 20_000): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = form.get(name);
    if (typeof value === "string") out[name] = value.slice(0, max);
  }
  return out;
}

export function idParam(value: string | undefined): number {
  const n = parseId(value);
  if (n === null) throw new Response("Not found", { status: 404 });
  return n;
}
