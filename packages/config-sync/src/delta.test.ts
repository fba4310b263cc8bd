import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import { applyDelta, diffSnapshots, diffSnapshotsKnownKeys } from "./delta";
import { fakeSnapshot, mutateSnapshot, seededRandom } from "./test-fixtures";

describe("diffSnapshots / applyDelta", () => {
  it("applyDelta(a, diffSnapshots(a, b)) equals b, for 300 random pairs", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rng = seededRandom(seed);
      const a = fakeSnapshot(rng, seed, Math.floor(rng() * 40));
      const b = mutateSnapshot(rng, a, seed + 1 + Math.floor(rng() * 3), Math.floor(rng() * 12));
      const before = canonicalJson(a);
      const result = applyDelta(a, diffSnapshots(a, b));
      expect(result, `seed ${seed}`).toEqual(b);
      expect(canonicalJson(result), `seed ${seed}`).toBe(canonicalJson(b));
      // a is untouched: requests may still be reading it.
      expect(canonicalJson(a), `seed ${seed}`).toBe(before);
    }
  });

  it("ships only what changed: one revoked key is one upsert", () => {
    const rng = seededRandom(7);
    const a = fakeSnapshot(rng, 1, 1000);
    const b = structuredClone(a);
    b.version = "2";
    const hash = Object.keys(b.keys).find((h) => b.keys[h]!.status === "active")!;
    b.keys[hash]!.status = "revoked";
    const delta = diffSnapshots(a, b);
    expect(delta).toEqual({ version: "2", records: { keys: { upsert: { [hash]: b.keys[hash] }, remove: [] } }, replace: {} });
    expect(JSON.stringify(delta).length).toBeLessThan(1000);
  });

  it("records removals by key and replaces list sections whole", () => {
    const rng = seededRandom(3);
    const a = fakeSnapshot(rng, 4, 5);
    const b = structuredClone(a);
    b.version = "9";
    const gone = Object.keys(b.keys)[0]!;
    delete b.keys[gone];
    delete b.rateLimits["team:team_1"];
    b.prices = [];
    const delta = diffSnapshots(a, b);
    expect(delta.records.keys).toEqual({ upsert: {}, remove: [gone] });
    expect(delta.records.rateLimits).toEqual({ upsert: {}, remove: ["team:team_1"] });
    expect(delta.replace).toEqual({ prices: [] });
    expect(applyDelta(a, delta)).toEqual(b);
  });

  it("the delta between equal snapshots is empty but for the version", () => {
    const a = fakeSnapshot(seededRandom(5), 1, 20);
    expect(diffSnapshots(a, structuredClone(a))).toEqual({ version: "1", records: {}, replace: {} });
  });

  it("keeps a key named __proto__ as data, not as a prototype", () => {
    const a = fakeSnapshot(seededRandom(9), 1, 1);
    const b = structuredClone(a);
    b.version = "2";
    Object.defineProperty(b.teams, "__proto__", { value: { id: "x", slug: "x", name: "x", customerId: null }, enumerable: true });
    const delta = JSON.parse(JSON.stringify(diffSnapshots(a, b))) as ReturnType<typeof diffSnapshots>;
    const result = applyDelta(a, delta);
    expect(Object.prototype.hasOwnProperty.call(result.teams, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(result.teams)).toBe(Object.prototype);
    expect(canonicalJson(result)).toBe(canonicalJson(b));
  });

  it("diffSnapshotsKnownKeys equals diffSnapshots when told a superset of the changed keys, for 200 random pairs", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = seededRandom(seed);
      const a = fakeSnapshot(rng, seed, Math.floor(rng() * 40));
      const b = mutateSnapshot(rng, a, seed + 1, Math.floor(rng() * 12));
      const full = diffSnapshots(a, b);
      const changed = full.records.keys ?? { upsert: {}, remove: [] };
      // Plus a few unchanged keys, as a compile that re-read rows with no real change reports them.
      const unchanged = Object.keys(b.keys).filter((k) => !(k in changed.upsert)).slice(0, 3);
      const known = diffSnapshotsKnownKeys(a, b, { upserted: [...Object.keys(changed.upsert), ...unchanged], removed: [...changed.remove, ...unchanged] });
      expect(known, `seed ${seed}`).toEqual(full);
    }
  });
});
