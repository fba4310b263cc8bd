import type { ConfigSnapshot } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { serializeDataChunked, serializeSnapshotChunked } from "./chunked-hash";
import { serializeSnapshot } from "./signing";
import { fakeSnapshot, mutateSnapshot, seededRandom } from "./test-fixtures";

describe("serializeSnapshotChunked", () => {
  it("gives the same bytes and hash as serializeSnapshot, for 100 random snapshots", { timeout: 60_000 }, async () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rng = seededRandom(seed);
      const s = mutateSnapshot(rng, fakeSnapshot(rng, seed, Math.floor(rng() * 60)), seed + 1, 8);
      const chunked = await serializeSnapshotChunked(s, { sliceEntries: 7 });
      const whole = serializeSnapshot(s);
      expect(chunked.hash, `seed ${seed}`).toBe(whole.hash);
      expect(chunked.data.equals(whole.data), `seed ${seed}`).toBe(true);
    }
  });

  it("agrees on awkward keys (array indices, __proto__, unsorted) and on a parsed copy", async () => {
    const s = fakeSnapshot(seededRandom(3), 1, 3);
    const teams = s.teams as Record<string, unknown>;
    teams["10"] = { id: "10" };
    teams["9"] = { id: "9" };
    teams["09"] = { id: "09" };
    Object.defineProperty(teams, "__proto__", { value: { id: "p" }, enumerable: true });
    (s as unknown as Record<string, unknown>).zExtra = { b: 1, a: undefined };
    const whole = serializeSnapshot(s);
    expect((await serializeSnapshotChunked(s)).hash).toBe(whole.hash);
    expect((await serializeSnapshotChunked(JSON.parse(whole.data.toString()) as ConfigSnapshot)).hash).toBe(whole.hash);
  });

  it("yields between slices, serializing and hashing", async () => {
    const s = fakeSnapshot(seededRandom(4), 1, 100);
    let yields = 0;
    const data = await serializeDataChunked(s, { sliceEntries: 10, yieldNow: async () => void yields++ });
    expect(yields).toBe(10);
    expect(data.equals(serializeSnapshot(s).data)).toBe(true);
    yields = 0;
    await serializeSnapshotChunked(s, { sliceEntries: 10, yieldNow: async () => void yields++ });
    expect(yields).toBeGreaterThan(10);
  });
});
