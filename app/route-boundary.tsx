import { Outlet } from "@remix-run/react";
import { RouteErrorPage } from "~/ui/error-page";

/**
 * A pathless layout around every route (see app/routes.ts). When an action throws (403, 404, 429…),
 * Remix runs only the loaders above the nearest error boundary; with the boundary here rather than
 * at the root, the root loader still runs, so the error page keeps its language, header and user
 * on a document request (no JavaScript), not a bare status number.
 */
export default function RouteBoundary() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <RouteErrorPage />;
}
