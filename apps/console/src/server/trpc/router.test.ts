import type { PrismaClient } from "@portcullis/db";
import type { Binding } from "@portcullis/policy";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it, vi } from "vitest";
import type { Viewer } from "../auth/console-sessions";
import { stubServices } from "../testing/stub-services";
import { roleBinding, trpcCodeOf } from "../testing/test-caller";
import { declaresAuthorization, type TrpcContext } from "./init";
import { appRouter, createCaller } from "./root";

function fakePrisma(counts = { virtualKey: 3, team: 2, provider: 4, requestLog: 57 }) {
  const model = (n: number) => ({ count: vi.fn(async (_args?: unknown) => n) });
  return {
    virtualKey: model(counts.virtualKey),
    team: model(counts.team),
    provider: model(counts.provider),
    requestLog: model(counts.requestLog),
  };
}

function viewerWith(...bindings: Binding[]): Viewer {
  return {
    actorType: "user",
    sessionId: "ses_test",
    user: { id: "usr_1", email: "pat@example.test", name: "Pat", isBootstrapAdmin: false },
    bindings,
  };
}

const services = stubServices({ keyPepper: "p".repeat(32) });

function ctx(viewer: Viewer | null, prisma = fakePrisma()): TrpcContext {
  return { viewer, prisma: prisma as unknown as PrismaClient, meta: { ip: "203.0.113.1", userAgent: "vitest" }, services };
}

describe("authorization declarations", () => {
  it("every procedure declares its permission (requirePermission or requireSelf)", () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { middlewares: unknown[] } }>);
    expect(procedures.length).toBeGreaterThan(0);
    for (const [path, procedure] of procedures) {
      expect(procedure._def.middlewares.some(declaresAuthorization), `${path} declares no permission`).toBe(true);
    }
  });
});

describe("overview.summary", () => {
  it("refuses a caller without a session", async () => {
    expect(await trpcCodeOf(createCaller(ctx(null)).overview.summary())).toBe("UNAUTHORIZED");
  });

  it("refuses a signed-in user without bindings", async () => {
    expect(await trpcCodeOf(createCaller(ctx(viewerWith())).overview.summary())).toBe("FORBIDDEN");
  });

  it("refuses team-scoped access to organisation-wide counts, naming the permission", async () => {
    const call = createCaller(ctx(viewerWith(roleBinding("Developer", "team_a")))).overview.summary();
    await expect(call).rejects.toThrow("Missing permission: spend.read or fleet.read.");
  });

  it("answers Finance (spend.read) and Security (fleet.read) with the database's counts", async () => {
    for (const r of ["Finance", "Security"] as const) {
      const prisma = fakePrisma();
      const summary = await createCaller(ctx(viewerWith(roleBinding(r)), prisma)).overview.summary();
      expect(summary).toMatchObject({ activeVirtualKeys: 3, teams: 2, providers: 4, requestsLast24h: 57 });
      expect(prisma.virtualKey.count).toHaveBeenCalledWith({ where: { status: "active" } });
      const since = (prisma.requestLog.count.mock.calls[0]?.[0] as { where: { createdAt: { gte: Date } } }).where.createdAt.gte;
      expect(Date.parse(summary.asOf) - since.getTime()).toBe(24 * 60 * 60 * 1000);
    }
  });
});

describe("me.get", () => {
  it("returns the caller's profile, bindings and global permissions", async () => {
    const me = await createCaller(ctx(viewerWith(roleBinding("Finance"), roleBinding("Developer", "team_a")))).me.get();
    expect(me.user.email).toBe("pat@example.test");
    expect(me.bindings).toEqual([
      { role: "Finance", teamId: null },
      { role: "Developer", teamId: "team_a" },
    ]);
    expect(me.globalPermissions).toContain("budget.update");
    expect(me.globalPermissions).not.toContain("virtual_key.create");
  });

  it("needs a session", async () => {
    expect(await trpcCodeOf(createCaller(ctx(null)).me.get())).toBe("UNAUTHORIZED");
  });
});

describe("errors over HTTP", () => {
  async function call(context: TrpcContext, path: string) {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://console.test/api/trpc/${path}`),
      router: appRouter,
      createContext: () => context,
    });
    return { status: res.status, body: (await res.json()) as { error: { message: string; data: { code: string } } } };
  }

  it("keeps tRPC's shape with a clear message", async () => {
    const { status, body } = await call(ctx(viewerWith()), "overview.summary");
    expect(status).toBe(403);
    expect(body.error.data.code).toBe("FORBIDDEN");
    expect(body.error.message).toBe("Missing permission: spend.read or fleet.read.");
  });

  it("never sends an unexpected error's message to the browser", async () => {
    const prisma = fakePrisma();
    prisma.team.count.mockRejectedValueOnce(new Error("connect ECONNREFUSED db.internal:5432 password=hunter2"));
    const { status, body } = await call(ctx(viewerWith(roleBinding("Owner")), prisma), "overview.summary");
    expect(status).toBe(500);
    expect(body.error.message).not.toContain("hunter2");
    expect(body.error.message).toMatch(/Internal error/);
  });
});
