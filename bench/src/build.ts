import { spawn } from "node:child_process";
import { join } from "node:path";

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (out += t));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${out.slice(-3000)}`))));
  });
}

export interface Bundles {
  /** The gateway's production build (`pnpm --filter @portcullis/gateway build`). */
  gateway: string;
  benchGateway: string;
  upstreams: string;
  floor: string;
  /** Preloaded into every child: it exits when the benchmark is gone. */
  watchdog: string;
}

/** Builds the gateway as production does and bundles the bench's own processes the same way. */
export async function buildBundles(root: string): Promise<Bundles> {
  const out = join(root, "bench", "dist");
  const bundle = (entry: string, file: string) => run(process.execPath, ["scripts/bundle.mjs", `bench/src/${entry}`, join(out, file)], root);
  await Promise.all([
    run("pnpm", ["--filter", "@portcullis/gateway", "build"], root),
    bundle("gateway-entry.ts", "gateway-entry.mjs"),
    bundle("upstream-entry.ts", "upstream-entry.mjs"),
    bundle("floor-proxy.ts", "floor-proxy.mjs"),
    bundle("parent-watchdog.ts", "parent-watchdog.mjs"),
  ]);
  return {
    gateway: join(root, "apps", "gateway", "dist", "server.mjs"),
    benchGateway: join(out, "gateway-entry.mjs"),
    upstreams: join(out, "upstream-entry.mjs"),
    floor: join(out, "floor-proxy.mjs"),
    watchdog: join(out, "parent-watchdog.mjs"),
  };
}
