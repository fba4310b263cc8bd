import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CliEnv } from "./env";

/** Server-side secrets every process of one install must share. */
export interface InstanceSecrets {
  /** HMAC pepper for virtual keys and API tokens. */
  keyPepper: string;
  /** AES-256-GCM key (base64, 32 bytes) for credentials stored encrypted. */
  encryptionKey: string;
  /** Signs console session cookies. */
  nextAuthSecret: string;
}

const fileName = "instance-secrets.json";

/**
 * From the environment in the distributed setup (fail closed when missing); in
 * embedded mode generated once and kept in the data directory, readable only by
 * the owner, so a laptop install needs no configuration.
 */
export function loadInstanceSecrets(env: CliEnv, embedded: boolean): InstanceSecrets {
  const fromEnv = {
    keyPepper: env.PORTCULLIS_KEY_PEPPER,
    encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY,
    nextAuthSecret: env.NEXTAUTH_SECRET,
  };
  if (!embedded) {
    const missing = [
      !fromEnv.keyPepper && "PORTCULLIS_KEY_PEPPER",
      !fromEnv.encryptionKey && "PORTCULLIS_ENCRYPTION_KEY",
      !fromEnv.nextAuthSecret && "NEXTAUTH_SECRET",
    ].filter(Boolean);
    if (missing.length) throw new Error(`missing required secret(s) with DATABASE_URL set: ${missing.join(", ")}`);
    return fromEnv as InstanceSecrets;
  }
  mkdirSync(env.PORTCULLIS_DATA_DIR, { recursive: true });
  const path = join(env.PORTCULLIS_DATA_DIR, fileName);
  let stored: Partial<InstanceSecrets> = {};
  if (existsSync(path)) stored = JSON.parse(readFileSync(path, "utf8")) as Partial<InstanceSecrets>;
  // Only generated values are kept on disk; a secret given in the environment stays there.
  const generated: InstanceSecrets = {
    keyPepper: stored.keyPepper ?? randomBytes(32).toString("base64url"),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString("base64"),
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString("base64url"),
  };
  if (JSON.stringify(stored) !== JSON.stringify(generated)) {
    writeFileSync(path, JSON.stringify(generated, null, 2), { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return {
    keyPepper: fromEnv.keyPepper ?? generated.keyPepper,
    encryptionKey: fromEnv.encryptionKey ?? generated.encryptionKey,
    nextAuthSecret: fromEnv.nextAuthSecret ?? generated.nextAuthSecret,
  };
}
