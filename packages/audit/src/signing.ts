import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { canonicalJson } from "./canonical";

/**
 * Ed25519 keys for audit checkpoints and archive manifests. A key is given as PKCS#8 PEM, or as
 * the base64 of its DER (handy in an environment variable); a public key as SPKI PEM or base64.
 */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`audit signing key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`audit public key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

/** A new Ed25519 key as PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

/** The public half as SPKI PEM (what an auditor needs to check signatures). */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return pub.export({ format: "pem", type: "spki" }).toString();
}

/** Names a key without revealing it: the first 16 hex digits of sha256(SPKI DER). */
export function auditKeyId(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return createHash("sha256").update(pub.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);
}

/** What a checkpoint signature covers. */
export interface CheckpointFields {
  seq: bigint | number | string;
  headHash: string;
  createdAt: Date | string;
}

/** The exact bytes signed for a checkpoint (versioned, so the format can change safely). */
export function checkpointPayload(c: CheckpointFields): string {
  return `portcullis-audit-checkpoint/v1\n${BigInt(c.seq).toString()}\n${c.headHash}\n${new Date(c.createdAt).toISOString()}`;
}

export function signCheckpoint(key: KeyObject, c: CheckpointFields): { signature: string; keyId: string } {
  return { signature: sign(null, Buffer.from(checkpointPayload(c)), key).toString("base64"), keyId: auditKeyId(key) };
}

export function verifyCheckpointSignature(key: KeyObject, c: CheckpointFields & { signature: string }): boolean {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  try {
    return verify(null, Buffer.from(checkpointPayload(c)), pub, Buffer.from(c.signature, "base64"));
  } catch {
    return false;
  }
}

/** Signs a JSON document (an archive manifest) over its canonical encoding. */
export function signDocument(key: KeyObject, doc: unknown): string {
  return sign(null, Buffer.from(canonicalJson(doc)), key).toString("base64");
}

export function verifyDocumentSignature(key: KeyObject, doc: unknown, signature: string): boolean {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  try {
    return verify(null, Buffer.from(canonicalJson(doc)), pub, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
