import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigSnapshot } from "@portcullis/core";
import { configPublicKeyPem, generateConfigSigningKey, parseConfigSigningKey, signSnapshot, writeSignedCache } from "@portcullis/config-sync";
import { freePort } from "@portcullis/testkit";
import type { AlertRecord, RequestRecord } from "../events";
import { testPepper } from "../testing/harness";

/** Test-only: real gateway processes (the standalone server) sharing one Redis. */
export interface Replica {
  url: string;
  requests: RequestRecord[];
  alerts: AlertRecord[];
  stderr: string[];
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL("../server.ts", import.meta.url));

/** This test process's configuration signing key: replicas trust its public half. */
export const replicaSigningKey = parseConfigSigningKey(generateConfigSigningKey().privateKeyPem);

export interface ReplicaOptions {
  /** Reuse a data directory (a cold start from its signed disk cache); a new one by default. */
  dataDir?: string;
  /** Redis key prefix; a fresh one per call unless given (replicas of one fleet share it). */
  namespace?: string;
  /** Wait for /readyz to answer 200 (default), or only for the port to answer. */
  waitReady?: boolean;
}

/**
 * Starts `server.ts` as its own process. With a snapshot it is written, signed, as the disk
 * cache the gateway cold-starts from; without one the gateway loads from Redis or PostgreSQL.
 */
export async function startReplica(snapshot: ConfigSnapshot | undefined, env: Record<string, string>, opts: ReplicaOptions = {}): Promise<Replica & { dataDir: string; port: number }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "pc-replica-"));
  if (snapshot) await writeSignedCache(dataDir, signSnapshot(snapshot, replicaSigningKey));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", serverEntry], {
    env: {
      PATH: process.env.PATH, GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1", PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_KEY_PEPPER: testPepper, NODE_NAME: `replica-${port}`, EVENTS_SINK: "stdout",
      PORTCULLIS_CONFIG_PUBLIC_KEY: configPublicKeyPem(replicaSigningKey), PORTCULLIS_NAMESPACE: opts.namespace ?? `replica-${randomBytes(4).toString("hex")}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const requests: RequestRecord[] = [];
  const alerts: AlertRecord[] = [];
  const stderr: string[] = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const ev = JSON.parse(line) as { kind: string } & RequestRecord;
      // An alert's line carries the alert's own kind (budget_soft_threshold, config_signature_rejected…).
      if (ev.kind === "request") requests.push(ev);
      else if (ev.kind !== "decision") alerts.push(ev as unknown as AlertRecord);
    }
  });
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  let answered = false;
  for (let i = 0; i < 300 && !answered; i++) {
    if (child.exitCode !== null) throw new Error(`replica exited: ${stderr.join("")}`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      answered = res.ok || opts.waitReady === false;
    } catch {
      // not listening yet
    }
    if (!answered) await new Promise((r) => setTimeout(r, 100));
  }
  if (!answered) throw new Error(`replica on ${url} not ready after 30 s: ${stderr.join("")}`);
  return {
    url, port, dataDir, requests, alerts, stderr,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}
