import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigSnapshot } from "@portcullis/core";
import type { RequestRecord } from "../events";
import { testPepper } from "../testing/harness";

/** Test-only: real gateway processes (the standalone server) sharing one Redis. */
export interface Replica {
  url: string;
  requests: RequestRecord[];
  stderr: string[];
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL("../server.ts", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startReplica(snapshot: ConfigSnapshot, env: Record<string, string>): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), "pc-replica-"));
  writeFileSync(join(dataDir, "config-snapshot.json"), JSON.stringify(snapshot));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", serverEntry], {
    env: {
      PATH: process.env.PATH, GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1", PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_KEY_PEPPER: testPepper, NODE_NAME: `replica-${port}`, EVENTS_SINK: "stdout", ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const requests: RequestRecord[] = [];
  const stderr: string[] = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const ev = JSON.parse(line) as { kind: string } & RequestRecord;
      if (ev.kind === "request") requests.push(ev);
    }
  });
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`replica exited: ${stderr.join("")}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url, requests, stderr,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}
