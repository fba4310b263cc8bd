import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configKeyId, generateConfigSigningKey, parseConfigPublicKeys, parseConfigSigningKey, signSnapshot, verifySnapshot } from "@portcullis/config-sync";
import type { ConfigSnapshot } from "@portcullis/core";
import { readCliEnv } from "./env";
import { loadInstanceSecrets } from "./instance-secrets";

const distributed = {
  DATABASE_URL: "postgresql://x@127.0.0.1/x",
  PORTCULLIS_KEY_PEPPER: "p".repeat(32),
  PORTCULLIS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  NEXTAUTH_SECRET: "n".repeat(32),
};
const snapshot = { version: "1", compiledAt: "2026-01-01T00:00:00.000Z", keys: {}, providers: {}, providerKeys: {}, teams: {}, customers: {}, budgets: {}, rateLimits: {}, prices: [], aliases: {}, routingRules: [], tenantPolicies: [] } satisfies ConfigSnapshot;

describe("loadInstanceSecrets: configuration signing keys", () => {
  it("embedded: generates an Ed25519 pair once, keeps it owner-only, and its halves match", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-secrets-"));
    const env = readCliEnv({ PORTCULLIS_DATA_DIR: dir });
    const first = loadInstanceSecrets(env, true);
    const again = loadInstanceSecrets(env, true);
    expect(again).toEqual(first);
    const priv = parseConfigSigningKey(first.configSigningKey!);
    const signed = signSnapshot(snapshot, priv);
    expect(verifySnapshot(signed, parseConfigPublicKeys(first.configPublicKey!)).ok).toBe(true);
    expect(statSync(join(dir, "instance-secrets.json")).mode & 0o777).toBe(0o600);
  });

  it("embedded: an older secrets file keeps its secrets and gains a key pair", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-secrets-"));
    const old = { keyPepper: "k".repeat(43), encryptionKey: Buffer.alloc(32, 2).toString("base64"), nextAuthSecret: "s".repeat(43) };
    writeFileSync(join(dir, "instance-secrets.json"), JSON.stringify(old));
    const s = loadInstanceSecrets(readCliEnv({ PORTCULLIS_DATA_DIR: dir }), true);
    expect(s).toMatchObject(old);
    expect(s.configSigningKey).toMatch(/BEGIN PRIVATE KEY/);
    expect(JSON.parse(readFileSync(join(dir, "instance-secrets.json"), "utf8"))).toMatchObject({ ...old, configSigningKey: s.configSigningKey });
  });

  it("embedded: a signing key from the environment is used and not written to disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-secrets-"));
    const { privateKeyPem } = generateConfigSigningKey();
    const der = parseConfigSigningKey(privateKeyPem).export({ format: "der", type: "pkcs8" }).toString("base64");
    const s = loadInstanceSecrets(readCliEnv({ PORTCULLIS_DATA_DIR: dir, PORTCULLIS_CONFIG_SIGNING_KEY: der }), true);
    expect(s.configSigningKey).toBe(der);
    expect(configKeyId(parseConfigPublicKeys(s.configPublicKey!)[0]!)).toBe(configKeyId(parseConfigSigningKey(der)));
    expect(readFileSync(join(dir, "instance-secrets.json"), "utf8")).not.toContain(der);
  });

  it("distributed: from the environment; public key derived, or checked against the signing key", () => {
    const { privateKeyPem, publicKeyPem } = generateConfigSigningKey();
    const other = generateConfigSigningKey().publicKeyPem;
    const withSigning = loadInstanceSecrets(readCliEnv({ ...distributed, PORTCULLIS_CONFIG_SIGNING_KEY: privateKeyPem }), false);
    expect(withSigning.configPublicKey!.trim()).toBe(publicKeyPem.trim());
    const rotation = loadInstanceSecrets(readCliEnv({ ...distributed, PORTCULLIS_CONFIG_SIGNING_KEY: privateKeyPem, PORTCULLIS_CONFIG_PUBLIC_KEY: `${other}${publicKeyPem}` }), false);
    expect(parseConfigPublicKeys(rotation.configPublicKey!)).toHaveLength(2);
    expect(() => loadInstanceSecrets(readCliEnv({ ...distributed, PORTCULLIS_CONFIG_SIGNING_KEY: privateKeyPem, PORTCULLIS_CONFIG_PUBLIC_KEY: other }), false)).toThrow(/does not include/);
    expect(() => loadInstanceSecrets(readCliEnv({ ...distributed, PORTCULLIS_CONFIG_SIGNING_KEY: "bm90IGEga2V5" }), false)).toThrow(/PORTCULLIS_CONFIG_SIGNING_KEY is not a usable Ed25519 key/);
    // A gateway-only node: the public key alone.
    const gatewayOnly = loadInstanceSecrets(readCliEnv({ ...distributed, PORTCULLIS_CONFIG_PUBLIC_KEY: createPublicKey(privateKeyPem).export({ format: "der", type: "spki" }).toString("base64") }), false);
    expect(gatewayOnly.configSigningKey).toBeUndefined();
    expect(parseConfigPublicKeys(gatewayOnly.configPublicKey!)).toHaveLength(1);
  });

  it("distributed: the existing secrets are still required; the configuration keys are optional here", () => {
    expect(() => loadInstanceSecrets(readCliEnv({ DATABASE_URL: "postgresql://x@127.0.0.1/x" }), false)).toThrow(/PORTCULLIS_KEY_PEPPER/);
    const s = loadInstanceSecrets(readCliEnv(distributed), false);
    expect(s).toEqual({ keyPepper: distributed.PORTCULLIS_KEY_PEPPER, encryptionKey: distributed.PORTCULLIS_ENCRYPTION_KEY, nextAuthSecret: distributed.NEXTAUTH_SECRET, configSigningKey: undefined, configPublicKey: undefined });
  });
});
