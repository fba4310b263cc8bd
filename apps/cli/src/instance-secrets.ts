import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configKeyId, configPublicKeyPem, generateConfigSigningKey, parseConfigPublicKeys, parseConfigSigningKey, parseKeySetting } from "@portcullis/config-sync";
import type { CliEnv } from "./env";

/** Server-side secrets every process of one install must share. */
export interface InstanceSecrets {
  /** HMAC pepper for virtual keys and API tokens. */
  keyPepper: string;
  /** AES-256-GCM key (base64, 32 bytes) for credentials stored encrypted. */
  encryptionKey: string;
  /** Signs console session cookies. */
  nextAuthSecret: string;
  /**
   * Ed25519 private key (PKCS#8 PEM or base64 DER) that signs configuration snapshots.
   * Only where configuration is published (console, CLI); absent on a gateway-only node.
   */
  configSigningKey?: string;
  /** The public key(s) gateways trust for configuration snapshots (several during a rotation). */
  configPublicKey?: string;
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
  const configKeys = configKeysFromEnv(env);
  if (!embedded) {
    const missing = [
      !fromEnv.keyPepper && "PORTCULLIS_KEY_PEPPER",
      !fromEnv.encryptionKey && "PORTCULLIS_ENCRYPTION_KEY",
      !fromEnv.nextAuthSecret && "NEXTAUTH_SECRET",
    ].filter(Boolean);
    if (missing.length) throw new Error(`missing required secret(s) with DATABASE_URL set: ${missing.join(", ")}`);
    // The configuration keys are checked where they are used: a publisher needs the private
    // key, a gateway the public one, and other commands neither.
    return { ...(fromEnv as Omit<InstanceSecrets, "configSigningKey" | "configPublicKey">), ...configKeys };
  }
  mkdirSync(env.PORTCULLIS_DATA_DIR, { recursive: true });
  const path = join(env.PORTCULLIS_DATA_DIR, fileName);
  let stored: Partial<InstanceSecrets> = {};
  if (existsSync(path)) stored = JSON.parse(readFileSync(path, "utf8")) as Partial<InstanceSecrets>;
  const pair = stored.configSigningKey ? undefined : generateConfigSigningKey();
  // Only generated values are kept on disk; a secret given in the environment stays there.
  const generated: InstanceSecrets = {
    keyPepper: stored.keyPepper ?? randomBytes(32).toString("base64url"),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString("base64"),
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString("base64url"),
    configSigningKey: stored.configSigningKey ?? pair!.privateKeyPem,
    configPublicKey: stored.configPublicKey ?? pair!.publicKeyPem,
  };
  if (JSON.stringify(stored) !== JSON.stringify(generated)) {
    writeFileSync(path, JSON.stringify(generated, null, 2), { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  // A signing key given in the environment replaces the generated pair; public keys given
  // there (a rotation) must still include the generated signing key's.
  const config = env.PORTCULLIS_CONFIG_SIGNING_KEY
    ? configKeys
    : configKeysFromEnv({
        ...env,
        PORTCULLIS_CONFIG_SIGNING_KEY: generated.configSigningKey,
        PORTCULLIS_CONFIG_PUBLIC_KEY: env.PORTCULLIS_CONFIG_PUBLIC_KEY ?? generated.configPublicKey,
      });
  return {
    keyPepper: fromEnv.keyPepper ?? generated.keyPepper,
    encryptionKey: fromEnv.encryptionKey ?? generated.encryptionKey,
    nextAuthSecret: fromEnv.nextAuthSecret ?? generated.nextAuthSecret,
    ...config,
  };
}

/**
 * PORTCULLIS_CONFIG_SIGNING_KEY / PORTCULLIS_CONFIG_PUBLIC_KEY, checked now so a typo fails at
 * boot. Without a public key, the signing key's own public half is trusted; with both, the
 * signing key must be among the trusted ones (or every gateway would refuse what it signs).
 */
function configKeysFromEnv(env: CliEnv): Pick<InstanceSecrets, "configSigningKey" | "configPublicKey"> {
  const signingText = env.PORTCULLIS_CONFIG_SIGNING_KEY;
  const publicText = env.PORTCULLIS_CONFIG_PUBLIC_KEY;
  const signing = signingText ? parseKeySetting("PORTCULLIS_CONFIG_SIGNING_KEY", () => parseConfigSigningKey(signingText)) : undefined;
  const trusted = publicText ? parseKeySetting("PORTCULLIS_CONFIG_PUBLIC_KEY", () => parseConfigPublicKeys(publicText)) : undefined;
  if (trusted && trusted.length === 0) throw new Error("PORTCULLIS_CONFIG_PUBLIC_KEY holds no key");
  if (signing && trusted && !trusted.some((k) => configKeyId(k) === configKeyId(signing))) {
    throw new Error("PORTCULLIS_CONFIG_PUBLIC_KEY does not include the public half of PORTCULLIS_CONFIG_SIGNING_KEY: gateways would refuse every snapshot");
  }
  return { configSigningKey: signingText, configPublicKey: publicText ?? (signing ? configPublicKeyPem(signing) : undefined) };
}
