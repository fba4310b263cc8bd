import { describe, expect, it } from "vitest";
import { parseSinkConfig } from "./config";

describe("parseSinkConfig", () => {
  it("fills defaults per kind", () => {
    expect(parseSinkConfig("syslog", { host: "siem.local", port: 6514, transport: "tls" })).toMatchObject({
      transport: "tls", facility: 13, appName: "portcullis", sdId: "portcullis@32473", tls: { rejectUnauthorized: true }, batchSize: 500, maxAttempts: 10, startFrom: "beginning",
    });
    expect(parseSinkConfig("file", { path: "/var/log/pc.jsonl" })).toMatchObject({ maxBytes: 100 * 1024 * 1024, maxFiles: 10 });
    expect(parseSinkConfig("webhook", { url: "https://hec.example:8088/services/collector/event", format: "splunk_hec", tokenRef: "env://HEC_TOKEN" })).toMatchObject({ timeoutMs: 10_000 });
  });

  it("refuses secrets given as values, bad URLs and out-of-range settings, naming the field", () => {
    expect(() => parseSinkConfig("webhook", { url: "https://x.example", tokenRef: "abc123-plain-token" })).toThrow(/tokenRef: must be a secret reference/);
    expect(() => parseSinkConfig("otlp", { endpoint: "ftp://collector" })).toThrow(/endpoint/);
    expect(() => parseSinkConfig("syslog", { host: "h", port: 70000 })).toThrow(/port/);
    expect(() => parseSinkConfig("syslog", { host: "h", port: 514, sdId: "portcullis" })).toThrow(/sdId/);
    expect(() => parseSinkConfig("file", {})).toThrow(/invalid file sink config: path/);
  });
});
