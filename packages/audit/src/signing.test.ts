import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  auditKeyId,
  checkpointPayload,
  generateSigningKeyPem,
  parsePublicKey,
  parseSigningKey,
  publicKeyPem,
  signCheckpoint,
  signDocument,
  verifyCheckpointSignature,
  verifyDocumentSignature,
} from "./signing";

const pem = generateSigningKeyPem();
const key = parseSigningKey(pem);
const checkpoint = { seq: 42n, headHash: "ab".repeat(32), createdAt: new Date("2026-03-01T10:00:00.123Z") };

describe("audit signing keys", () => {
  it("reads PKCS#8 PEM and base64 DER to the same key", () => {
    const der = key.export({ format: "der", type: "pkcs8" }).toString("base64");
    expect(auditKeyId(parseSigningKey(der))).toBe(auditKeyId(key));
    expect(auditKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(auditKeyId(parsePublicKey(publicKeyPem(key)))).toBe(auditKeyId(key));
  });

  it("refuses keys that are not Ed25519", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(() => parseSigningKey(rsa)).toThrow(/Ed25519/);
  });
});

describe("checkpoint signatures", () => {
  it("sign over a versioned payload and verify with the public key", () => {
    expect(checkpointPayload(checkpoint)).toBe(`portcullis-audit-checkpoint/v1\n42\n${"ab".repeat(32)}\n2026-03-01T10:00:00.123Z`);
    const { signature, keyId } = signCheckpoint(key, checkpoint);
    expect(keyId).toBe(auditKeyId(key));
    expect(verifyCheckpointSignature(createPublicKey(key), { ...checkpoint, seq: "42", signature })).toBe(true);
  });

  it("fail for another seq, head, time or key, and for garbage", () => {
    const { signature } = signCheckpoint(key, checkpoint);
    expect(verifyCheckpointSignature(key, { ...checkpoint, seq: 43n, signature })).toBe(false);
    expect(verifyCheckpointSignature(key, { ...checkpoint, headHash: "cd".repeat(32), signature })).toBe(false);
    expect(verifyCheckpointSignature(key, { ...checkpoint, createdAt: new Date(0), signature })).toBe(false);
    expect(verifyCheckpointSignature(parseSigningKey(generateSigningKeyPem()), { ...checkpoint, signature })).toBe(false);
    expect(verifyCheckpointSignature(key, { ...checkpoint, signature: "not base64!" })).toBe(false);
  });
});

describe("document signatures", () => {
  it("cover the canonical encoding, so key order does not matter but values do", () => {
    const sig = signDocument(key, { b: 1, a: [1, 2] });
    expect(verifyDocumentSignature(key, { a: [1, 2], b: 1 }, sig)).toBe(true);
    expect(verifyDocumentSignature(key, { a: [2, 1], b: 1 }, sig)).toBe(false);
  });
});
