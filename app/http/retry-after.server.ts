import type { DomainError } from "~/domain-error";

/**
 * The `Retry-After` header of a refusal that says how long to wait (a rate limit's 429 carries
 * `seconds`, or `minutes` where the message rounds), so clients and proxies see the real figure;
 * server/remix-build.ts passes it from the action to the response.
 */
export function retryAfterHeaders(error: DomainError): Record<string, string> | undefined {
  if (error.status !== 429) return undefined;
  const { seconds, minutes } = error.params;
  const wait = typeof seconds === "number" ? seconds : typeof minutes === "number" ? minutes * 60 : null;
  return wait !== null && wait > 0 ? { "Retry-After": String(Math.ceil(wait)) } : undefined;
}
