import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configPublicKeyPem, generateConfigSigningKey, parseConfigSigningKey, signSnapshot, writeSignedCache } from "@portcullis/config-sync";
import type { Bundles } from "./build";
import { buildBenchFixture, upstreamApiKey, upstreamModel, type UpstreamName, type UpstreamPorts } from "./fixture";
import { readMemory, startNode, type BenchProcess, type MemoryFigures } from "./processes";
import type { Endpoint } from "./open-loop";
import { chatBody, streamBody } from "./request-bodies";
import type { BenchSettings } from "./settings";

export type VariantId = "direct" | "floor" | "gateway" | "gateway-gov-off" | "gateway-redis";

export const variantLabels: Record<VariantId, string> = {
  direct: "direct (no proxy)",
  floor: "floor: minimal Node proxy",
  gateway: "gateway (prod build)",
  "gateway-gov-off": "gateway, governance off",
  "gateway-redis": "gateway, governance in Redis",
};

/** One way of reaching the upstreams: directly, through the floor proxy, or through a gateway. */
export interface Variant {
  id: VariantId;
  process?: BenchProcess;
  memoryBefore?: MemoryFigures;
  endpoint(upstream: UpstreamName, stream: boolean): Endpoint;
}

export interface Stack {
  variants: Variant[];
  upstreams: BenchProcess;
  ports: UpstreamPorts;
  redisPrefix: string;
  /** The production setup (governance with in-process counters) with a V8 profiler started by SIGUSR2. */
  startProfiledGateway(profileFile: string): Promise<{ process: BenchProcess; endpoint: Variant["endpoint"] }>;
  close(): Promise<void>;
}

const readyLine = /READY (\{.*\})/;
const listeningLine = /listening on (http:\/\/[\d.]+:\d+)/;

function endpointFor(origin: (u: UpstreamName) => string, auth: string) {
  return (upstream: UpstreamName, stream: boolean): Endpoint => ({
    origin: origin(upstream),
    path: "/v1/chat/completions",
    headers: { "content-type": "application/json", authorization: `Bearer ${auth}` },
    body: stream ? streamBody(upstreamModel[upstream]) : chatBody(upstreamModel[upstream]),
  });
}

/** Upstreams and load on one core, every proxy on the other; a fresh key, pepper and snapshot per run. */
export async function startStack(bundles: Bundles, s: BenchSettings): Promise<Stack> {
  const started: BenchProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "pc-bench-"));
  const redisPrefix = `pc:bench:${randomBytes(4).toString("hex")}:`;
  // The children must not reach a database or a Redis the caller's shell happens to point at.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...baseEnv } = process.env;
  try {
    const upstreams = await startNode({
      name: "upstreams", preload: bundles.watchdog, core: s.loadCore, args: [bundles.upstreams], readyPattern: readyLine,
      env: { ...baseEnv, NODE_ENV: "production", BENCH_CHUNK_DELAY_MS: String(s.chunkDelayMs) },
    });
    started.push(upstreams);
    const ports = JSON.parse(readyLine.exec(upstreams.ready)![1]!) as UpstreamPorts;

    const pepper = randomBytes(24).toString("hex");
    const fixture = buildBenchFixture(pepper, ports);
    // The gateways cold-start from the signed disk cache, as a production gateway does with no store reachable.
    const signingKey = parseConfigSigningKey(generateConfigSigningKey().privateKeyPem);
    await writeSignedCache(dataDir, signSnapshot(fixture.snapshot, signingKey));
    const gatewayEnv = {
      ...baseEnv, NODE_ENV: "production", GATEWAY_HOST: "127.0.0.1", GATEWAY_PORT: "0", PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_CONFIG_PUBLIC_KEY: configPublicKeyPem(signingKey), FLEET_REPORT_INTERVAL_MS: "60000",
      PORTCULLIS_KEY_PEPPER: pepper, BENCH_UPSTREAM_KEY: upstreamApiKey, UPSTREAM_TIMEOUT_MS: "30000",
    };
    const startGateway = async (name: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
      const p = await startNode({
        name, preload: bundles.watchdog, core: s.gatewayCore, args, readyPattern: listeningLine, env: { ...gatewayEnv, ...extra },
      });
      started.push(p);
      return p;
    };
    const viaGateway = (p: BenchProcess) => {
      const url = listeningLine.exec(p.ready)![1]!;
      return endpointFor(() => url, fixture.virtualKey);
    };

    const floor = await startNode({
      name: "floor", preload: bundles.watchdog, core: s.gatewayCore, args: [bundles.floor], readyPattern: readyLine,
      env: { ...baseEnv, NODE_ENV: "production", BENCH_FLOOR_UPSTREAMS: JSON.stringify(ports) },
    });
    started.push(floor);
    const floorPorts = JSON.parse(readyLine.exec(floor.ready)![1]!) as UpstreamPorts;

    const gateway = await startGateway("gateway", [bundles.gateway]);
    const govOff = await startGateway("gateway-gov-off", [bundles.benchGateway], { BENCH_GOVERNANCE: "off" });
    const redis = s.redisUrl
      ? await startGateway("gateway-redis", [bundles.benchGateway], { BENCH_GOVERNANCE: "redis", REDIS_URL: s.redisUrl, BENCH_REDIS_PREFIX: redisPrefix })
      : undefined;

    const variants: Variant[] = [
      { id: "direct", endpoint: endpointFor((u) => `http://127.0.0.1:${ports[u]}`, upstreamApiKey) },
      { id: "floor", process: floor, endpoint: endpointFor((u) => `http://127.0.0.1:${floorPorts[u]}`, upstreamApiKey) },
      { id: "gateway", process: gateway, endpoint: viaGateway(gateway) },
      { id: "gateway-gov-off", process: govOff, endpoint: viaGateway(govOff) },
      ...(redis ? [{ id: "gateway-redis" as const, process: redis, endpoint: viaGateway(redis) }] : []),
    ];
    for (const v of variants) if (v.process) v.memoryBefore = readMemory(v.process.pid);

    return {
      variants, upstreams, ports, redisPrefix,
      async startProfiledGateway(profileFile) {
        const p = await startGateway("gateway-profiled", [bundles.benchGateway], { BENCH_GOVERNANCE: "memory", BENCH_CPU_PROFILE: profileFile });
        return { process: p, endpoint: viaGateway(p) };
      },
      async close() {
        await Promise.all(started.map((p) => p.stop()));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await Promise.all(started.map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
