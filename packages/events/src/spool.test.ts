import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSpool } from "./spool";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("openSpool", () => {
  it("rotates segments by size and hands them out oldest first", async () => {
    dir = mkdtempSync(join(tmpdir(), "pc-spool-"));
    const spool = await openSpool({ dir, segmentBytes: 100 });
    for (let i = 0; i < 10; i++) await spool.append([JSON.stringify({ i, pad: "x".repeat(30) })]);
    await spool.rotate();
    const segments = spool.closedSegments();
    expect(segments.length).toBeGreaterThan(2);
    expect([...segments].sort()).toEqual(segments);
    const lines = (await Promise.all(segments.map((s) => spool.read(s)))).flat();
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(spool.totalBytes()).toBeGreaterThan(300);
    for (const s of segments) await spool.remove(s);
    expect(spool.totalBytes()).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("finds segments of an earlier process, skips a torn last line and continues numbering", async () => {
    dir = mkdtempSync(join(tmpdir(), "pc-spool-"));
    const first = await openSpool({ dir });
    await first.append(['{"a":1}', '{"a":2}']);
    await first.close();
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, segment!), '{"a":3'); // crash in the middle of a write

    const second = await openSpool({ dir });
    expect(second.closedSegments()).toEqual([segment]);
    expect(second.hasPendingWrites()).toBe(false);
    expect(await second.read(segment!)).toEqual(['{"a":1}', '{"a":2}']);
    expect(second.corruptLines()).toBe(1);
    await second.append(['{"a":4}']);
    expect(second.hasPendingWrites()).toBe(true);
    await second.rotate();
    expect(second.closedSegments()).toHaveLength(2);
    expect(second.closedSegments()[1]! > segment!).toBe(true);
  });
});
