import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, on its own port, that a test may kill and restart (losing its data). */
export interface PrivateRedis {
  port: number;
  url: string;
  /** Starts it (again, on the same port) and waits until it answers PING. */
  start(): Promise<void>;
  /** SIGKILL: gone at once, nothing saved. */
  stop(): Promise<void>;
}

/** One RESP PING over a fresh connection: true on +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d: Buffer) => done(d.toString().startsWith("+PONG")));
  });
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      proc = child;
      for (let i = 0; i < 50; i++) {
        if (await pings(port)) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`private redis-server on port ${port} did not start`);
    },
    async stop() {
      const r = proc;
      proc = undefined;
      if (!r || r.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        r.once("exit", () => resolve());
        r.kill("SIGKILL");
      });
    },
  };
}
