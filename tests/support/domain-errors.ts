import { expect } from "vitest";
import { DomainError } from "../../app/domain-error";

/** Runs `fn`, which must throw a DomainError with `status` (and `key`, when given); returns it. */
export function expectDomainError(fn: () => unknown, status: DomainError["status"], key?: string): DomainError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a ${status} DomainError${key ? ` (${key})` : ""}, but nothing was thrown`);
  if (!(thrown instanceof DomainError)) throw thrown;
  expect({ status: thrown.status, key: thrown.key }).toEqual({ status, key: key ?? thrown.key });
  return thrown;
}

export const daysAgo = (days: number, from = new Date()) => new Date(from.getTime() - days * 86400000);
export const daysFromNow = (days: number, from = new Date()) => new Date(from.getTime() + days * 86400000);
