/**
 * The floor: the least a Node reverse proxy can do (node:http in, keep-alive node:http
 * out, bodies piped, headers copied). The gateway's added latency is read against this
 * as well as against direct calls. BENCH_FLOOR_UPSTREAMS is JSON `{name: upstreamPort}`; one
 * listener per upstream; prints `READY {name: listenPort}` on stderr.
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

const upstreams = JSON.parse(process.env["BENCH_FLOOR_UPSTREAMS"] ?? "{}") as Record<string, number>;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);

function forwardHeaders(h: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (!hopByHop.has(k)) out[k] = v;
  return out;
}

const listening: Record<string, number> = {};
for (const [name, upstreamPort] of Object.entries(upstreams)) {
  const server = createServer((req, res) => {
    const up = request({ host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: forwardHeaders(req.headers), agent }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, forwardHeaders(upRes.headers));
      upRes.pipe(res);
    });
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  listening[name] = (server.address() as AddressInfo).port;
}
process.stderr.write(`READY ${JSON.stringify(listening)}\n`);
process.once("SIGTERM", () => process.exit(0));
process.once("SIGINT", () => process.exit(0));
