import { createHash } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import { diffSnapshots } from "./delta";
import { applyDeltaHashed, bucketOf, BUCKETS, buildHashTree, buildHashTreeAsync, type HashTree } from "./hash-tree";
import { generateConfigSigningKey, parseConfigPublicKey, parseConfigSigningKey, signSnapshot, verifySnapshot } from "./signing";
import { fakeSnapshot, mutateSnapshot, seededRandom } from "./test-fixtures";

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest();
const bucketHashes = (tree: HashTree, section: string) => tree.fields.get(section)!.keyed!.buckets.map((b) => b.toString("hex"));

describe("snapshot hash tree", () => {
  it("follows the documented encoding (a known answer computed independently)", () => {
    const snapshot = { version: "7", keys: { b: { n: 2 }, a: { n: 1 } }, prices: [] } as unknown as ConfigSnapshot;
    // Bucket by FNV-1a of each name; every other bucket is `{}`.
    const buckets = Array.from({ length: BUCKETS }, () => sha("{}"));
    const fnv = (s: string) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193), 0x811c9dc5) & 255;
    if (fnv("a") === fnv("b")) buckets[fnv("a")] = sha('{"a":{"n":1},"b":{"n":2}}');
    else {
      buckets[fnv("a")] = sha('{"a":{"n":1}}');
      buckets[fnv("b")] = sha('{"b":{"n":2}}');
    }
    const keysHash = sha(Buffer.concat([Buffer.from("portcullis-config-section/v1"), ...buckets])).toString("hex");
    const root = sha(
      `portcullis-config-tree/v1\n"keys" buckets ${keysHash}\n"prices" value ${sha("[]").toString("hex")}\n"version" value ${sha('"7"').toString("hex")}\n`,
    ).toString("hex");
    expect(bucketOf("a")).toBe(fnv("a"));
    expect(buildHashTree(snapshot).root).toBe(root);
  });

  it("is the same whatever the key order, and differs for any change", () => {
    const s = fakeSnapshot(seededRandom(1), 3, 50);
    const reordered = Object.fromEntries(Object.entries(s).reverse().map(([k, v]) => [k, v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v])) as unknown as ConfigSnapshot;
    expect(buildHashTree(reordered).root).toBe(buildHashTree(s).root);
    const changed = structuredClone(s);
    const hash = Object.keys(changed.keys)[17]!;
    changed.keys[hash]!.ipAllowList = ["10.0.0.1"];
    expect(buildHashTree(changed).root).not.toBe(buildHashTree(s).root);
    const moved = structuredClone(s);
    moved.teams = { ...moved.teams, team_9: { id: "team_9", slug: "x", name: "x", customerId: null } };
    expect(buildHashTree(moved).root).not.toBe(buildHashTree(s).root);
  });

  it("an edited entry changes its own bucket's hash and no other", () => {
    const s = fakeSnapshot(seededRandom(2), 1, 2000);
    const edited = structuredClone(s);
    const hash = Object.keys(edited.keys)[123]!;
    edited.keys[hash]!.status = edited.keys[hash]!.status === "revoked" ? "active" : "revoked";
    const [a, b] = [bucketHashes(buildHashTree(s), "keys"), bucketHashes(buildHashTree(edited), "keys")];
    const differing = a.flatMap((h, i) => (h === b[i] ? [] : [i]));
    expect(differing).toEqual([bucketOf(hash)]);
  });

  it("after a delta, re-hashing only the touched buckets gives the from-scratch tree, for 200 random pairs", { timeout: 60_000 }, () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = seededRandom(seed);
      const a = fakeSnapshot(rng, seed, Math.floor(rng() * 300));
      const b = mutateSnapshot(rng, a, seed + 1, 1 + Math.floor(rng() * 12));
      const delta = JSON.parse(JSON.stringify(diffSnapshots(a, b))) as ReturnType<typeof diffSnapshots>; // as received from the bus
      const next = applyDeltaHashed({ snapshot: a, tree: buildHashTree(a) }, delta);
      const scratch = buildHashTree(b);
      expect(next.tree.root, `seed ${seed}`).toBe(scratch.root);
      expect(bucketHashes(next.tree, "keys"), `seed ${seed}`).toEqual(bucketHashes(scratch, "keys"));
      expect(canonicalJson(next.snapshot), `seed ${seed}`).toBe(canonicalJson(b));
    }
  });

  it("chains: a tree kept across many deltas still matches the from-scratch tree", () => {
    const rng = seededRandom(99);
    let snapshot = fakeSnapshot(rng, 1, 500);
    let held = { snapshot, tree: buildHashTree(snapshot) };
    for (let v = 2; v <= 40; v++) {
      const next = mutateSnapshot(rng, snapshot, v, 3);
      held = applyDeltaHashed(held, diffSnapshots(held.snapshot, next));
      snapshot = next;
    }
    expect(held.tree.root).toBe(buildHashTree(snapshot).root);
  });

  it("keeps entries named __proto__ or like array indices in their buckets", () => {
    const a = fakeSnapshot(seededRandom(5), 1, 10);
    const b = structuredClone(a);
    b.version = "2";
    Object.defineProperty(b.teams, "__proto__", { value: { id: "p", slug: "p", name: "p", customerId: null }, enumerable: true });
    (b.teams as Record<string, unknown>)["10"] = { id: "10", slug: "t", name: "t", customerId: null };
    (b.teams as Record<string, unknown>)["9"] = { id: "9", slug: "t", name: "t", customerId: null };
    const delta = JSON.parse(JSON.stringify(diffSnapshots(a, b))) as ReturnType<typeof diffSnapshots>;
    const next = applyDeltaHashed({ snapshot: a, tree: buildHashTree(a) }, delta);
    expect(next.tree.root).toBe(buildHashTree(b).root);
    expect(next.tree.root).toBe(buildHashTree(JSON.parse(canonicalJson(b)) as ConfigSnapshot).root);
  });

  it("the sliced build gives the same tree and yields", async () => {
    const s = fakeSnapshot(seededRandom(6), 1, 400);
    let yields = 0;
    const tree = await buildHashTreeAsync(s, { sliceBuckets: 32, yieldNow: async () => void yields++ });
    expect(tree.root).toBe(buildHashTree(s).root);
    expect(yields).toBeGreaterThanOrEqual(7);
  });

  it("a snapshot with one bucket tampered after signing is refused", () => {
    const k = generateConfigSigningKey();
    const signed = signSnapshot(fakeSnapshot(seededRandom(7), 4, 300), parseConfigSigningKey(k.privateKeyPem));
    const parsed = JSON.parse(signed.data.toString()) as ConfigSnapshot;
    const victim = Object.keys(parsed.keys).find((h) => parsed.keys[h]!.status !== "active")!;
    parsed.keys[victim]!.status = "active";
    const tampered = { ...signed, data: Buffer.from(canonicalJson(parsed)) };
    expect(verifySnapshot(tampered, [parseConfigPublicKey(k.publicKeyPem)])).toEqual({ ok: false, reason: "content does not match the signed hash" });
    expect(verifySnapshot(signed, [parseConfigPublicKey(k.publicKeyPem)]).ok).toBe(true);
  });
});
