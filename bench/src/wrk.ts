import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Endpoint } from "./open-loop";

let wrkVersion: string | null | undefined;

/** wrk's version line, or null when it is not installed (Debian: `apt-get install -y wrk`). */
export function findWrk(): string | null {
  if (wrkVersion === undefined) {
    const r = spawnSync("wrk", ["--version"], { encoding: "utf8" });
    // wrk prints its version and usage and exits 1.
    const line = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").find((l) => l.startsWith("wrk "));
    wrkVersion = r.error || !line ? null : line.split(/\s+/).slice(0, 2).join(" ");
  }
  return wrkVersion;
}

export interface WrkResult {
  /** Successful answers per second. */
  rps: number;
  requests: number;
  /** Non-2xx answers plus socket errors. */
  errors: number;
  /** wrk's own closed-loop latency percentiles, ms (coordinated omission applies: informative only). */
  latencyMs: { p50: number; p99: number };
}

// A Lua long string; spaces keep `t[ [==[k]==] ]` from being read as the call `t[[...]]`.
const luaString = (s: string) => ` [==[${s}]==] `;

/** Closed-loop maximum throughput with wrk (one thread, pinned with the caller's taskset prefix). */
export async function runWrk(ep: Endpoint, connections: number, durationMs: number, pin: string[]): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "pc-bench-wrk-"));
  const script = join(dir, "post.lua");
  const headers = Object.entries(ep.headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  writeFileSync(script, [`wrk.method = "POST"`, `wrk.body = ${luaString(ep.body)}`, ...headers, ""].join("\n"));
  const args = ["-t1", `-c${connections}`, `-d${Math.max(1, Math.round(durationMs / 1000))}s`, "--latency", "-s", script, `${ep.origin}${ep.path}`];
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(pin.length ? pin[0]! : "wrk", pin.length ? [...pin.slice(1), "wrk", ...args] : args, { stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (t: string) => (text += t));
      child.stderr.setEncoding("utf8").on("data", (t: string) => (text += t));
      const timer = setTimeout(() => child.kill("SIGKILL"), durationMs + 15_000);
      child.once("error", reject);
      child.once("exit", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(text);
        else reject(new Error(`wrk exited ${code}: ${text.slice(-500)}`));
      });
    });
    return parseWrk(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  return unit === "us" ? v / 1000 : unit === "s" ? v * 1000 : unit === "m" ? v * 60_000 : v;
}

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(out);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
  const requests = num(/(\d+) requests in/);
  const non2xx = num(/Non-2xx or 3xx responses:\s+(\d+)/);
  const errors = (Number.isNaN(non2xx) ? 0 : non2xx) + socketErrors;
  return {
    // wrk's own rate counts error answers too; a fast refusal must not pass for throughput.
    rps: (num(/Requests\/sec:\s+([\d.]+)/) * Math.max(0, requests - errors)) / Math.max(1, requests),
    requests,
    errors,
    latencyMs: { p50: pct("50"), p99: pct("99") },
  };
}
