import { afterEach, describe, expect, it } from "vitest";
import { getEmailMode, setEmailMode } from "~/notifications/email-preferences.server";
import { unsubscribeToken } from "~/notifications/unsubscribe.server";
import { startHttpApp, type HttpApp } from "./support/http-app";
import { stubBuild } from "./support/stub-build";
import { makeUser } from "./support/factories";

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const SITE = "https://rembug.kota.example";

const build = stubBuild({
  "routes/echo": {
    path: "echo",
    loader: ({ request }) => ({ url: request.url, host: request.headers.get("host") }),
    action: async ({ request }) => ({ url: request.url, said: (await request.formData()).get("said") }),
  },
  "routes/unsubscribe.$token": { path: "unsubscribe/:token", action: () => ({ route: "remix" }) },
});

let app: HttpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("behind a proxy that does not pass Host (production, SITE_URL set)", () => {
  it("accepts a form post from the site's own pages", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE, TRUST_PROXY: "1" } });
    // The proxy forwards to 127.0.0.1:PORT and passes that as Host, not the public name.
    const res = await app.request("POST", "/echo", { headers: { ...FORM, Origin: SITE }, body: "said=halo" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).actionData["routes/echo"]).toEqual({ url: `${SITE}/echo`, said: "halo" });
  });

  it("accepts the same post as a single-fetch data request", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const res = await app.request("POST", "/echo.data", { headers: { ...FORM, Origin: SITE }, body: "said=halo" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("halo");
  });

  it("shows Remix the public URL and host, whatever Host or X-Forwarded-Host the request carried", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const res = await app.request("GET", "/echo", { headers: { Host: "10.0.0.5:3000", "X-Forwarded-Host": "evil.example" } });
    expect(JSON.parse(res.text).loaderData["routes/echo"]).toEqual({ url: `${SITE}/echo`, host: "rembug.kota.example" });
  });

  it("still refuses a post from another origin", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const res = await app.request("POST", "/echo", { headers: { ...FORM, Origin: "https://evil.example" }, body: "said=halo" });
    expect(res.status).toBe(403);
  });
});

describe("the host in the demo (no SITE_URL)", () => {
  it("honours X-Forwarded-Host and X-Forwarded-Proto from a trusted proxy", async () => {
    app = await startHttpApp({ build, env: { TRUST_PROXY: "loopback" } });
    const headers = { ...FORM, Origin: "https://demo.example", "X-Forwarded-Host": "demo.example", "X-Forwarded-Proto": "https" };
    const res = await app.request("POST", "/echo", { headers, body: "said=halo" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).actionData["routes/echo"].url).toBe("https://demo.example/echo");
  });

  it("ignores X-Forwarded-Host without TRUST_PROXY, for the Origin check and for Remix alike", async () => {
    app = await startHttpApp({ build });
    const own = app.origin;
    const posted = await app.request("POST", "/echo", { headers: { ...FORM, Origin: own, "X-Forwarded-Host": "evil.example" }, body: "said=halo" });
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.text).actionData["routes/echo"].url).toBe(`${own}/echo`);
    const forged = await app.request("POST", "/echo", {
      headers: { ...FORM, Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" },
      body: "said=halo",
    });
    expect(forged.status).toBe(403);
  });
});

describe("one-click unsubscribe (RFC 8058) behind a proxy", () => {
  it("turns notification e-mail off when a web-mail client posts with its own Origin", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE, TRUST_PROXY: "1" } });
    const user = await makeUser(app.db);
    await setEmailMode(app.db, user.id, "immediate");
    const res = await app.request("POST", `/unsubscribe/${await unsubscribeToken(app.db, user.id)}`, {
      headers: { ...FORM, Origin: "https://mail.example.com" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.text).toContain("E-mail pemberitahuan dihentikan");
    expect(await getEmailMode(app.db, user.id)).toBe("none");
  });

  it("works for a mail client that sends no Origin and no body type", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const user = await makeUser(app.db);
    await setEmailMode(app.db, user.id, "digest");
    const res = await app.request("POST", `/unsubscribe/${await unsubscribeToken(app.db, user.id)}`, { body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    expect(await getEmailMode(app.db, user.id)).toBe("none");
  });

  it("answers a forged token with 400 and changes nothing", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const user = await makeUser(app.db);
    await setEmailMode(app.db, user.id, "immediate");
    const res = await app.request("POST", `/unsubscribe/${user.id}-${"0".repeat(32)}`, {
      headers: { ...FORM, Origin: "https://mail.example.com" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(400);
    expect(await getEmailMode(app.db, user.id)).toBe("immediate");
  });

  it("leaves the page's own confirm button to the app's route", async () => {
    app = await startHttpApp({ build, env: { SITE_URL: SITE } });
    const user = await makeUser(app.db);
    const res = await app.request("POST", `/unsubscribe/${await unsubscribeToken(app.db, user.id)}`, { headers: { ...FORM, Origin: SITE }, body: "" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).actionData["routes/unsubscribe.$token"]).toEqual({ route: "remix" });
  });
});
