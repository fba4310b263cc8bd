import type { PGlite } from "@electric-sql/pglite";

/**
 * The request queue of the embedded PostgreSQL server. pglite-socket's own queue keeps a
 * connection's messages together only while a transaction is open; outside one, the
 * extended-protocol messages of two connections interleave on the single PGlite session and
 * corrupt each other's statements ("bind message supplies 2 parameters, but prepared
 * statement requires 3"). This queue (1) keeps serving the same connection from its first
 * extended-protocol message until its Sync, and through open transactions, and (2) gives each
 * connection its own statement namespace: statement names in Parse, Bind, Describe and Close
 * are prefixed with the connection's id, and an unnamed statement becomes that connection's
 * own "unnamed" one (closed before it is re-parsed, as PostgreSQL replaces it). Every
 * connection thus sees a session of its own, even across cycles (Prisma prepares in one
 * cycle and binds in the next). A closed connection leaves its prepared statements behind;
 * pools keep connections open, so that stays a handful.
 */
interface Queued {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (e: unknown) => void;
  onData: (data: Uint8Array) => void;
}

/** Message types that open (or continue) an extended-protocol cycle, ended by Sync ('S'). */
const extended = new Set(["P", "B", "D", "E", "C", "H", "F"].map((c) => c.charCodeAt(0)));
const sync = "S".charCodeAt(0);
const P = "P".charCodeAt(0), B = "B".charCodeAt(0), D = "D".charCodeAt(0), C = "C".charCodeAt(0);
const enc = new TextEncoder();
const dec = new TextDecoder();

function cstringEnd(buf: Uint8Array, from: number): number {
  const end = buf.indexOf(0, from);
  if (end < 0) throw new Error("malformed protocol message");
  return end;
}

function frame(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type;
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}

/** Replaces the cstring at [start, end) of the message body with `name`. */
function withName(msg: Uint8Array, start: number, end: number, name: string): Uint8Array {
  const body = msg.subarray(5);
  const n = enc.encode(name);
  const out = new Uint8Array(body.length - (end - start) + n.length);
  out.set(body.subarray(0, start - 5), 0);
  out.set(n, start - 5);
  out.set(body.subarray(end - 5), start - 5 + n.length);
  return frame(msg[0]!, out);
}

/** The statement-name field of a Parse, Bind, Describe('S') or Close('S') message, if any. */
function statementName(msg: Uint8Array): { start: number; end: number; name: string } | undefined {
  const type = msg[0];
  if (type === P) {
    const end = cstringEnd(msg, 5);
    return { start: 5, end, name: dec.decode(msg.subarray(5, end)) };
  }
  if (type === B) {
    const portalEnd = cstringEnd(msg, 5);
    const end = cstringEnd(msg, portalEnd + 1);
    return { start: portalEnd + 1, end, name: dec.decode(msg.subarray(portalEnd + 1, end)) };
  }
  if ((type === D || type === C) && msg[5] === "S".charCodeAt(0)) {
    const end = cstringEnd(msg, 6);
    return { start: 6, end, name: dec.decode(msg.subarray(6, end)) };
  }
  return undefined;
}

const prefixOf = (handlerId: number) => `pc${handlerId}_`;

export class CycleAwareQueue {
  private queue: Queued[] = [];
  private processing = false;
  /** The connection that owns the session until its cycle or transaction ends. */
  private owner: number | null = null;
  private cycleOpen = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, resolve, reject, onData });
      if (!this.processing) void this.processQueue();
    });
  }

  private pinned(): boolean {
    return this.owner !== null && (this.cycleOpen || this.db.isInTransaction());
  }

  async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length) {
        const i = this.pinned() ? this.queue.findIndex((q) => q.handlerId === this.owner) : 0;
        // The owner's next message has not arrived yet: wait for it (enqueue restarts us).
        if (i < 0) break;
        const item = this.queue.splice(i, 1)[0]!;
        const type = item.message[0]!;
        let bytes = 0;
        try {
          const field = statementName(item.message);
          const message = field ? withName(item.message, field.start, field.end, prefixOf(item.handlerId) + field.name) : item.message;
          await this.db.runExclusive(async () => {
            if (type === P && field!.name === "") {
              // PostgreSQL replaces the unnamed statement on Parse; do the same for this connection's own.
              const close = frame(C, new Uint8Array([...enc.encode("S"), ...enc.encode(prefixOf(item.handlerId)), 0]));
              await this.db.execProtocolRawStream(close, { onRawData: () => {} });
            }
            await this.db.execProtocolRawStream(message, { onRawData: (d: Uint8Array) => { bytes += d.length; item.onData(d); } });
          });
        } catch (e) {
          item.reject(e);
          continue;
        }
        this.owner = item.handlerId;
        if (extended.has(type)) this.cycleOpen = true;
        else if (type === sync || type === "Q".charCodeAt(0)) this.cycleOpen = false;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((q) => {
      if (q.handlerId !== handlerId) return true;
      q.reject(new Error("Handler disconnected"));
      return false;
    });
    if (this.owner === handlerId && !this.db.isInTransaction()) {
      this.owner = null;
      this.cycleOpen = false;
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    this.cycleOpen = false;
    await this.processQueue();
  }
}
