import { createServer, request, type Server } from "node:http";

/**
 * One address in front of several app servers, each request to the next one in turn — the
 * smallest load balancer there is, so a journey's every step (a form, its redirect, the page after)
 * lands on a different server than the one before it. Headers and bodies pass through unchanged
 * (the Host header too, so the app's Origin check sees the address the browser used).
 */
export function startRoundRobin(upstreams: { host: string; port: number }[], port: number, host = "127.0.0.1"): Promise<Server & { served: number[] }> {
  let next = 0;
  const served = upstreams.map(() => 0);
  const server = createServer((incoming, outgoing) => {
    const index = next++ % upstreams.length;
    served[index]!++;
    const upstream = upstreams[index]!;
    const forwarded = request(
      { host: upstream.host, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        // Which server answered, for the spec that checks both do (tests/e2e/two-servers.spec.ts).
        outgoing.writeHead(response.statusCode ?? 502, response.statusMessage, { ...response.headers, "x-rembug-upstream": String(index + 1) });
        response.pipe(outgoing);
      },
    );
    forwarded.on("error", () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { "content-type": "text/plain" });
      outgoing.end("bad gateway");
    });
    incoming.pipe(forwarded);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(Object.assign(server, { served })));
  });
}
