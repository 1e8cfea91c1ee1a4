import { expect } from "vitest";
import { DomainError, type FieldError } from "../../app/domain-error";

/**
 * Runs `fn`, which must throw (or return a promise that rejects with) a DomainError with `status`
 * (and `key`, when given); resolves to it. Await it: the check runs when the promise settles.
 */
export async function expectDomainError(fn: () => unknown, status: DomainError["status"], key?: string): Promise<DomainError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a ${status} DomainError${key ? ` (${key})` : ""}, but nothing was thrown`);
  if (!(thrown instanceof DomainError)) throw thrown;
  expect({ status: thrown.status, key: thrown.key }).toEqual({ status, key: key ?? thrown.key });
  return thrown;
}

/**
 * What a refusal says, in a shape tests compare: its status, the message key of each refused field
 * ("form" for the whole form) and the headline's parameters (a rate limit's `seconds`, say).
 */
export interface Refusal {
  status: DomainError["status"];
  errors: Record<string, string>;
  params: Record<string, string | number>;
}

/** Field → message key of a refusal's errors (or of a form's reply, whose `errors` are the same). */
export function fieldKeys(errors: readonly FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.key]));
}

function refusalOf(thrown: unknown): Refusal {
  if (thrown === undefined) throw new Error("expected a refusal (a DomainError), but nothing was thrown");
  if (!(thrown instanceof DomainError)) throw thrown;
  return { status: thrown.status, errors: fieldKeys(thrown.errors), params: thrown.params };
}

/** Runs `fn` (sync or async), which must refuse with a DomainError; resolves to what the refusal says. */
export async function refusal(fn: () => unknown): Promise<Refusal> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  return refusalOf(thrown);
}

/** The same as `refusal` (kept for the callers that named the promise case). */
export async function refusalAsync(fn: () => Promise<unknown>): Promise<Refusal> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  return refusalOf(thrown);
}

export const daysAgo = (days: number, from = new Date()) => new Date(from.getTime() - days * 86400000);
export const daysFromNow = (days: number, from = new Date()) => new Date(from.getTime() + days * 86400000);
