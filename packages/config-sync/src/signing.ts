import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { canonicalJson } from "./canonical";
import { buildHashTree, type HashTree } from "./hash-tree";

/**
 * A compiled snapshot as it travels and rests: its canonical JSON bytes, the root of its hash
 * tree (hash-tree.ts), and an Ed25519 signature over `version|hash`. Whoever can write Redis
 * (or the disk cache) but does not hold the signing key cannot make a gateway load
 * configuration.
 */
export interface SignedSnapshot {
  version: string;
  /** Root (hex) of the hash tree of the snapshot that `data` parses to. */
  hash: string;
  /** Fingerprint of the public key that verifies `signature`. */
  keyId: string;
  /** base64 Ed25519 signature of snapshotSigningPayload(version, hash). */
  signature: string;
  /** canonicalJson(snapshot) as UTF-8. */
  data: Buffer;
}

/** On success also the snapshot's hash tree, so a delta can later re-hash only what it touches. */
export type VerifyResult = { ok: true; snapshot: ConfigSnapshot; tree: HashTree } | { ok: false; reason: string };

// v2: the signed hash is the hash-tree root (v1 signed the sha256 of the whole canonical JSON).
const SNAPSHOT_DOMAIN = "portcullis-config-snapshot/v2";
const DELTA_DOMAIN = "portcullis-config-delta/v2";

/** An Ed25519 private key as PKCS#8 PEM, or the base64 of its DER (for an environment variable). */
export function parseConfigSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`config signing key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

/** An Ed25519 public key as SPKI PEM or base64 DER. */
export function parseConfigPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`config public key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

/**
 * Several trusted keys (key rotation): PEM blocks one after another, or base64 DER values
 * separated by commas or whitespace.
 */
export function parseConfigPublicKeys(text: string): KeyObject[] {
  const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g);
  const parts = pems ?? text.split(/[\s,]+/).filter((p) => p.length > 0);
  return parts.map(parseConfigPublicKey);
}

/** Parses a key given in setting `name`; a failure names the setting and the accepted forms. */
export function parseKeySetting<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new Error(`${name} is not a usable Ed25519 key (PEM, or base64 DER): ${(e as Error).message}`, { cause: e });
  }
}

export function generateConfigSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

export function configPublicKeyPem(key: KeyObject): string {
  return toPublic(key).export({ format: "pem", type: "spki" }).toString();
}

/** Names a key without revealing it: the first 16 hex digits of sha256(SPKI DER). */
export function configKeyId(key: KeyObject): string {
  return createHash("sha256").update(toPublic(key).export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The canonical bytes of a snapshot and its hash (the hash-tree root, what signatures cover). */
export function serializeSnapshot(snapshot: ConfigSnapshot): { data: Buffer; hash: string } {
  const data = Buffer.from(canonicalJson(snapshot), "utf8");
  return { data, hash: buildHashTree(snapshot).root };
}

export function snapshotSigningPayload(version: string, hash: string): Buffer {
  return Buffer.from(`${SNAPSHOT_DOMAIN}|${version}|${hash}`);
}

/** What a delta announcement's signature covers: the hash is of the snapshot after applying it. */
export function deltaSigningPayload(version: string, prevVersion: string | null, hash: string): Buffer {
  return Buffer.from(`${DELTA_DOMAIN}|${version}|${prevVersion ?? ""}|${hash}`);
}

export function signSnapshot(snapshot: ConfigSnapshot, key: KeyObject): SignedSnapshot {
  const { data, hash } = serializeSnapshot(snapshot);
  return signSerialized(snapshot.version, data, hash, key);
}

/** The snapshot signature alone, for a hash already known (a publisher that keeps the tree). */
export function signSnapshotHash(version: string, hash: string, key: KeyObject): string {
  return signPayload(snapshotSigningPayload(version, hash), key);
}

export function signSerialized(version: string, data: Buffer, hash: string, key: KeyObject): SignedSnapshot {
  return { version, hash, keyId: configKeyId(key), signature: signPayload(snapshotSigningPayload(version, hash), key), data };
}

export function signPayload(payload: Buffer, key: KeyObject): string {
  return sign(null, payload, key).toString("base64");
}

/** True when one of the trusted keys (the one named by keyId first) verifies the signature. */
export function verifyPayload(payload: Buffer, signature: string, keyId: string, publicKeys: readonly KeyObject[]): boolean {
  const sig = Buffer.from(signature, "base64");
  const named = publicKeys.filter((k) => configKeyId(k) === keyId);
  // Only the named key is tried: an unknown keyId is a key we do not trust.
  return named.some((k) => {
    try {
      return verify(null, payload, toPublic(k), sig);
    } catch {
      return false;
    }
  });
}

/** The signature over version|hash, by a trusted key; undefined when it holds. */
export function checkSnapshotSignature(envelope: Omit<SignedSnapshot, "data">, publicKeys: readonly KeyObject[]): string | undefined {
  if (publicKeys.length === 0) return "no trusted configuration public key";
  if (!publicKeys.some((k) => configKeyId(k) === envelope.keyId)) return `signed by untrusted key ${envelope.keyId}`;
  if (!verifyPayload(snapshotSigningPayload(envelope.version, envelope.hash), envelope.signature, envelope.keyId, publicKeys)) return "bad signature";
  return undefined;
}

/**
 * Checks the signature over version|hash, then parses `data` and checks that the snapshot it
 * holds has that hash (its hash-tree root, computed here from what was parsed, so what is
 * returned is exactly what was signed) and is the version the envelope claims.
 */
export function verifySnapshot(envelope: SignedSnapshot, publicKeys: readonly KeyObject[]): VerifyResult {
  const bad = checkSnapshotSignature(envelope, publicKeys);
  if (bad) return { ok: false, reason: bad };
  const snapshot = parseSnapshotData(envelope.data);
  if (!snapshot) return { ok: false, reason: "content is not a JSON object" };
  const tree = buildHashTree(snapshot);
  return verifiedContent(envelope, snapshot, tree);
}

/** JSON.parse of snapshot bytes; undefined when they are not a JSON object. */
export function parseSnapshotData(data: Buffer): ConfigSnapshot | undefined {
  try {
    const parsed: unknown = JSON.parse(data.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as ConfigSnapshot) : undefined;
  } catch {
    return undefined;
  }
}

/** The content checks of verifySnapshot, for a tree computed elsewhere (in slices, by a gateway). */
export function verifiedContent(envelope: Omit<SignedSnapshot, "data">, snapshot: ConfigSnapshot, tree: HashTree): VerifyResult {
  if (tree.root !== envelope.hash) return { ok: false, reason: "content does not match the signed hash" };
  if (snapshot.version !== envelope.version) return { ok: false, reason: `content is v${snapshot.version}, envelope says v${envelope.version}` };
  return { ok: true, snapshot, tree };
}

function toPublic(key: KeyObject): KeyObject {
  return key.type === "private" ? createPublicKey(key) : key;
}
