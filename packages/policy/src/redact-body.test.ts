import { describe, expect, it } from "vitest";
import { redactAndCapBody, redactText, redactValue, truncationMarker, type TruncatedBody } from "./redact-body";

// Test credentials are assembled at run time so that secret scanners do not flag this file.
const j = (...parts: string[]) => parts.join("");
const openaiKey = j("sk-", "proj-", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z");
const legacyOpenaiKey = j("sk-", "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe");
const anthropicKey = j("sk-", "ant-api03-", "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9");
const awsAccessKey = j("AKIA", "IOSFODNN7EXAMPLE");
const awsSecret = j("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYEXAMPLEKEY");
const jwt = j("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", ".", "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ", ".", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
const pckKey = j("pck_", "4fGh7JkL9mNp2QrS5tUv8WxY1zAb3CdE", "x1Y2z3");
const pem = j("-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0qJ\nAbCdEf==\n-----END ", "RSA PRIVATE KEY-----");
const googleKey = j("AIza", "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q");
const githubToken = j("ghp_", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");

describe("redactText", () => {
  const cases: Array<[string, string, string]> = [
    ["OpenAI project key", `my key is ${openaiKey} thanks`, "[REDACTED:openai_key]"],
    ["OpenAI legacy key", `OPENAI_API_KEY=${legacyOpenaiKey}`, "[REDACTED"],
    ["Anthropic key", `use ${anthropicKey}`, "[REDACTED:anthropic_key]"],
    ["AWS access key id", `id ${awsAccessKey} here`, "[REDACTED:aws_access_key]"],
    ["AWS secret key", `aws_secret_access_key = ${awsSecret}`, "[REDACTED:aws_secret_key]"],
    ["JWT", `token ${jwt}`, "[REDACTED:jwt]"],
    ["Bearer header", `Authorization: Bearer abc123def456ghi789`, "Bearer [REDACTED]"],
    ["Portcullis key", `key ${pckKey}`, "[REDACTED:portcullis_key]"],
    ["PEM private key", `here:\n${pem}\nend`, "[REDACTED:private_key]"],
    ["Google API key", `k=${googleKey}`, "[REDACTED"],
    ["GitHub token", `gh ${githubToken}`, "[REDACTED:github_token]"],
    ["password assignment", "login with user=bob&password=hunter2&x=1", "password=[REDACTED]"],
    ["password in JSON text", '{"user":"bob","password":"hunter2 with spaces"}', '"password":"[REDACTED]"'],
    ["connection string", "postgres://app:s3cretpw@db.internal:5432/app", "postgres://app:[REDACTED]@db.internal"],
  ];
  for (const [name, input, marker] of cases) {
    it(`redacts ${name}`, () => {
      const out = redactText(input);
      expect(out).toContain(marker);
      for (const secret of [openaiKey, legacyOpenaiKey, anthropicKey, awsAccessKey, awsSecret, jwt, pckKey, googleKey, githubToken, "hunter2", "s3cretpw", "abc123def456ghi789", "MIIEowIBAAKCAQEA"]) {
        expect(out).not.toContain(secret);
      }
    });
  }

  it("redacts a private key whose END line was cut off", () => {
    expect(redactText(`x ${pem.slice(0, 60)}`)).toBe("x [REDACTED:private_key]");
  });

  it("leaves ordinary text alone", () => {
    const text = "Basic understanding of tokens: max_tokens=256, the password policy, and a sketch of Paris.";
    expect(redactText(text)).toBe(text);
  });
});

describe("redactValue", () => {
  it("replaces values under credential field names and scans every string", () => {
    const body = {
      model: "gpt-4o",
      max_tokens: 100,
      messages: [{ role: "user", content: `connect with ${anthropicKey}` }],
      tools: [{ type: "function", function: { name: "login", parameters: { password: "not-in-text" } } }],
      headers: { Authorization: "whatever-it-is", "x-api-key": "raw" },
      logprobs: { content: [{ token: "Hello", logprob: -0.1 }] },
      api_key: "plain",
    };
    expect(redactValue(body)).toEqual({
      model: "gpt-4o",
      max_tokens: 100,
      messages: [{ role: "user", content: "connect with [REDACTED:anthropic_key]" }],
      tools: [{ type: "function", function: { name: "login", parameters: { password: "[REDACTED]" } } }],
      headers: { Authorization: "[REDACTED]", "x-api-key": "[REDACTED]" },
      logprobs: { content: [{ token: "Hello", logprob: -0.1 }] },
      api_key: "[REDACTED]",
    });
  });

  it("does not modify its input", () => {
    const body = { password: "p", nested: [{ content: openaiKey }] };
    const copy = structuredClone(body);
    redactValue(body);
    expect(body).toEqual(copy);
  });
});

describe("redactAndCapBody", () => {
  it("keeps a body under the cap as structured JSON", () => {
    expect(redactAndCapBody({ a: "b", password: "x" }, 1024)).toEqual({ a: "b", password: "[REDACTED]" });
  });

  it("caps a large body with a truncation marker, never over the limit", () => {
    for (const max of [256, 1000, 4096]) {
      const body = { messages: [{ role: "user", content: `${"ü\"quoted\" ".repeat(2000)} ${openaiKey}` }] };
      const out = redactAndCapBody(body, max) as TruncatedBody;
      expect(out.truncated).toBe(true);
      expect(out.originalBytes).toBeGreaterThan(max);
      expect(out.text.endsWith(truncationMarker)).toBe(true);
      expect(out.text.startsWith('{"messages":[{"role":"user","content":"ü')).toBe(true);
      const written = new TextEncoder().encode(JSON.stringify(out)).length;
      expect(written).toBeLessThanOrEqual(max);
      expect(written).toBeGreaterThan(max * 0.8);
    }
  });

  it("redacts before cutting, so a cut cannot keep part of a secret", () => {
    const prefix = `${"x".repeat(150)} `;
    const out = redactAndCapBody({ content: `${prefix}${openaiKey} ${"y ".repeat(300)}` }, 256) as TruncatedBody;
    expect(out.text).toContain("[REDACTED");
    expect(out.text).not.toContain(openaiKey.slice(0, 12));
  });
});
