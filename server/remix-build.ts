import type { ActionFunction, ActionFunctionArgs, AppLoadContext, HeadersFunction, ServerBuild } from "@remix-run/node";
import { plainErrorPage } from "./plain-pages";

/**
 * The app's build as the server hands it to Remix, with two rules added to every route in one
 * place instead of in each route module:
 *
 * - An action only runs on a form body. Anything else (JSON, text, no Content-Type) is refused
 *   with 415 before the action runs; a body that does not parse as the form it claims to be
 *   (broken multipart, invalid percent-encoding or UTF-8) makes `request.formData()` throw a 400.
 *   Both are thrown Responses, so Remix answers them as it answers any refusal: the translated
 *   error page for a document, an error the client can decode for a single-fetch `.data`
 *   request, the plain page for a resource route — never a 500.
 * - `Retry-After` set by a loader or action (a rate limit's 429) reaches the client. Remix copies
 *   only `Set-Cookie` from loaders and actions unless the route exports `headers`, and no route
 *   needs to remember to.
 */
export function adaptBuild(build: ServerBuild): ServerBuild {
  const cached = adapted.get(build);
  if (cached) return cached;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = { ...route.module };
    if (module.action) module.action = formOnlyAction(module.action, module.default == null);
    module.headers = passRetryAfter(module.headers);
    routes[id] = { ...route, module };
  }
  const result = { ...build, routes };
  adapted.set(build, result);
  return result;
}

const adapted = new WeakMap<ServerBuild, ServerBuild>();

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(contentType: string | null): string | null {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type || null;
}

/** Whether an `application/x-www-form-urlencoded` body is well formed: every `%` starts a valid UTF-8 escape. */
export function wellFormedUrlEncoded(body: string): boolean {
  if (!body) return true;
  for (const part of body.split("&")) {
    try {
      decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return false;
    }
  }
  return true;
}

function refusal(status: 400 | 415, context: AppLoadContext, resource: boolean): Response {
  const headers = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };
  // A document route's error boundary renders its own page from the status; a resource route has none.
  const body = resource ? plainErrorPage(context.locale, status, context.requestId, context.cspNonce) : null;
  return new Response(body, { status, headers });
}

function formOnlyAction(action: ActionFunction, resource: boolean): ActionFunction {
  return (args: ActionFunctionArgs) => {
    const { request, context } = args;
    if (!FORM_TYPES.has(mediaType(request.headers.get("Content-Type")) ?? "")) throw refusal(415, context, resource);
    const parse = request.formData.bind(request);
    const urlEncoded = mediaType(request.headers.get("Content-Type")) === "application/x-www-form-urlencoded";
    Object.defineProperty(request, "formData", {
      configurable: true,
      value: async (): Promise<FormData> => {
        if (urlEncoded) {
          let text: string;
          try {
            text = new TextDecoder("utf-8", { fatal: true }).decode(await request.arrayBuffer());
          } catch (error) {
            if (request.signal.aborted) throw error;
            throw refusal(400, context, resource);
          }
          if (!wellFormedUrlEncoded(text)) throw refusal(400, context, resource);
          const form = new FormData();
          for (const [name, value] of new URLSearchParams(text)) form.append(name, value);
          return form;
        }
        try {
          return await parse();
        } catch (error) {
          if (request.signal.aborted) throw error;
          throw refusal(400, context, resource);
        }
      },
    });
    return action(args);
  };
}

function passRetryAfter(own: ServerBuild["routes"][string]["module"]["headers"]): HeadersFunction {
  return (args) => {
    const headers = new Headers(own === undefined ? args.parentHeaders : typeof own === "function" ? own(args) : own);
    if (!headers.has("Retry-After")) {
      const retryAfter = args.actionHeaders.get("Retry-After") ?? args.errorHeaders?.get("Retry-After") ?? args.loaderHeaders.get("Retry-After");
      if (retryAfter) headers.set("Retry-After", retryAfter);
    }
    return headers;
  };
}
