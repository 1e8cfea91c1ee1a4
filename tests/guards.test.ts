import { beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import type { AppDb } from "~db/engine";
import type { User } from "~db/schema";
import { requireAnonymous, requireRole, requireUser, safeRedirectPath } from "~/http/guards.server";
import { freshDatabase } from "./support/db";
import { makeUser } from "./support/factories";

let db: AppDb;
beforeAll(async () => {
  db = (await freshDatabase()).db;
});

function context(user: User | null): AppLoadContext {
  return {
    db,
    session: user ? { sessionId: "test-session", user } : null,
    config: { siteUrl: null, cityTimezone: "Asia/Jakarta", demo: true, production: false, secureCookies: false },
    requestId: "test",
    cspNonce: "nonce",
    clientAddress: "127.0.0.1",
    locale: "id",
  } as AppLoadContext;
}

const request = (path = "/") => new Request(`http://localhost:3000${path}`);

/** Runs `fn`, which must throw (or reject with) a Response, and returns it. */
async function thrownResponse(fn: () => unknown): Promise<Response> {
  try {
    await fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(Response);
    return thrown as Response;
  }
  throw new Error("expected a thrown Response, but nothing was thrown");
}

describe("safeRedirectPath", () => {
  it("accepts a same-site path with query and fragment", () => {
    expect(safeRedirectPath("/projects?x=1#c")).toBe("/projects?x=1#c");
    expect(safeRedirectPath("/")).toBe("/");
  });

  it.each([
    ["a protocol-relative URL", "//evil.com"],
    ["a backslash after the slash", "/\\evil.com"],
    ["a backslash later on", "/a\\..\\\\evil.com"],
    ["an absolute URL", "https://evil.com"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "projects"],
    ["an empty string", ""],
    ["a tab inside", "/\t/evil.com"],
    ["a newline inside", "/projects\n/evil"],
    ["a NUL inside", "/projects\u0000"],
    ["dot segments that collapse into //", "/.//evil.com"],
    ["parent segments that collapse into //", "/..//evil.com"],
    ["encoded dot segments that collapse into //", "/%2e%2e//evil.com"],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirectPath(to)).toBe("/");
    expect(safeRedirectPath(to, "/account")).toBe("/account");
  });

  it.each([null, undefined])("falls back for %s", (to) => {
    expect(safeRedirectPath(to, "/projects")).toBe("/projects");
  });

  it.each(["/%2F%2Fevil.com", "/%5C%5Cevil.com", "/%2e%2e/%2F/evil.com", "/projects/%2F%2Fevil.com?next=//evil.com"])(
    "keeps the encoded trick %j on this site",
    (to) => {
      const result = safeRedirectPath(to);
      expect(result.startsWith("/")).toBe(true);
      expect(result.startsWith("//")).toBe(false);
      expect(result.startsWith("/\\")).toBe(false);
      // What a browser would do with it as a Location header.
      expect(new URL(result, "https://rembug.example").origin).toBe("https://rembug.example");
    },
  );
});

describe("requireUser", () => {
  it("redirects an anonymous visitor to /login with the path and query to come back to", async () => {
    const response = await thrownResponse(() => requireUser(request("/projects/jalan-mawar?tab=diskusi&page=2"), context(null)));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/projects/jalan-mawar?tab=diskusi&page=2")}`);
  });

  it("returns the signed-in user", async () => {
    const user = await makeUser(db);
    expect((await requireUser(request("/account"), context(user))).id).toBe(user.id);
  });
});

describe("requireRole", () => {
  it("refuses a signed-in user with the wrong role with 403", async () => {
    const resident = await makeUser(db);
    const response = await thrownResponse(() => requireRole(request("/staff/users"), context(resident), ["admin"]));
    expect(response.status).toBe(403);
  });

  it("returns the user whose role is allowed", async () => {
    const planner = await makeUser(db, { role: "planner" });
    expect((await requireRole(request("/staff"), context(planner), ["planner", "admin"])).id).toBe(planner.id);
  });

  it("sends an anonymous visitor to sign in rather than 403", async () => {
    const response = await thrownResponse(() => requireRole(request("/staff/users"), context(null), ["admin"]));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/staff/users")}`);
  });
});

describe("requireAnonymous", () => {
  it("lets an anonymous visitor through", () => {
    expect(() => requireAnonymous(context(null))).not.toThrow();
  });

  it("redirects a signed-in user away", async () => {
    const user = await makeUser(db);
    const response = await thrownResponse(() => requireAnonymous(context(user), "/account"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account");
  });
});
