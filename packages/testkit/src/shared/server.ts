import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FAULT_HEADER, parseFaultHeader, type Faults } from "./faults";

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** Set when the client closed the connection before the response was complete (a cancelled request). */
  clientClosedEarly?: boolean;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The key clients must present; absent means any key (but some key) is accepted. */
  apiKey?: string;
  /** Faults for every request until changed. */
  faults?: Faults;
}

export interface SimulatorHandle {
  /** `http://host:port` (no path). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  setFaults(f: Faults | undefined): void;
  close(): Promise<void>;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  recorded: RecordedRequest;
  faults: Faults;
  /** 1-based request number, for deterministic ids. */
  n: number;
}

export interface SimulatorDefinition {
  /** Renders an error in the protocol's own shape. */
  errorResponse(status: number, message: string, faults: Faults): { body: unknown; headers?: Record<string, string> };
  route(ctx: RouteContext): Promise<void> | void;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const rawBody = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  try {
    body = rawBody === "" ? undefined : JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? "/", "http://sim.local");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  return { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers, body, rawBody };
}

/**
 * One node:http server per upstream protocol. The harness records requests,
 * applies faults (latency, error status, never answering) and hands the rest
 * to the protocol's router.
 */
export async function startSimulator(def: SimulatorDefinition, opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const requests: RecordedRequest[] = [];
  let sticky: Faults | undefined = opts.faults;
  let remaining = sticky?.times;
  let counter = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const recorded = await readRequest(req);
      requests.push(recorded);
      res.once("close", () => {
        if (!res.writableFinished) recorded.clientClosedEarly = true;
      });
      const n = ++counter;
      let faults: Faults = {};
      const fromHeader = parseFaultHeader(recorded.headers[FAULT_HEADER]);
      if (fromHeader) faults = fromHeader;
      else if (sticky) {
        faults = sticky;
        if (remaining !== undefined && --remaining <= 0) sticky = undefined;
      }
      if (faults.latencyMs) await sleep(faults.latencyMs);
      if (faults.timeout) return; // never answer; close() tears the socket down
      if (faults.status) {
        const { body, headers } = def.errorResponse(faults.status, `simulated ${faults.status}`, faults);
        const retry: Record<string, string> = faults.retryAfter !== undefined ? { "retry-after": String(faults.retryAfter) } : {};
        sendJson(res, faults.status, body, { ...retry, ...headers });
        return;
      }
      await def.route({ req, res, recorded, faults, n });
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(e) } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`,
    port: addr.port,
    requests,
    setFaults(f) {
      sticky = f;
      remaining = f?.times;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
