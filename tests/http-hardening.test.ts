import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { createSession, sessionCookieName } from "~/accounts/session.server";
import { setSetting } from "~/settings.server";
import { castVote } from "~/voting/voting.server";
import { startHttpApp, type HttpApp, type RequestOptions } from "./support/http-app";
import { sourceBuild } from "./support/source-build";
import { makeProject, makeUser } from "./support/factories";
import { makeProposal, makeThread } from "./support/more-factories";

// The real app (its own routes, compiled from the sources) behind the real server.
let app: HttpApp;
let build: ServerBuild;
let closeBuild: () => Promise<void>;
let resident: string;
let admin: string;
/** Values for the routes' params that name real rows, so each action gets as far as its form. */
let params: Record<string, string>;

beforeAll(async () => {
  const source = await sourceBuild();
  build = source.build;
  closeBuild = source.close;
  app = await startHttpApp({ build });
  const user = await makeUser(app.db);
  const staff = await makeUser(app.db, { role: "admin" });
  resident = `${sessionCookieName(app.config)}=${(await createSession(app.db, user.id)).token}`;
  admin = `${sessionCookieName(app.config)}=${(await createSession(app.db, staff.id)).token}`;
  const project = await makeProject(app.db);
  await castVote(app.db, user, project.id, "support");
  params = {
    slug: project.slug,
    "threads/:id": String((await makeThread(app.db, user.id, project.id)).id),
    "proposals/:id": String((await makeProposal(app.db, user.id, project.id)).id),
  };
}, 120_000);

afterAll(async () => {
  await app?.close();
  await closeBuild?.();
});

function post(path: string, { headers = {}, body }: RequestOptions, cookie?: string) {
  return app.request("POST", path, { headers: { Origin: app.origin, ...(cookie ? { Cookie: cookie } : {}), ...headers }, body });
}

/** Every route with an action, as a URL a browser would post to (params filled in) and its single-fetch twin. */
function actionUrls(): { id: string; document: string; data: string }[] {
  const urls: { id: string; document: string; data: string }[] = [];
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route?.module.action) continue;
    const segments: string[] = [];
    for (let r: typeof route | undefined = route; r; r = r.parentId ? build.routes[r.parentId] : undefined) if (r.path) segments.unshift(r.path);
    const path = ("/" + segments.join("/"))
      .replace(/(\w+)\/:id/g, (_, parent: string) => `${parent}/${params[`${parent}/:id`] ?? "1"}`)
      .replace(/:(\w+)/g, (_, name: string) => params[name] ?? "x")
      .replace(/\*$/, "x");
    const query = route.index ? "?index" : "";
    urls.push({ id, document: path + query, data: (path === "/" ? "/_root" : path) + ".data" + query });
  }
  return urls;
}

describe("12 · a body that is not a form never reaches an action as a 500", () => {
  const notForms: [string, RequestOptions][] = [
    ["JSON", { headers: { "Content-Type": "application/json" }, body: '{"intent":"post","email":"a@b.c"}' }],
    ["text/plain", { headers: { "Content-Type": "text/plain" }, body: "intent=post" }],
    ["no Content-Type", { body: "intent=post" }],
    ["XML", { headers: { "Content-Type": "application/xml" }, body: "<intent/>" }],
  ];
  const broken: [string, RequestOptions][] = [
    [
      "broken multipart",
      { headers: { "Content-Type": "multipart/form-data; boundary=XyZ" }, body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nno end' },
    ],
    ["multipart without a boundary", { headers: { "Content-Type": "multipart/form-data" }, body: "email=a" }],
    ["invalid percent-encoding", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=%E0%A4%A&intent=%zz" }],
    [
      "invalid UTF-8",
      { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0xc3]) },
    ],
  ];

  it("finds the app's actions", () => {
    expect(actionUrls().length).toBeGreaterThan(20);
  });

  it("answers 415 to JSON, text, XML and a body without a type, on every action, as a document and as a .data request", { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    for (const { document, data } of actionUrls()) {
      for (const url of [document, data]) {
        for (const [name, options] of notForms) {
          for (const cookie of [undefined, resident]) {
            const res = await post(url, options, cookie);
            if (res.status !== 415) wrong.push(`${url} ${name}${cookie ? " (signed in)" : ""}: ${res.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers a broken form body with a 4xx (400 where the action reads the form first), never a 5xx", { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    for (const { document, data } of actionUrls()) {
      for (const url of [document, data]) {
        for (const [name, options] of broken) {
          for (const cookie of [resident, admin]) {
            const res = await post(url, options, cookie);
            if (res.status >= 500) wrong.push(`${url} ${name}: ${res.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(app.logs.filter((line) => line.startsWith("error "))).toEqual([]);
  });

  it("says 400 on the sign-in and reset forms, whose actions read the form first, with the translated error page", async () => {
    for (const [, options] of broken) {
      for (const url of ["/login", "/login.data", "/forgot-password", "/forgot-password.data"]) {
        expect((await post(url, options)).status, url).toBe(400);
      }
    }
    const page = await post("/login", broken[0]![1]);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.text).toContain("<html");
  });

  it("still runs the action on a well-formed form", async () => {
    const res = await post("/forgot-password", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=warga%40contoh.id" });
    expect(res.status).toBe(200);
  });
});

describe("13 · every 429 says when to come back", () => {
  it("sends the rate limit's own Retry-After on the reset form, as a document and as a .data request", async () => {
    await setSetting(app.db, "ratePasswordResetPerAddress", { limit: 1, windowSeconds: 1234 });
    try {
      const form = { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=tetangga%40contoh.id" };
      // The first post of the new window may already be the one over the limit.
      await post("/forgot-password", form);
      for (const url of ["/forgot-password", "/forgot-password.data"]) {
        const res = await post(url, form);
        expect(res.status, url).toBe(429);
        const seconds = Number(res.headers["retry-after"]);
        expect(seconds, url).toBeGreaterThan(1200);
        expect(seconds, url).toBeLessThanOrEqual(1234);
      }
    } finally {
      await setSetting(app.db, "ratePasswordResetPerAddress", { limit: 100_000, windowSeconds: 3600 });
    }
  });

  it("sends it when sign-in backs off", async () => {
    await setSetting(app.db, "rateSignInPerAddress", { limit: 1, windowSeconds: 777 });
    try {
      const form = { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=siapa%40contoh.id&password=salah-sekali-ini" };
      await post("/login", form);
      const res = await post("/login", form);
      expect(res.status).toBe(429);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(700);
      expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(777);
    } finally {
      await setSetting(app.db, "rateSignInPerAddress", { limit: 100_000, windowSeconds: 3600 });
    }
  });

  it("sends the figure of a domain refusal (posting too many comments), not a guess", async () => {
    const rule = { limit: 1, windowSeconds: 5000 };
    await setSetting(app.db, "rateCommentsPerMinute", rule);
    await setSetting(app.db, "rateCommentsPerMinuteNewAccount", rule);
    const thread = `/projects/${params.slug}/threads/${params["threads/:id"]}`;
    const form = (n: number) => ({ headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `intent=comment&body=Komentar+warga+nomor+${n}` });
    const statuses: number[] = [];
    for (let n = 1; n <= 3 && !statuses.includes(429); n++) {
      const res = await post(n === 3 ? `${thread}.data` : thread, form(n), resident);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers["retry-after"])).toBeGreaterThan(4000);
        expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(5000);
      }
    }
    expect(statuses).toContain(429);
  });
});

describe("CSRF · only the one-click unsubscribe POST skips the Origin check", () => {
  it("refuses another method on an unsubscribe link from a foreign origin with 403, not 500", async () => {
    for (const method of ["DELETE", "PUT", "PATCH"] as const) {
      const res = await app.request(method, "/unsubscribe/abc.def", { headers: { Origin: "https://evil.example" } });
      expect(res.status, method).toBe(403);
    }
  });
});

describe("15 · pages for a signed-in person are kept out of every shared cache", () => {
  const get = (path: string, cookie?: string) => app.request("GET", path, { headers: cookie ? { Cookie: cookie } : {} });

  it("sends Cache-Control: private, no-store on the account, notifications and staff pages", async () => {
    for (const [path, cookie] of [
      ["/account", resident],
      ["/notifications", resident],
      ["/projects", resident],
      [`/projects/${params.slug}`, resident],
      ["/staff/moderation", admin],
      ["/staff/projects", admin],
      ["/staff/users", admin],
    ] as const) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"], path).toBe("private, no-store");
    }
  });

  it("sends it on the .data a signed-in navigation reads", async () => {
    const res = await get("/account.data", resident);
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("private, no-store");
  });

  it("keeps pages whose address holds a secret link out of every cache, signed in or not", async () => {
    for (const path of ["/reset-password/abc.def", "/verify-email/abc.def", "/unsubscribe/abc.def", "/reset-password/abc.def.data"]) {
      const res = await get(path);
      expect(res.headers["cache-control"], path).toBe("no-store");
    }
  });

  it("leaves the caching of pages for visitors as it was", async () => {
    for (const path of ["/", "/projects", `/projects/${params.slug}`, "/login"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"], path).toBeUndefined();
    }
  });
});

describe("19 · no inline style is allowed, and none is needed", () => {
  const styleSrc = (csp: string | string[] | undefined) =>
    String(csp)
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("style-src"));
  const nonceOf = (csp: string | string[] | undefined) => /'nonce-([^']+)'/.exec(styleSrc(csp) ?? "")?.[1];

  it("sends a style-src without 'unsafe-inline' on every kind of answer", async () => {
    const answers = [
      await app.request("GET", "/projects"),
      await app.request("GET", "/account", { headers: { Cookie: resident } }),
      await app.request("GET", "/no-such-page"),
      await post("/login", { headers: { "Content-Type": "application/json" }, body: "{}" }),
      await app.request("POST", "/login", { headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b" }),
    ];
    for (const res of answers) {
      expect(styleSrc(res.headers["content-security-policy"])).toMatch(/^style-src 'self' 'nonce-[A-Za-z0-9+/=]+'$/);
    }
  });

  it("renders the pages, the tally bars among them, without a style attribute or an unsigned style element", async () => {
    const pages = [
      ["/", undefined],
      ["/projects", undefined],
      [`/projects/${params.slug}`, undefined],
      [`/projects/${params.slug}`, resident],
      [`/projects/${params.slug}/threads/${params["threads/:id"]}`, resident],
      ["/account", resident],
      ["/staff/projects", admin],
      ["/staff/moderation", admin],
      ["/no-such-page", undefined],
    ] as const;
    for (const [path, cookie] of pages) {
      const res = await app.request("GET", path, { headers: cookie ? { Cookie: cookie } : {} });
      expect(res.text, path).not.toMatch(/\sstyle=/i);
      const nonce = nonceOf(res.headers["content-security-policy"]);
      for (const [element] of res.text.matchAll(/<style\b[^>]*>/gi)) expect(element, path).toContain(`nonce="${nonce}"`);
    }
    const project = await app.request("GET", `/projects/${params.slug}`);
    // The bar still shows the share: one ballot, all of it for support.
    expect(project.text).toMatch(/<svg class="tally__bar" aria-hidden="true"[^>]*><rect width="100" height="1"><\/rect><\/svg>/);
  });

  it("signs the style element of the plain error pages with the response's nonce", async () => {
    const res = await app.request("POST", "/login", {
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=b",
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain(`<style nonce="${nonceOf(res.headers["content-security-policy"])}">`);
  });
});

describe("18 · an id in a form is read strictly", () => {
  it("refuses a notification id written with spaces or in hex", async () => {
    for (const id of ["%201%20", "0x1", "1e0"]) {
      const res = await post("/notifications", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `intent=read&id=${id}` }, resident);
      expect(res.status, id).toBe(400);
    }
  });
});
