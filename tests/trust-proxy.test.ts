import { afterEach, describe, expect, it } from "vitest";
import { parseTrustProxy, readConfig } from "../server/config";
import { startHttpApp, type HttpApp } from "./support/http-app";
import { stubBuild } from "./support/stub-build";

const build = stubBuild({
  "routes/whoami": { path: "whoami", resource: true, loader: ({ context }) => Response.json({ address: context.clientAddress }) },
});

let app: HttpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function addressSeen(trustProxy: string | undefined, forwardedFor?: string) {
  app = await startHttpApp({ build, env: trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy } });
  const res = await app.request("GET", "/whoami", { headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {} });
  expect(res.status).toBe(200);
  const address = (JSON.parse(res.text) as { address: string }).address;
  await app.close();
  app = undefined;
  return address.replace(/^::ffff:/, "");
}

describe("TRUST_PROXY", () => {
  it("is off by default and reads false, no and 0 as off", () => {
    expect(readConfig({} as NodeJS.ProcessEnv).trustProxy).toBe(false);
    for (const v of ["false", "no", "0", "", " FALSE "]) expect(parseTrustProxy(v)).toBe(false);
  });

  it("reads true as one hop, not as trusting every hop", () => {
    expect(parseTrustProxy("true")).toBe(1);
    expect(parseTrustProxy("yes")).toBe(1);
  });

  it("takes a number of hops", () => {
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy("2")).toBe(2);
  });

  it("takes the proxies' addresses and subnets", () => {
    expect(parseTrustProxy("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
    expect(parseTrustProxy("192.168.1.10,fd00::/8")).toEqual(["192.168.1.10", "fd00::/8"]);
  });

  it("refuses at start-up what is neither a number nor an address", () => {
    expect(() => parseTrustProxy("nginx")).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy("10.0.0.0/99")).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy("-1")).toThrow(/TRUST_PROXY/);
  });
});

describe("the client address used for rate limits", () => {
  it("is the socket's address without TRUST_PROXY, whatever X-Forwarded-For says", async () => {
    expect(await addressSeen(undefined, "203.0.113.9")).toBe("127.0.0.1");
  });

  it("with TRUST_PROXY=true is the address the one proxy saw, not one the client wrote in front of it", async () => {
    // The client sends "X-Forwarded-For: 6.6.6.6"; the proxy appends the address it saw.
    expect(await addressSeen("true", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
  });

  it("with a hop count skips exactly that many proxies", async () => {
    expect(await addressSeen("2", "6.6.6.6, 203.0.113.9, 10.0.0.2")).toBe("203.0.113.9");
  });

  it("with the proxies' addresses stops at the first address that is not one of them", async () => {
    expect(await addressSeen("loopback, 10.0.0.0/8", "6.6.6.6, 203.0.113.9, 10.1.2.3")).toBe("203.0.113.9");
    // A request that did not come from a listed proxy keeps its socket address.
    expect(await addressSeen("10.0.0.0/8", "203.0.113.9")).toBe("127.0.0.1");
  });
});
