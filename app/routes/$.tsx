import type { LoaderFunctionArgs } from "@remix-run/node";

/** Every unknown path is a translated 404 through the root error boundary. */
export async function loader(_: LoaderFunctionArgs) {
  throw new Response("Not found", { status: 404 });
}

/** Nothing to post to: every intent is a 404. */
export const intents = [] as const;

export async function action() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
