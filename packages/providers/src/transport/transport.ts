/**
 * The only I/O in this package: sends an UpstreamRequest over a keep-alive
 * connection pool (one undici Pool per origin inside an Agent) and hands the
 * body back unbuffered, so streams flow through as the upstream writes them.
 */
import { PortcullisError } from "@portcullis/core";
import { Agent, errors as undiciErrors, request, type Dispatcher } from "undici";
import type { UpstreamRequest } from "../types";

export interface TransportOptions {
  /** Max sockets per upstream origin. */
  connectionsPerOrigin?: number;
  /** Idle keep-alive sockets are closed after this long. */
  keepAliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Another dispatcher (tests, proxies); the transport then does not own or close it. */
  dispatcher?: Dispatcher;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Time allowed until the response headers arrive. */
  timeoutMs?: number;
  /** Longest silence allowed between body chunks (defaults to `timeoutMs`). */
  idleTimeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** The body as it arrives; iterate once. Errors are PortcullisErrors. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection without reading the rest of the body. */
  cancel(): void;
}

export interface Transport {
  sendUpstream(req: UpstreamRequest, opts?: SendOptions): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 600_000;

function errorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const cause = (e as { cause?: unknown }).cause;
  return cause === undefined || cause === e ? undefined : errorCode(cause);
}

/** undici/socket failures -> Portcullis codes; an abort by the caller is rethrown untouched. */
export function mapTransportError(e: unknown, url: string, phase: "connect" | "body", signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason ?? e;
  if (e instanceof PortcullisError) return e;
  const origin = new URL(url).origin;
  const code = errorCode(e);
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || e instanceof undiciErrors.ConnectTimeoutError || code === "ETIMEDOUT") {
    return new PortcullisError({ code: "upstream_timeout", message: `upstream ${origin} timed out`, cause: e });
  }
  if (phase === "body") {
    return new PortcullisError({ code: "stream_incomplete", message: `upstream ${origin} closed the response early`, cause: e });
  }
  return new PortcullisError({ code: "upstream_unavailable", message: `upstream ${origin} is unreachable (${code ?? "connection failed"})`, cause: e });
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else if (v !== undefined) h.set(k, v);
  }
  return h;
}

export function createTransport(opts: TransportOptions = {}): Transport {
  const owned = opts.dispatcher === undefined;
  const dispatcher: Dispatcher =
    opts.dispatcher ??
    new Agent({
      connections: opts.connectionsPerOrigin ?? 256,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
      connect: { timeout: opts.connectTimeoutMs ?? 10_000 },
    });

  return {
    async sendUpstream(req, send = {}) {
      const timeout = send.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let res: Dispatcher.ResponseData;
      try {
        res = await request(req.url, {
          dispatcher,
          method: req.method,
          headers: req.headers,
          body: req.method === "GET" ? null : req.body,
          signal: send.signal,
          headersTimeout: timeout,
          bodyTimeout: send.idleTimeoutMs ?? timeout,
        });
      } catch (e) {
        throw mapTransportError(e, req.url, "connect", send.signal);
      }
      const body = res.body;
      async function* iterate(): AsyncGenerator<Uint8Array> {
        try {
          for await (const chunk of body) yield chunk as Uint8Array;
        } catch (e) {
          throw mapTransportError(e, req.url, "body", send.signal);
        }
      }
      return {
        status: res.statusCode,
        headers: toHeaders(res.headers),
        body: iterate(),
        cancel: () => {
          body.destroy();
        },
      };
    },
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}

/** Reads a whole (non-stream) body, refusing one larger than `maxBytes`. */
export async function readBody(body: AsyncIterable<Uint8Array>, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new PortcullisError({ code: "upstream_error", message: `upstream response exceeds ${maxBytes} bytes` });
    parts.push(chunk);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
