/**
 * The upstreams, in one process pinned beside the load generator:
 *  - the OpenAI simulator with no added latency (latency points),
 *  - a second simulator pacing SSE events by BENCH_CHUNK_DELAY_MS (streaming runs),
 *  - a minimal fixed-response upstream replaying the simulator's own answer to the
 *    benchmark's request, byte for byte (throughput runs: it costs less CPU per request,
 *    so the shared core keeps headroom to drive the gateway to its limit).
 * Prints one `READY {...ports}` line on stderr.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startOpenAiSimulator } from "@portcullis/testkit";
import { upstreamApiKey, upstreamModel, type UpstreamPorts } from "./fixture";
import { chatBody } from "./request-bodies";

const chunkDelayMs = Number(process.env["BENCH_CHUNK_DELAY_MS"] ?? 2);
const openai = await startOpenAiSimulator({ apiKey: upstreamApiKey });
const stream = await startOpenAiSimulator({ apiKey: upstreamApiKey, faults: { chunkDelayMs } });

const sample = await fetch(`${openai.url}/v1/chat/completions`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${upstreamApiKey}` },
  body: chatBody(upstreamModel.fixed),
});
if (sample.status !== 200) throw new Error(`simulator answered ${sample.status} to the benchmark request`);
const canned = Buffer.from(await sample.arrayBuffer());

const fixed = createServer((req, res) => {
  req.resume();
  req.once("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(canned.byteLength) });
    res.end(canned);
  });
});
fixed.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => fixed.listen(0, "127.0.0.1", resolve));

// The simulators keep every request for tests to inspect; a benchmark would grow them without bound.
const trim = setInterval(() => {
  openai.requests.length = 0;
  stream.requests.length = 0;
}, 500);

const ports: UpstreamPorts = { openai: openai.port, stream: stream.port, fixed: (fixed.address() as AddressInfo).port };
process.stderr.write(`READY ${JSON.stringify(ports)}\n`);

const shutdown = async () => {
  clearInterval(trim);
  fixed.closeAllConnections();
  fixed.close();
  await Promise.all([openai.close(), stream.close()]);
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
