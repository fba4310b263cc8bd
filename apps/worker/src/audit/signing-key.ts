import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyObject } from "node:crypto";
import { auditKeyId, generateSigningKeyPem, parsePublicKey, parseSigningKey } from "@portcullis/audit";

export interface AuditSigningKeySource {
  /** PORTCULLIS_AUDIT_SIGNING_KEY: Ed25519 PKCS#8 PEM, or base64 of its DER. */
  configured?: string;
  /** Embedded mode only: keep a generated key in this directory. */
  dataDir?: string;
}

export const signingKeyFile = "audit-signing-key.pem";

/**
 * The key that signs audit checkpoints and archives. Distributed setups pass it in (one key
 * shared by every worker and the CLI); embedded mode generates one at first use and keeps it
 * in the data directory, readable by the owner only. Without either it fails closed.
 */
export function resolveAuditSigningKey(source: AuditSigningKeySource): KeyObject {
  if (source.configured) return parseSigningKey(source.configured);
  if (!source.dataDir) throw new Error("PORTCULLIS_AUDIT_SIGNING_KEY is not set (an Ed25519 PKCS#8 key, PEM or base64 DER)");
  const path = join(source.dataDir, signingKeyFile);
  if (!existsSync(path)) {
    mkdirSync(source.dataDir, { recursive: true });
    try {
      writeFileSync(path, generateSigningKeyPem(), { mode: 0o600, flag: "wx" });
      chmodSync(path, 0o600);
    } catch (e) {
      // Another process of the same install generated it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return parseSigningKey(readFileSync(path, "utf8"));
}

/** Keys by key id, for verifying checkpoints: the signing key plus public keys (PEM) of earlier ones. */
export function auditKeyRing(signing: KeyObject | undefined, publicKeyPems: readonly string[] = []): Map<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  if (signing) ring.set(auditKeyId(signing), signing);
  for (const pem of publicKeyPems) {
    const key = parsePublicKey(pem);
    ring.set(auditKeyId(key), key);
  }
  return ring;
}
