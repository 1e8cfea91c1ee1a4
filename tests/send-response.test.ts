import { afterEach, describe, expect, it } from "vitest";
import express from "express";
import compression from "compression";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sendResponse } from "../server/send-response";

const CHUNK = 64 * 1024;

let server: Server | undefined;

afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

/** A body of `chunks` 64 KB chunks, made as they are pulled. */
function largeBody(chunks: number, onPull: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      onPull();
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(CHUNK).fill(97));
    },
  });
}

describe("sendResponse under backpressure", () => {
  it.each([
    ["plain", false],
    ["compressed", true],
  ])(
    "keeps listeners bounded while a slow client reads a large %s body",
    async (_name, compressed) => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on("warning", onWarning);
      let maxClose = 0;
      let maxError = 0;
      let maxDrain = 0;
      const app = express();
      if (compressed) app.use(compression());
      app.get("/export", (_req, res, next) => {
        const body = largeBody(400, () => {
          maxClose = Math.max(maxClose, res.listenerCount("close"));
          maxError = Math.max(maxError, res.listenerCount("error"));
          maxDrain = Math.max(maxDrain, res.listenerCount("drain"));
        });
        sendResponse(res, new Response(body, { headers: { "Content-Type": "text/csv" } })).catch(next);
      });
      server = app.listen(0, "127.0.0.1");
      await new Promise((r) => server!.once("listening", r));
      const { port } = server.address() as AddressInfo;

      // A slow reader, paused after every chunk.
      const received = await new Promise<number>((resolve, reject) => {
        const headers = { "Accept-Encoding": compressed ? "gzip" : "identity" };
        const req = httpRequest({ host: "127.0.0.1", port, path: "/export", headers }, (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on("end", () => resolve(bytes));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end();
      });
      process.off("warning", onWarning);

      if (!compressed) expect(received).toBe(400 * CHUNK);
      else expect(received).toBeGreaterThan(0);
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
      // Express and Node keep a few of their own; what matters is that the count does not grow per chunk.
      expect(maxClose).toBeLessThanOrEqual(4);
      expect(maxError).toBeLessThanOrEqual(4);
      expect(maxDrain).toBeLessThanOrEqual(2);
    },
    60_000,
  );

  it("stops reading the body when the client goes away", async () => {
    let pulls = 0;
    let cancelled = false;
    const app = express();
    app.get("/export", (_req, res, next) => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulls++;
          if (sent++ > 10_000) controller.close();
          else controller.enqueue(new Uint8Array(CHUNK));
        },
        cancel() {
          cancelled = true;
        },
      });
      sendResponse(res, new Response(body)).catch(next);
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server!.once("listening", r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/export" }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => resolve());
      req.end();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(1000);
  });
});
