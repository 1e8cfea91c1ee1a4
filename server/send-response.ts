import type { Response as ExpressResponse } from "express";

/**
 * Resolves on the response's next "drain" or "close", whichever comes first, and removes both
 * listeners either way: waiting once per full buffer must not leave listeners behind each time
 * (`events.once` in a race leaves the loser's listener, and an "error" listener for each, until
 * the response closes). Under compression, "drain" listeners are handed to the zlib stream, which
 * `res.off` does not reach: the drain listener removes itself from whichever emitter called it.
 */
function drainOrClose(res: ExpressResponse): Promise<void> {
  return new Promise((resolve) => {
    function onDrain(this: NodeJS.EventEmitter) {
      this.removeListener("drain", onDrain);
      res.removeListener("close", onClose);
      resolve();
    }
    function onClose() {
      res.removeListener("drain", onDrain);
      resolve();
    }
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

/**
 * Writes a Remix response to Express with backpressure: when the socket's buffer is full the
 * next chunk waits for "drain", so a slow client downloading a large export holds a few chunks
 * in memory, not the whole file (the stock adapter writes without waiting).
 */
export async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let closed = false;
  const onClose = () => {
    closed = true;
    void reader.cancel().catch(() => {});
  };
  res.once("close", onClose);
  try {
    while (!closed) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drainOrClose(res);
      // Compression buffers by default; flush so streamed HTML reaches a slow phone early.
      (res as unknown as { flush?: () => void }).flush?.();
    }
    if (!closed) res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  } finally {
    res.off("close", onClose);
  }
}
