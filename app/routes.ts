import { layout, type RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

// Every route sits in a pathless layout whose error boundary lets the root loader run (app/route-boundary.tsx).
export default [layout("route-boundary.tsx", await flatRoutes())] satisfies RouteConfig;
