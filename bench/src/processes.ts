import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { pathToFileURL } from "node:url";

/** A child process of the benchmark, pinned to one core when taskset exists. */
export interface BenchProcess {
  name: string;
  pid: number;
  /** Lines and bytes the process wrote on stdout (the gateway's request log), known once it stopped. */
  stdoutCount(): Promise<{ lines: number; bytes: number }>;
  /** The text of its `READY ...` or listening line. */
  ready: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  core: number | undefined;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A module preloaded with `--import` (the parent watchdog). */
  preload?: string;
  /** Resolves on the first stderr line matching; the match is handed back. */
  readyPattern: RegExp;
  timeoutMs?: number;
}

let tasksetChecked: boolean | undefined;
export function hasTaskset(): boolean {
  tasksetChecked ??= spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
  return tasksetChecked;
}

/** Pins every thread of this process (the load generator) to `core`. */
export function pinSelf(core: number): boolean {
  if (!hasTaskset()) return false;
  return spawnSync("taskset", ["-a", "-cp", String(core), String(process.pid)], { stdio: "ignore" }).status === 0;
}

/**
 * Counts what a process writes on stdout with `wc`, reading the pipe directly: the request
 * log is drained as fast as a log shipper would, without passing through the load
 * generator's event loop (a slow reader there would block the gateway's synchronous
 * stdout writes and show up as gateway latency).
 */
function stdoutCounter(): { sink: Writable; count: Promise<{ lines: number; bytes: number }> } {
  const wc = spawn("wc", ["-lc"], { stdio: ["pipe", "pipe", "ignore"] });
  let text = "";
  wc.stdout.setEncoding("utf8").on("data", (t: string) => (text += t));
  const count = new Promise<{ lines: number; bytes: number }>((resolve) => {
    wc.once("error", () => resolve({ lines: Number.NaN, bytes: Number.NaN }));
    // "close", not "exit": only then has all of wc's output been read.
    wc.once("close", () => {
      const [lines, bytes] = text.trim().split(/\s+/).map(Number);
      resolve({ lines: lines ?? Number.NaN, bytes: bytes ?? Number.NaN });
    });
  });
  return { sink: wc.stdin, count };
}

/** Starts `node <args>` on `core`; its stdout goes straight into a counting pipe. */
export function startNode(opts: SpawnOptions): Promise<BenchProcess> {
  const pinned = opts.core !== undefined && hasTaskset();
  const nodeArgs = [...(opts.preload ? ["--import", pathToFileURL(opts.preload).href] : []), ...opts.args];
  const cmd = pinned ? "taskset" : process.execPath;
  const args = pinned ? ["-c", String(opts.core), process.execPath, ...nodeArgs] : nodeArgs;
  const counter = stdoutCounter();
  // taskset execs node, so the child's parent is this process.
  const env = { ...opts.env, BENCH_PARENT_PID: String(process.pid) };
  const child: ChildProcess = spawn(cmd, args, { env, stdio: ["ignore", counter.sink, "pipe"] });
  // The child holds its own copy of the pipe; ours must close so that wc sees the end when the child exits.
  counter.sink.destroy();
  let stderrTail = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${opts.name} did not start within ${opts.timeoutMs ?? 15_000} ms`)), opts.timeoutMs ?? 15_000);
    let started = false;
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${e.message}\n${stderrTail.slice(-2000)}`));
    };
    child.once("exit", (code, signal) => {
      if (!started) fail(new Error(`${opts.name} exited (${code ?? signal}) before it was ready`));
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (text: string) => {
      stderrTail = (stderrTail + text).slice(-4000);
      if (started) return;
      const m = opts.readyPattern.exec(stderrTail);
      if (!m) return;
      started = true;
      clearTimeout(timer);
      resolve({
        name: opts.name, pid: child.pid!, ready: m[0], stdoutCount: () => counter.count,
        stop: () => stopChild(child),
      });
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface MemoryFigures {
  /** Resident set size now, MiB. */
  rssMiB: number;
  /** Peak resident set size since start, MiB. */
  peakRssMiB: number;
}

/** RSS from /proc (Linux); undefined elsewhere. */
export function readMemory(pid: number): MemoryFigures | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib("VmRSS") / 1024, peakRssMiB: kib("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time the process has used, ns, summed over its threads (main loop, libuv pool, V8's
 * GC helpers) from the scheduler's own accounting: exact, and unaffected by how long a
 * noisy neighbour kept the process waiting. NaN where /proc is missing.
 */
export function cpuTimeNs(pid: number): number {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return total;
  } catch {
    return Number.NaN;
  }
}
