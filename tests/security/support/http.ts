/** Requests as a browser without JavaScript sends them, and what their answers mean. */
import { ENROL_PATH } from "../../../app/http/guards.server";

export type Fields = Record<string, string | string[]>;

export interface Answer {
  /** The path that was asked for. */
  path: string;
  status: number;
  location: string | null;
  body: string;
}

export interface SendOptions {
  method?: string;
  cookie?: string;
  /** Extra or replaced headers (Origin, Sec-Fetch-Site, Content-Type…); undefined removes nothing. */
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | URLSearchParams;
}

/**
 * A kept-alive connection the server closed as idle just as the next request went out ("other
 * side closed" before any answer): on a starved machine the client can miss the server's
 * keep-alive deadline. A read is sent again once on a fresh connection; a post never is, since
 * it may have been acted on.
 */
function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return error instanceof TypeError && (cause?.code === "UND_ERR_SOCKET" || cause?.code === "ECONNRESET");
}

export async function send(url: string, { method = "GET", cookie, headers = {}, body }: SendOptions = {}): Promise<Answer> {
  const request = () =>
    fetch(url, {
      method,
      redirect: "manual",
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
      body,
      signal: AbortSignal.timeout(60_000),
    });
  const res = await request().catch((error: unknown) => {
    if ((method === "GET" || method === "HEAD") && closedBeforeAnswer(error)) return request();
    throw error;
  });
  const text = await res.text();
  return { path: new URL(url).pathname, status: res.status, location: res.headers.get("location"), body: text };
}

export function formBody(fields: Fields): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return params;
}

/** Where a request goes, and the Origin the site's own pages send (SITE_URL behind a proxy). */
export interface Target {
  origin: string;
  siteOrigin: string;
}

/** A same-site form post: the Origin a browser sends with it. */
export function postForm(target: Target, path: string, fields: Fields, cookie?: string, headers: Record<string, string> = {}) {
  return send(target.origin + path, {
    method: "POST",
    cookie,
    headers: { Origin: target.siteOrigin, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: formBody(fields),
  });
}

/** One Cookie header from several pairs (the session's, a half sign-in's); empty ones left out. */
export const joinCookies = (...pairs: (string | undefined)[]) => pairs.filter(Boolean).join("; ");

export type Verdict = "allow" | "login" | "enrol" | "refuse" | "error";

/**
 * allow: a 2xx, or a redirect anywhere but the sign-in page or, from another page, the
 * second-factor set-up page; login: a redirect to sign in; enrol: a redirect to set up a second
 * factor first (an admin of a deployment without one), a refusal; refuse: any 4xx (403, 404,
 * 405, 409, a 400 refusal…); error: a 5xx.
 */
export function verdictOf(answer: Answer): Verdict {
  if (answer.status >= 500) return "error";
  if (answer.status >= 300 && answer.status < 400) {
    const to = answer.location ? new URL(answer.location, "http://x").pathname : "";
    if (to === "/login") return "login";
    // The set-up page's own forms come back to it; any other page sending there is the guard.
    return to === ENROL_PATH && answer.path !== ENROL_PATH ? "enrol" : "allow";
  }
  if (answer.status >= 200 && answer.status < 300) return "allow";
  return "refuse";
}
