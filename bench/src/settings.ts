import { cpus } from "node:os";

/** How long and how hard the benchmark runs; read once from the environment. */
export interface BenchSettings {
  quick: boolean;
  rounds: number;
  /** Arrival rates of the latency points, req/s. */
  rates: number[];
  /** Measured phase of one latency round, per rate. */
  latencyMs: (rate: number) => number;
  /** How long a round waits for requests still in flight after its last arrival before aborting them. */
  drainMs: number;
  /** Unrecorded start of each round (connections, JIT). */
  roundWarmupMs: number;
  /** One pass per variant before any round, at 500 req/s, not recorded. */
  initialWarmupMs: number;
  throughputConnections: number;
  throughputMs: number;
  streamRate: number;
  streamMs: number;
  /** Pause between the SSE events of the streaming upstream. */
  chunkDelayMs: number;
  /** Redis for the governance-on-Redis variant (loopback only), or undefined to skip it. */
  redisUrl: string | undefined;
  profile: boolean;
  /** Cores to pin to; undefined on a single-core machine (nothing is pinned then). */
  gatewayCore: number | undefined;
  loadCore: number | undefined;
}

const flag = (v: string | undefined) => v === "1" || v === "true";

function loopbackRedis(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]" ? url : undefined;
  } catch {
    return undefined;
  }
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = flag(env["BENCH_QUICK"]);
  const rounds = Number(env["BENCH_ROUNDS"] ?? (quick ? 1 : 3));
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error("BENCH_ROUNDS must be an integer from 1 to 20");
  const redisWanted = env["BENCH_REDIS"] !== "0";
  const twoCores = cpus().length >= 2;
  return {
    quick,
    rounds,
    rates: [200, 500, 2000],
    latencyMs: (rate) => (quick ? 1000 : rate >= 2000 ? 1500 : 2000),
    drainMs: quick ? 1000 : 2000,
    roundWarmupMs: 300,
    initialWarmupMs: quick ? 500 : 1500,
    throughputConnections: 50,
    throughputMs: quick ? 1000 : 2000,
    streamRate: 100,
    streamMs: quick ? 1000 : 1500,
    chunkDelayMs: 2,
    redisUrl: redisWanted ? loopbackRedis(env["BENCH_REDIS_URL"] ?? "redis://127.0.0.1:6379") : undefined,
    profile: flag(env["BENCH_PROFILE"]),
    gatewayCore: twoCores ? 1 : undefined,
    loadCore: twoCores ? 0 : undefined,
  };
}
