import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarizeProfile } from "./profile";

const dir = mkdtempSync(join(tmpdir(), "pc-bench-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9, columnNumber: 0 });

describe("summarizeProfile", () => {
  it("adds self time per function and charges Node internals to the package that called them", () => {
    const nodes = [
      { id: 1, callFrame: frame("(root)", ""), children: [2, 5, 6] },
      { id: 2, callFrame: frame("handle", "file:///repo/node_modules/.pnpm/hono@4/node_modules/hono/dist/x.js"), children: [3] },
      { id: 3, callFrame: frame("write", "node:net"), children: [4] },
      { id: 4, callFrame: frame("writev", ""), children: [] },
      { id: 5, callFrame: frame("(idle)", ""), children: [] },
      { id: 6, callFrame: frame("(garbage collector)", ""), children: [] },
    ];
    // 1 ms per sample: hono 2, net 1, writev 3, idle 10 (ignored), GC 4.
    const samples = [2, 2, 3, 4, 4, 4, ...Array(10).fill(5), 6, 6, 6, 6];
    writeFileSync(join(dir, "x.cpuprofile"), JSON.stringify({ nodes, samples, timeDeltas: samples.map(() => 1000) }));
    const s = summarizeProfile(dir, "/repo")!;
    expect(s.busyMs).toBe(10);
    expect(s.byArea.find((a) => a.name === "hono")?.selfMs).toBe(2);
    expect(s.byArea.find((a) => a.name === "node internals")?.selfMs).toBe(4);
    expect(s.byCallerArea.find((a) => a.name === "hono")?.selfMs).toBe(6);
    expect(s.byCallerArea.find((a) => a.name === "GC")?.pct).toBe(40);
    expect(s.topFunctions[0]).toMatchObject({ name: "(garbage collector)", selfMs: 4 });
  });
});
