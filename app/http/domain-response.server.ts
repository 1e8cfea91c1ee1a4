import { data } from "@remix-run/node";
import { DomainError } from "~/domain-error";
import { retryAfterHeaders } from "~/http/retry-after.server";
import { parseId } from "~/ids";

export interface ActionFailure {
  ok: false;
  /** Translation key and parameters of the message; `field` names the form field it belongs to. */
  error: { key: string; params: Record<string, string | number>; field: string };
  /** What the person typed, returned so nothing is lost. */
  values: Record<string, string>;
  intent: string | null;
}

/**
 * Runs a domain command for an action. A DomainError becomes the form's message with its status
 * and the submitted values; 404 becomes the not-found page. Anything else is unexpected and
 * propagates to the 500 page.
 */
export function attempt<T>(fn: () => T, values: Record<string, string> = {}, intent: string | null = null) {
  try {
    return { ok: true as const, value: fn() };
  } catch (error) {
    if (error instanceof DomainError) {
      if (error.status === 404) throw new Response("Not found", { status: 404 });
      const failure: ActionFailure = { ok: false, error: { key: error.key, params: error.params, field: error.field }, values, intent };
      return { ok: false as const, response: data(failure, { status: error.status, headers: retryAfterHeaders(error) }) };
    }
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
