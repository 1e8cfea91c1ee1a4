/**
 * One autocannon run, in its own process so the load generator never shares an event loop with
 * the server it measures. Input: a JSON object as the first argument; output: one JSON line.
 * Only loopback addresses are accepted, and the run is bounded by its duration.
 */
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** autocannon's latency histogram counts whole milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
const url = new URL(options.url);
if (url.hostname !== "127.0.0.1") throw new Error(`load generator: loopback only, got ${url.hostname}`);
if (!(options.seconds > 0 && options.seconds <= 120)) throw new Error("load generator: seconds must be in (0, 120]");

const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  timeout: 10,
  // No Accept-Encoding: the app answers uncompressed, and the bare server sends the same bytes.
  headers: {},
  ...(options.warmupSeconds > 0 ? { warmup: { connections: options.connections, duration: options.warmupSeconds } } : {}),
});

const out: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  mean: result.latency.average,
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  seconds: result.duration,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
