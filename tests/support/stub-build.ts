import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from "@remix-run/node";

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

export interface StubRoute {
  path: string;
  loader?: Handler;
  action?: Handler;
  /** A route without a component is a resource route: its loader's or action's Response is the answer. */
  resource?: boolean;
}

/**
 * A Remix server build of a few routes, for testing the server in front of Remix (headers, body
 * and host handling, Remix's own action checks) without building the app. Documents are not
 * rendered with React: the entry answers the status, the data and the errors as JSON.
 */
export function stubBuild(routes: Record<string, StubRoute>): ServerBuild {
  const Component = () => null;
  const serverRoutes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: { default: Component, ErrorBoundary: Component } } as never,
  };
  const manifestRoutes: Record<string, unknown> = {
    root: {
      id: "root",
      path: "",
      module: "/root.js",
      hasAction: false,
      hasLoader: false,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: true,
    },
  };
  for (const [id, route] of Object.entries(routes)) {
    const module: Record<string, unknown> = {};
    if (route.loader) module.loader = route.loader;
    if (route.action) module.action = route.action;
    if (!route.resource) module.default = Component;
    serverRoutes[id] = { id, parentId: "root", path: route.path, module } as never;
    manifestRoutes[id] = {
      id,
      parentId: "root",
      path: route.path,
      module: `/${id}.js`,
      hasAction: Boolean(route.action),
      hasLoader: Boolean(route.loader),
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: false,
    };
  }
  return {
    mode: "production",
    entry: {
      module: {
        default: (_request, status, headers, context) => {
          const { loaderData, actionData, errors } = context.staticHandlerContext;
          headers.set("Content-Type", "application/json");
          return new Response(JSON.stringify({ status, loaderData, actionData, errors }), { status, headers });
        },
        handleError: () => {},
      },
    },
    routes: serverRoutes,
    assets: { entry: { module: "/entry.js", imports: [] }, routes: manifestRoutes, url: "/manifest.js", version: "stub" } as never,
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
      v3_routeConfig: true,
    } as never,
    isSpaMode: false,
    basename: "/",
  } as ServerBuild;
}
