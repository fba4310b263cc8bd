import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Credentials encrypted at rest: AES-256-GCM under the install's key
 * (PORTCULLIS_ENCRYPTION_KEY, 32 bytes base64). Envelope text:
 * `v1.<iv b64url>.<ciphertext b64url>.<tag b64url>`.
 */
function keyBytes(keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64, "base64");
  if (key.length !== 32) throw new Error("encryption key must be 32 bytes, base64-encoded");
  return key;
}

export function encryptSecret(keyBase64: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyBytes(keyBase64), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function decryptSecret(keyBase64: string, envelope: string): string {
  const [version, iv, data, tag] = envelope.split(".");
  if (version !== "v1" || !iv || data === undefined || !tag) throw new Error("not a v1 secret envelope");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes(keyBase64), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("secret envelope failed authentication (wrong key or tampered value)");
  }
}
