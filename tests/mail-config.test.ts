import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readConfig } from "../server/config";
import { loggedPath } from "../server/app";

/** An environment with only these variables. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

describe("mail configuration", () => {
  it("keeps mail in the outbox and the mail folder beside the database when SMTP_URL is not set", () => {
    const config = readConfig(env({ DATABASE_URL: "./data/rembug.db" }));
    expect(config.smtpUrl).toBeNull();
    expect(config.mailDir).toBe(resolve("./data/mail"));
    expect(config.mailFrom).toBe("Rembug <no-reply@localhost>");
    expect(config.publicOrigin).toBe("http://localhost:3000");
  });

  it("reads SMTP_URL, MAIL_FROM and SITE_URL", () => {
    const config = readConfig(
      env({
        SMTP_URL: "smtps://rembug:rahasia@mail.kota.go.id:465",
        MAIL_FROM: "Rembug Kota <rembug@kota.go.id>",
        SITE_URL: "https://rembug.kota.go.id/",
        NODE_ENV: "production",
      }),
    );
    expect(config).toMatchObject({
      smtpUrl: "smtps://rembug:rahasia@mail.kota.go.id:465",
      mailFrom: "Rembug Kota <rembug@kota.go.id>",
      publicOrigin: "https://rembug.kota.go.id",
    });
  });

  it("points links at the server's own address in the demo", () => {
    expect(readConfig(env({ HOST: "127.0.0.1", PORT: "3730" })).publicOrigin).toBe("http://127.0.0.1:3730");
    expect(readConfig(env({ SITE_URL: "https://rembug.kota.go.id" })).mailFrom).toBe("Rembug <no-reply@rembug.kota.go.id>");
  });

  it("refuses an SMTP_URL that is not smtp:// or smtps://", () => {
    expect(() => readConfig(env({ SMTP_URL: "http://mail.example" }))).toThrow(/SMTP_URL/);
  });
});

describe("the request log", () => {
  it("shows the route of an e-mailed link, never its token", () => {
    expect(loggedPath("/verify-email/abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop")).toBe("/verify-email/[token]");
    expect(loggedPath("/reset-password/abc.data")).toBe("/reset-password/[token]");
    expect(loggedPath("/unsubscribe/12-0123456789abcdef0123456789abcdef")).toBe("/unsubscribe/[token]");
    expect(loggedPath("/verify-email")).toBe("/verify-email");
    expect(loggedPath("/projects/taman-kota")).toBe("/projects/taman-kota");
  });
});

describe("the web app manifest", () => {
  const manifest = JSON.parse(readFileSync(resolve(ROOT, "public/manifest.webmanifest"), "utf8")) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    lang: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };

  it("lets the site be added to a phone's home screen", () => {
    expect(manifest).toMatchObject({ short_name: "Rembug", start_url: "/", display: "standalone", lang: "id" });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
  });

  it("names icons that exist, with the size they claim", () => {
    for (const icon of manifest.icons.filter((i) => i.type === "image/png")) {
      const png = readFileSync(resolve(ROOT, "public", icon.src.slice(1)));
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      // Width and height sit in the IHDR chunk, big-endian, at bytes 16 and 20.
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    }
    expect(readFileSync(resolve(ROOT, "public/icons/apple-touch-icon.png")).readUInt32BE(16)).toBe(180);
  });

  it("is linked from every page", () => {
    const root = readFileSync(resolve(ROOT, "app/root.tsx"), "utf8");
    expect(root).toContain('{ rel: "manifest", href: "/manifest.webmanifest" }');
    expect(root).toContain('{ rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" }');
  });
});
