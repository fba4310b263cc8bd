/**
 * Configuration delivery at scale, as part of `pnpm bench`: runs
 * packages/config-sync/src/scale.bench.ts (virtual keys in a scratch PostgreSQL database, a
 * long-lived publisher and two gateway processes over Redis) in a child process and reads its
 * figures back. Needs PostgreSQL and Redis; without them the section is skipped with a note.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { hasTaskset } from "./processes";
import type { Target } from "./report";

export interface ConfigDeliveryResult {
  keys: number;
  changes: number;
  /** The script's table, row by row. */
  rows: [string, string][];
  figures: Record<string, number>;
  loadAverage: number[];
}

export interface ConfigDeliverySettings {
  keys: number;
  changes: number;
  timeoutMs: number;
}

/** 100,000 keys and 20 one-key changes (each applied by 2 gateways); quick: 10,000 keys. */
export function configDeliverySettings(quick: boolean, env: NodeJS.ProcessEnv = process.env): ConfigDeliverySettings {
  const keys = Number(env["BENCH_CONFIG_KEYS"] ?? (quick ? 10_000 : 100_000));
  const changes = Number(env["BENCH_CONFIG_CHANGES"] ?? 20);
  if (!Number.isInteger(keys) || keys < 100) throw new Error("BENCH_CONFIG_KEYS must be an integer of at least 100");
  if (!Number.isInteger(changes) || changes < 2) throw new Error("BENCH_CONFIG_CHANGES must be an integer of at least 2");
  return { keys, changes, timeoutMs: quick ? 300_000 : 900_000 };
}

/** The result, or the reason there is none. */
export async function runConfigDelivery(root: string, s: ConfigDeliverySettings, log: (line: string) => void): Promise<ConfigDeliveryResult | string> {
  const dir = mkdtempSync(join(tmpdir(), "pc-config-bench-"));
  const out = join(dir, "result.json");
  const args = ["--expose-gc", "--import", "tsx", join(root, "packages/config-sync/src/scale.bench.ts"), String(s.keys), String(s.changes)];
  // The benchmark pins itself to one core; this measurement gets them all, like a real deployment.
  const [cmd, argv] = hasTaskset() ? ["taskset", ["-c", `0-${cpus().length - 1}`, process.execPath, ...args]] : [process.execPath, args];
  try {
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, CONFIG_BENCH_JSON: out }, stdio: ["ignore", "ignore", "pipe"] });
      // The script reports each figure on stderr as it goes ("  what: value"); errors too.
      child.stderr.on("data", (d: Buffer) => {
        for (const line of d.toString().split("\n")) if (line.trim()) log(`config delivery: ${line.trim()}`);
      });
      const timer = setTimeout(() => child.kill("SIGTERM"), s.timeoutMs);
      child.on("error", (e) => resolve(e.message));
      child.on("exit", (c, signal) => {
        clearTimeout(timer);
        resolve(c ?? `killed by ${signal} (limit ${s.timeoutMs / 1000} s)`);
      });
    });
    if (code !== 0) return `configuration delivery benchmark failed (${code}); it needs PostgreSQL (BENCH_DATABASE_URL) and Redis (REDIS_URL)`;
    return JSON.parse(readFileSync(out, "utf8")) as ConfigDeliveryResult;
  } catch (e) {
    return `configuration delivery benchmark failed: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The target: a change reaches every gateway within 1 s at p99 (aim: 100 ms). */
export function configDeliveryTargets(r: ConfigDeliveryResult): Target[] {
  const p99 = r.figures["commitToAppliedP99Ms"] ?? Number.NaN;
  return [{
    name: `config change, commit -> applied on 2 gateways, p99 (${r.keys.toLocaleString("en-US")} keys)`,
    target: "< 1000 ms (aim 100 ms)",
    measured: `${Number.isFinite(p99) ? p99.toFixed(0) : "n/a"} ms`,
    met: Number.isFinite(p99) && p99 < 1000,
    detail: `p50 ${r.figures["commitToAppliedP50Ms"]?.toFixed(0) ?? "n/a"} ms`,
  }];
}
