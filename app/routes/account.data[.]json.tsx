import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/http/guards.server";
import { personalDataExport } from "~/accounts/personal-data.server";

/** The signed-in person's own data as a JSON file, generated on request and never cached. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const body = JSON.stringify(await personalDataExport(context.db, user, { currentSessionId: context.session?.sessionId ?? null }), null, 2);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="rembug-data-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
