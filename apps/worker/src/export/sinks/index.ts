import { parseSinkConfig, type SinkKind } from "../config";
import type { ResolveSecret, SinkClient } from "../sink";
import { createFileSink } from "./file";
import { createOtlpSink } from "./otlp";
import { createSyslogSink } from "./syslog";
import { createWebhookSink } from "./webhook";

/** A client for an ExportSink row; throws if its config does not validate. */
export function createSinkClient(kind: SinkKind, config: unknown, resolveSecret: ResolveSecret): SinkClient {
  switch (kind) {
    case "syslog":
      return createSyslogSink(parseSinkConfig("syslog", config), resolveSecret);
    case "webhook":
      return createWebhookSink(parseSinkConfig("webhook", config), resolveSecret);
    case "file":
      return createFileSink(parseSinkConfig("file", config));
    case "otlp":
      return createOtlpSink(parseSinkConfig("otlp", config), resolveSecret);
  }
}

export { createFileSink, createOtlpSink, createSyslogSink, createWebhookSink };
