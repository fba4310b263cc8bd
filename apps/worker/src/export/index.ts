export { startExportRunner, type ExportRunner, type ExportRunnerOptions } from "./runner";
export { readExportLag, type ExportLag } from "./lag";
export { parseSinkConfig, sinkConfigSchemas, secretRefSchema, type SinkKind, type SinkConfig } from "./config";
export type { SyslogSinkConfig, WebhookSinkConfig, FileSinkConfig, OtlpSinkConfig } from "./config";
export { SinkError, type SinkClient, type ResolveSecret } from "./sink";
export { createSinkClient, createFileSink, createOtlpSink, createSyslogSink, createWebhookSink } from "./sinks/index";
