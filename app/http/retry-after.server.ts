import type { DomainError } from "~/domain-error";

/**
 * The `Retry-After` header of a refusal that says how long to wait, so clients and proxies see
 * the real figure: a `seconds` parameter (a rate limit's 429, or a wrong second-factor code that
 * has grown a delay), or `minutes` on a 429 whose message rounds. server/remix-build.ts passes it
 * from the action to the response.
 */
export function retryAfterHeaders(error: DomainError): Record<string, string> | undefined {
  const { seconds, minutes } = error.params;
  const wait = typeof seconds === "number" ? seconds : error.status === 429 && typeof minutes === "number" ? minutes * 60 : null;
  return wait !== null && wait > 0 ? { "Retry-After": String(Math.ceil(wait)) } : undefined;
}
