import { describe, expect, it } from "vitest";
import { apiOperations, matchOperation } from "./operations";

describe("matchOperation", () => {
  it("matches static and parameterised paths by method", () => {
    expect(matchOperation("GET", "/virtual-keys")).toMatchObject({ op: { operationId: "listVirtualKeys" }, params: {} });
    expect(matchOperation("POST", "/virtual-keys/vk_123/rotate")).toMatchObject({ op: { operationId: "rotateVirtualKey" }, params: { id: "vk_123" } });
    expect(matchOperation("PATCH", "/teams/team_9/")).toMatchObject({ op: { operationId: "updateTeam" }, params: { id: "team_9" } });
  });

  it("tells a wrong method from an unknown path", () => {
    expect(matchOperation("PUT", "/teams/team_9")).toEqual({ allowed: ["GET", "PATCH", "DELETE"] });
    expect(matchOperation("GET", "/nothing-here")).toBeNull();
    expect(matchOperation("GET", "/virtual-keys/vk_1/rotate/extra")).toBeNull();
  });

  it("has unique operation ids and unique method+path pairs", () => {
    expect(new Set(apiOperations.map((o) => o.operationId)).size).toBe(apiOperations.length);
    expect(new Set(apiOperations.map((o) => `${o.method} ${o.path}`)).size).toBe(apiOperations.length);
  });
});
