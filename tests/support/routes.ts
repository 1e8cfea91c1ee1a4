import type { AppLoadContext } from "@remix-run/node";
import type { AppDb } from "../../db/engine";
import type { User } from "../../db/schema";

/** The load context the server gives loaders and actions, for calling a route module directly. */
export function routeContext(db: AppDb, user: User | null = null, overrides: Partial<AppLoadContext> = {}): AppLoadContext {
  return {
    db,
    session: user ? { sessionId: "test-session", user } : null,
    config: { siteUrl: null, cityTimezone: "Asia/Jakarta", demo: true, production: false, secureCookies: false },
    requestId: "test",
    cspNonce: "nonce",
    clientAddress: "127.0.0.1",
    locale: "id",
    ...overrides,
  } as AppLoadContext;
}

export interface Settled<T = Record<string, unknown>> {
  status: number;
  data: T;
  headers: Headers;
}

/**
 * What a loader or action answered: its data and status whether it returned plain data, `data()`,
 * or threw a Response (a redirect, an error page).
 */
export async function settle<T = Record<string, unknown>>(run: () => unknown): Promise<Settled<T>> {
  try {
    const result = (await run()) as unknown;
    if (result instanceof Response) return { status: result.status, data: (await result.text()) as T, headers: result.headers };
    if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
      const { data, init } = result as { data: T; init?: ResponseInit | null };
      return { status: init?.status ?? 200, data, headers: new Headers(init?.headers) };
    }
    return { status: 200, data: result as T, headers: new Headers() };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, data: (await thrown.text()) as T, headers: thrown.headers };
    throw thrown;
  }
}

/** A form POST to `url`, as a browser without JavaScript sends it. */
export function formPost(url: string, fields: Record<string, string>): Request {
  return new Request(url, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
}

/** Arguments for a route's loader or action. */
export function routeArgs(request: Request, context: AppLoadContext, params: Record<string, string> = {}) {
  return { request, context, params } as never;
}
