import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseAnnouncement, signAnnouncement, verifyAnnouncement } from "./announcement";
import { diffSnapshots } from "./delta";
import { decodeSignedSnapshot, encodeSignedSnapshot } from "./envelope";
import {
  configKeyId, generateConfigSigningKey, parseConfigPublicKey, parseConfigPublicKeys, parseConfigSigningKey,
  serializeSnapshot, signSnapshot, verifySnapshot,
} from "./signing";
import { fakeSnapshot, seededRandom } from "./test-fixtures";

const keyPair = () => {
  const { privateKeyPem, publicKeyPem } = generateConfigSigningKey();
  return { priv: parseConfigSigningKey(privateKeyPem), pub: parseConfigPublicKey(publicKeyPem), publicKeyPem };
};

describe("snapshot signatures", () => {
  const snapshot = fakeSnapshot(seededRandom(1), 42, 30);

  it("verifies what was signed and returns the snapshot", () => {
    const { priv, pub } = keyPair();
    const signed = signSnapshot(snapshot, priv);
    expect(signed.keyId).toBe(configKeyId(pub));
    expect(signed.keyId).toMatch(/^[0-9a-f]{16}$/);
    const result = verifySnapshot(signed, [pub]);
    expect(result).toMatchObject({ ok: true, snapshot, tree: { root: signed.hash } });
  });

  it("hashes the same snapshot the same way whatever its key order", () => {
    const reordered = Object.fromEntries(Object.entries(snapshot).reverse()) as typeof snapshot;
    expect(serializeSnapshot(reordered).hash).toBe(serializeSnapshot(snapshot).hash);
  });

  it("refuses content altered after signing, even with the hash updated to match", () => {
    const { priv, pub } = keyPair();
    const signed = signSnapshot(snapshot, priv);
    const altered = Buffer.from(signed.data.toString("utf8").replace('"status":"revoked"', '"status":"active"'));
    expect(altered.equals(signed.data)).toBe(false);
    expect(verifySnapshot({ ...signed, data: altered }, [pub])).toEqual({ ok: false, reason: "content does not match the signed hash" });
    const rehashed = { ...signed, data: altered, hash: serializeSnapshot(JSON.parse(altered.toString()) as typeof snapshot).hash };
    expect(verifySnapshot(rehashed, [pub])).toEqual({ ok: false, reason: "bad signature" });
  });

  it("refuses a snapshot signed by a key it does not trust, under its own id or a trusted one's", () => {
    const trusted = keyPair();
    const attacker = keyPair();
    const forged = signSnapshot(snapshot, attacker.priv);
    expect(verifySnapshot(forged, [trusted.pub])).toMatchObject({ ok: false, reason: expect.stringContaining("untrusted key") });
    expect(verifySnapshot({ ...forged, keyId: configKeyId(trusted.pub) }, [trusted.pub])).toEqual({ ok: false, reason: "bad signature" });
    expect(verifySnapshot(forged, [])).toMatchObject({ ok: false });
  });

  it("refuses an envelope whose version differs from the content's", () => {
    const { priv, pub } = keyPair();
    const other = signSnapshot({ ...snapshot, version: "41" }, priv);
    // A valid signature over (43, hash of a v41 snapshot) still does not make it v43.
    const relabeled = { ...signSnapshot({ ...snapshot, version: "41" }, priv), version: "43" };
    expect(verifySnapshot(other, [pub]).ok).toBe(true);
    expect(verifySnapshot(relabeled, [pub]).ok).toBe(false);
  });

  it("accepts any of several trusted keys (rotation)", () => {
    const old = keyPair();
    const next = keyPair();
    const both = parseConfigPublicKeys(`${old.publicKeyPem}\n${next.publicKeyPem}`);
    expect(both.map(configKeyId)).toEqual([configKeyId(old.pub), configKeyId(next.pub)]);
    expect(verifySnapshot(signSnapshot(snapshot, old.priv), both).ok).toBe(true);
    expect(verifySnapshot(signSnapshot(snapshot, next.priv), both).ok).toBe(true);
  });

  it("reads keys as PEM or base64 DER", () => {
    const { priv } = keyPair();
    const der = priv.export({ format: "der", type: "pkcs8" }).toString("base64");
    expect(configKeyId(parseConfigSigningKey(der))).toBe(configKeyId(priv));
    const pubDer = createPublicKey(priv).export({ format: "der", type: "spki" }).toString("base64");
    expect(parseConfigPublicKeys(`${pubDer}, ${pubDer}`).map(configKeyId)).toEqual([configKeyId(priv), configKeyId(priv)]);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    expect(() => parseConfigSigningKey(rsa.export({ format: "pem", type: "pkcs8" }).toString())).toThrow(/Ed25519/);
  });
});

describe("envelope encoding", () => {
  it("round-trips gzipped and raw, and refuses something else", () => {
    const { priv, pub } = keyPair();
    const signed = signSnapshot(fakeSnapshot(seededRandom(2), 3, 10), priv);
    for (const gzip of [true, false]) {
      const decoded = decodeSignedSnapshot(encodeSignedSnapshot(signed, { gzip }));
      expect(decoded).toEqual(signed);
      expect(verifySnapshot(decoded, [pub]).ok).toBe(true);
    }
    expect(() => decodeSignedSnapshot(Buffer.from('{"version":"3"}'))).toThrow(/not a signed/);
  });
});

describe("announcements", () => {
  it("verify both signatures; a changed field or an untrusted key fails", () => {
    const { priv, pub } = keyPair();
    const a1 = fakeSnapshot(seededRandom(4), 1, 5);
    const a2 = { ...a1, version: "2" };
    const signed = signSnapshot(a2, priv);
    const ann = signAnnouncement(
      { version: "2", prevVersion: "1", prevHash: serializeSnapshot(a1).hash, hash: signed.hash, keyId: signed.keyId, snapshotSignature: signed.signature, delta: diffSnapshots(a1, a2) },
      priv,
    );
    const parsed = parseAnnouncement(JSON.stringify(ann))!;
    expect(parsed).toEqual(ann);
    expect(verifyAnnouncement(parsed, [pub])).toBeUndefined();
    expect(verifyAnnouncement({ ...parsed, prevVersion: "0" }, [pub])).toMatch(/bad signature/);
    expect(verifyAnnouncement({ ...parsed, hash: "0".repeat(64) }, [pub])).toMatch(/bad signature/);
    expect(verifyAnnouncement({ ...parsed, snapshotSignature: ann.signature }, [pub])).toMatch(/snapshot signature/);
    expect(verifyAnnouncement(parsed, [keyPair().pub])).toMatch(/untrusted/);
    expect(parseAnnouncement('{"version":"x"}')).toBeUndefined();
    expect(parseAnnouncement("not json")).toBeUndefined();
  });
});
