export { createIngestor, type Ingestor, type IngestorOptions, type IngestResult, type RejectedEvent } from "./ingestor";
export { startIngestConsumer, type IngestConsumer, type IngestConsumerOptions, type IngestConsumerStats } from "./consumer";
export { readBacklog, type IngestBacklog } from "./stream";
export { insertRequestLogs } from "./insert-request-logs";
export { appendAuditEvents } from "./append-audit-events";
