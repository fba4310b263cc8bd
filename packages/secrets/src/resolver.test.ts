import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./envelope";
import { createSecretResolver } from "./resolver";

const key = randomBytes(32).toString("base64");

describe("secret envelope", () => {
  it("round-trips and refuses a tampered value or another key", () => {
    const env = encryptSecret(key, "sk-live-123");
    expect(env).not.toContain("sk-live");
    expect(decryptSecret(key, env)).toBe("sk-live-123");
    const parts = env.split(".");
    parts[2] = Buffer.from("x").toString("base64url");
    expect(() => decryptSecret(key, parts.join("."))).toThrow(/failed authentication/);
    expect(() => decryptSecret(randomBytes(32).toString("base64"), env)).toThrow(/failed authentication/);
  });
});

describe("secret resolver", () => {
  it("resolves env://, file:// and encrypted values, caching for the TTL", async () => {
    let t = 0;
    const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: "sk-a" };
    const dir = mkdtempSync(join(tmpdir(), "secrets-"));
    writeFileSync(join(dir, "k"), "sk-file\n");
    const r = createSecretResolver({ env, encryptionKey: key, ttlMs: 1000, now: () => t });
    expect(await r.resolve("env://OPENAI_API_KEY")).toBe("sk-a");
    expect(await r.resolve(`file://${join(dir, "k")}`)).toBe("sk-file");
    expect(await r.resolve(`encrypted:${encryptSecret(key, "sk-enc")}`)).toBe("sk-enc");
    env.OPENAI_API_KEY = "sk-rotated";
    expect(await r.resolve("env://OPENAI_API_KEY")).toBe("sk-a");
    t = 1001;
    expect(await r.resolve("env://OPENAI_API_KEY")).toBe("sk-rotated");
  });
  it("names the reference, never a value, when it cannot resolve", async () => {
    const r = createSecretResolver({ env: {} });
    await expect(r.resolve("env://MISSING")).rejects.toThrow("cannot resolve secret env://MISSING: environment variable MISSING is not set");
    await expect(r.resolve("ftp://x")).rejects.toThrow("unknown reference scheme");
    await expect(r.resolve("file:///nonexistent/x")).rejects.toThrow("ENOENT");
    await expect(r.resolve("encrypted:v1.a.b.c")).rejects.toThrow("PORTCULLIS_ENCRYPTION_KEY is not set");
  });
});
