import { hostname as osHostname } from "node:os";
import { formatOtlpLogs } from "@portcullis/audit";
import type { OtlpSinkConfig } from "../config";
import type { ResolveSecret, SinkClient } from "../sink";
import { postOrThrow } from "./http";

/** OTLP/HTTP logs in the JSON encoding: POST <endpoint>/v1/logs. */
export function createOtlpSink(config: OtlpSinkConfig, resolveSecret: ResolveSecret): SinkClient {
  const url = config.endpoint.replace(/\/+$/, "").endsWith("/v1/logs") ? config.endpoint : `${config.endpoint.replace(/\/+$/, "")}/v1/logs`;
  const hostName = osHostname();
  return {
    async send(records) {
      const body = JSON.stringify(formatOtlpLogs(records, { serviceName: config.serviceName, hostName }));
      const headers: Record<string, string> = { "content-type": "application/json", ...config.headers };
      for (const [name, ref] of Object.entries(config.headerRefs)) headers[name] = await resolveSecret(ref);
      await postOrThrow(url, body, headers, config.timeoutMs, `otlp ${new URL(url).host}`);
    },
    async close() {},
  };
}
