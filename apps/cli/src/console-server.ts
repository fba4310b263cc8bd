import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const consoleDir = join(repoRoot, "apps/console");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the console when it has never been built or its sources (or packages) changed since. */
export function ensureConsoleBuilt(log: (line: string) => void): void {
  const buildId = join(consoleDir, ".next/BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime(join(consoleDir, "src")), newestMtime(join(repoRoot, "packages")));
  if (builtAt > sourcesAt) return;
  log(builtAt ? "console sources changed: rebuilding the console…" : "building the console (first start only, about a minute)…");
  const r = spawnSync("pnpm", ["--filter", "@portcullis/console", "build"], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`console build failed (exit ${r.status ?? r.signal})`);
}

interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): (req: unknown, res: unknown) => Promise<void>;
  close?(): Promise<void>;
}

/** Runs the built console in this process (embedded mode). */
export async function startConsoleInProcess(opts: { host: string; port: number }): Promise<{ close(): Promise<void> }> {
  const requireFromConsole = createRequire(join(consoleDir, "package.json"));
  const next = requireFromConsole("next") as (o: object) => NextApp;
  const app = next({ dev: false, dir: consoleDir, hostname: opts.host, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, () => resolve());
  });
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close?.();
    },
  };
}
