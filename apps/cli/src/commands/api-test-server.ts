import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import type { BuiltInRoleName } from "@portcullis/policy";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { vi } from "vitest";
// The console's own management API handler and test seed, served over real HTTP: the CLI is tested against what a running install answers.
import { handleApiRequest } from "../../../console/src/server/api/handle";
import type { ConsoleServices } from "../../../console/src/server/console-services";
import type { MatrixSeed } from "../../../console/src/server/testing/matrix-seed";

/** Test helper: the console's management API on a local port, and how to stop it. */
export interface ConsoleApiServer {
  url: string;
  close(): Promise<void>;
}

/** The console's /api/v1 route, minus Next.js: a Node request in, the handler's Response out. Any other path answers an HTML 404. */
export async function serveConsoleApi(deps: { prisma: PrismaClient; services: ConsoleServices }): Promise<ConsoleApiServer> {
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
      const path = new URL(request.url).pathname;
      const answer = path.startsWith("/api/v1/")
        ? handleApiRequest(request, path.slice("/api/v1".length), { ip: "127.0.0.1", userAgent: req.headers["user-agent"] ?? null }, deps)
        : Promise.resolve(new Response("<html>not the console</html>", { status: 404, headers: { "content-type": "text/html" } }));
      void answer.then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => srv.close(() => resolve())),
  };
}

/** Test helper: a service account bound to a built-in role (organisation-wide unless a team is given) with one admin API token. */
export async function serviceAccountToken(prisma: PrismaClient, seed: MatrixSeed, role: BuiltInRoleName, teamId: string | null = null): Promise<{ id: string; token: string }> {
  const id = newId("serviceAccount");
  await prisma.serviceAccount.create({ data: { id, name: seed.unique(`cli-${role.toLowerCase()}`), roleBindings: { create: { roleId: seed.roles[role], teamId } } } });
  const token = generateToken(apiTokenPrefix);
  await prisma.apiToken.create({ data: { id: newId("apiToken"), name: "cli", tokenHash: hashVirtualKey(seed.pepper, token), prefix: displayPrefix(token), serviceAccountId: id, scopes: [] } });
  return { id, token };
}

/** Test helper: runs a command function and returns its exit code with what it printed (with `stdout`, direct stdout writes too). */
export async function runCommand(command: () => Promise<number>, capture: { stdout?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  if (capture.stdout) vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const code = await command();
  vi.restoreAllMocks();
  return { code, out: out.join("\n"), err: err.join("\n") };
}
