import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express from "express";
import { request as httpRequest, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { precompressedAssets } from "../server/precompressed-assets";
import { chooseEncoding } from "~/http/encoded-body.server";

const script = `export function greet(name){return "Selamat datang, " + name + "!";}\n`.repeat(400);
let dir: string;
let server: Server;
let port: number;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request without automatic decompression, to see the bytes that cross the wire. */
function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rembug-assets-"));
  writeFileSync(join(dir, "entry-abc123.js"), script);
  writeFileSync(join(dir, "icon-abc123.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const assets = precompressedAssets(dir);
  await assets.ready;
  const app = express();
  app.use("/assets", assets, express.static(dir, { immutable: true, maxAge: "1y" }));
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("precompressed hashed assets", () => {
  it("go out as brotli when the browser accepts it, smaller than on-the-fly gzip, cached for a year", async () => {
    const res = await get("/assets/entry-abc123.js", { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toContain("text/javascript");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers.vary).toContain("Accept-Encoding");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
    expect(res.body.length).toBeLessThan(gzipSync(script).length);
  });

  it("fall back to gzip, then to the plain file, as the Accept-Encoding header allows", async () => {
    const gz = await get("/assets/entry-abc123.js", { "Accept-Encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const refusedBrotli = await get("/assets/entry-abc123.js", { "Accept-Encoding": "br;q=0, gzip" });
    expect(refusedBrotli.headers["content-encoding"]).toBe("gzip");

    const plain = await get("/assets/entry-abc123.js", { "Accept-Encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("answer a repeat request carrying the ETag with 304 and no body", async () => {
    const first = await get("/assets/entry-abc123.js", { "Accept-Encoding": "br" });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get("/assets/entry-abc123.js", { "Accept-Encoding": "br", "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("answer HEAD with headers only, and leave images and unknown names to the static handler", async () => {
    const head = await get("/assets/entry-abc123.js", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);

    const image = await get("/assets/icon-abc123.png", { "Accept-Encoding": "br" });
    expect(image.status).toBe(200);
    expect(image.headers["content-encoding"]).toBeUndefined();
    expect(image.body.length).toBe(4);

    expect((await get("/assets/missing-000000.js")).status).toBe(404);
  });

  it("choose an encoding by the client's preferences", () => {
    expect(chooseEncoding(undefined)).toBe("identity");
    expect(chooseEncoding("")).toBe("identity");
    expect(chooseEncoding("gzip, deflate, br")).toBe("br");
    expect(chooseEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(chooseEncoding("deflate")).toBe("identity");
  });
});
