import { describe, expect, it } from "vitest";
import { busNames } from "./bus";
import { readFleetStatus, startFleetReporter, summarizeFleet, type NodeReport } from "./fleet";
import { createMemoryBus } from "./memory-bus";

const report = (node: string, version: string | null): NodeReport => ({
  node, version, hash: version && "h".repeat(64), appliedAt: null, startedAt: "2026-01-01T00:00:00.000Z", reportedAt: "2026-01-01T00:00:05.000Z",
});

describe("summarizeFleet", () => {
  it("counts the nodes at the expected version and lists the laggards", () => {
    const nodes = [...Array.from({ length: 9 }, (_, i) => report(`gw-${i}`, "42")), report("gw-9", "41")];
    const s = summarizeFleet(nodes, 42n);
    expect(s.summary).toBe("v42 on 9 of 10 nodes");
    expect(s.lagging.map((n) => n.node)).toEqual(["gw-9"]);
    expect(s.upToDate).toHaveLength(9);
  });

  it("expects the newest reported version when none is given; handles no reports and no config", () => {
    expect(summarizeFleet([report("a", "7"), report("b", "9")]).summary).toBe("v9 on 1 of 2 nodes");
    expect(summarizeFleet([]).summary).toBe("no gateway has reported");
    expect(summarizeFleet([report("a", null)]).summary).toBe("no configuration on 1 node");
    expect(summarizeFleet([report("a", null)], "3").lagging).toHaveLength(1);
  });
});

describe("circuit breakers in the fleet status", () => {
  it("lists every circuit not closed with its node, and says how many in the summary", async () => {
    const bus = createMemoryBus();
    const circuits = {
      tracked: 3, open: 1, halfOpen: 1,
      notClosed: [
        { target: "pk_a/gpt-4o", state: "open" as const, lastError: "upstream 503" },
        { target: "pk_b/claude", state: "half-open" as const, lastError: null },
      ],
    };
    const a = startFleetReporter({ bus, nodeName: "gw-a", namespace: "cb", intervalMs: 60_000, state: () => ({ version: "4", hash: "x", appliedAt: null }), extra: () => ({ circuits }) });
    const b = startFleetReporter({ bus, nodeName: "gw-b", namespace: "cb", intervalMs: 60_000, state: () => ({ version: "4", hash: "x", appliedAt: null }) });
    await Promise.all([a.reportNow(), b.reportNow()]);
    const status = await readFleetStatus(bus, "4", "cb");
    expect(status.summary).toBe("v4 on 2 of 2 nodes; 2 circuits not closed");
    expect(status.openCircuits).toEqual([
      { node: "gw-a", target: "pk_a/gpt-4o", state: "open", lastError: "upstream 503" },
      { node: "gw-a", target: "pk_b/claude", state: "half-open", lastError: null },
    ]);
    expect(status.nodes.find((n) => n.node === "gw-a")!.circuits!.tracked).toBe(3);
    expect(status.nodes.find((n) => n.node === "gw-b")!.circuits).toBeUndefined();
    a.stop();
    b.stop();
  });
});

describe("startFleetReporter / readFleetStatus", () => {
  it("reports under a TTL key that disappears when the node stops refreshing", async () => {
    let clock = 1_000_000;
    const bus = createMemoryBus(() => clock);
    const names = busNames("fleettest");
    let version = "1";
    const reporters = ["gw-a", "gw-b"].map((nodeName) =>
      startFleetReporter({ bus, nodeName, namespace: "fleettest", ttlSeconds: 15, intervalMs: 60_000, state: () => ({ version, hash: "x", appliedAt: null }) }),
    );
    await Promise.all(reporters.map((r) => r.reportNow()));
    expect((await readFleetStatus(bus, "1", "fleettest")).summary).toBe("v1 on 2 of 2 nodes");
    version = "2";
    await reporters[0]!.reportNow();
    const status = await readFleetStatus(bus, "2", "fleettest");
    expect(status.summary).toBe("v2 on 1 of 2 nodes");
    expect(status.lagging.map((n) => [n.node, n.version])).toEqual([["gw-b", "1"]]);
    expect(await bus.keys(names.keys.nodePrefix)).toHaveLength(2);
    // Default namespace is a different fleet.
    expect((await readFleetStatus(bus)).nodes).toEqual([]);
    clock += 16_000;
    expect((await readFleetStatus(bus, "2", "fleettest")).summary).toBe("no gateway has reported");
    for (const r of reporters) r.stop();
  });
});
