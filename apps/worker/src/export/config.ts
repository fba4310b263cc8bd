import { z } from "zod";

/** A secret reference (env://, file://, vault://, … or encrypted:…), never a value. */
export const secretRefSchema = z.string().regex(/^((env|file|vault|aws-sm|gcp-sm|azure-kv):\/\/.+|encrypted:.+)$/, "must be a secret reference such as env://NAME");

const common = {
  /** Records per delivery. */
  batchSize: z.number().int().min(1).max(5000).default(500),
  /** Attempts at a batch the sink refuses as malformed before its records are dead-lettered one by one. */
  maxAttempts: z.number().int().min(1).max(100).default(10),
  /** Request logs only: include the (redacted) bodies. */
  includeBodies: z.boolean().default(false),
  /** A new sink's first position: the whole retained history, or only what comes after it. */
  startFrom: z.enum(["beginning", "now"]).default("beginning"),
};

export const syslogSinkConfigSchema = z.object({
  ...common,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  transport: z.enum(["tcp", "tls"]).default("tcp"),
  tls: z
    .object({
      /** PEM of the CA that signed the collector's certificate (public, so inline). */
      ca: z.string().optional(),
      servername: z.string().optional(),
      /** Only for testing against self-signed collectors. */
      rejectUnauthorized: z.boolean().default(true),
      /** Client certificate (mutual TLS): certificate PEM inline, private key by reference. */
      cert: z.string().optional(),
      keyRef: secretRefSchema.optional(),
    })
    .default({ rejectUnauthorized: true }),
  facility: z.number().int().min(0).max(23).default(13),
  appName: z.string().min(1).max(48).default("portcullis"),
  /** HOSTNAME field; default the worker's host name. */
  hostname: z.string().min(1).max(255).optional(),
  sdId: z.string().regex(/^[^\s=\]"@]+@\d+(\.\d+)*$/).default("portcullis@32473"),
  connectTimeoutMs: z.number().int().positive().default(5000),
});
export type SyslogSinkConfig = z.infer<typeof syslogSinkConfigSchema>;

export const webhookSinkConfigSchema = z.object({
  ...common,
  url: z.url({ protocol: /^https?$/ }),
  /** `splunk_hec`: HEC event batches with `Authorization: Splunk <token>`; `json`: {source, records}. */
  format: z.enum(["splunk_hec", "json"]).default("json"),
  tokenRef: secretRefSchema.optional(),
  /** Signs each body: x-portcullis-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>. */
  hmacSecretRef: secretRefSchema.optional(),
  headers: z.record(z.string(), z.string()).default({}),
  source: z.string().optional(),
  sourcetype: z.string().optional(),
  index: z.string().optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type WebhookSinkConfig = z.infer<typeof webhookSinkConfigSchema>;

export const fileSinkConfigSchema = z.object({
  ...common,
  /** Target file; `{stream}` is replaced by audit / requests. */
  path: z.string().min(1),
  /** Rotate when the file reaches this size: path -> path.1 -> path.2 … */
  maxBytes: z.number().int().min(1024).default(100 * 1024 * 1024),
  /** Rotated files kept. */
  maxFiles: z.number().int().min(1).max(1000).default(10),
});
export type FileSinkConfig = z.infer<typeof fileSinkConfigSchema>;

export const otlpSinkConfigSchema = z.object({
  ...common,
  /** Collector base URL (…/v1/logs is appended unless present). */
  endpoint: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  /** Header values that are secrets, by reference (e.g. { authorization: "env://OTLP_AUTH" }). */
  headerRefs: z.record(z.string(), secretRefSchema).default({}),
  serviceName: z.string().default("portcullis"),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type OtlpSinkConfig = z.infer<typeof otlpSinkConfigSchema>;

export const sinkConfigSchemas = {
  syslog: syslogSinkConfigSchema,
  webhook: webhookSinkConfigSchema,
  file: fileSinkConfigSchema,
  otlp: otlpSinkConfigSchema,
} as const;

export type SinkKind = keyof typeof sinkConfigSchemas;
export type SinkConfig<K extends SinkKind> = z.infer<(typeof sinkConfigSchemas)[K]>;

/** Validates ExportSink.config for its kind; the message names the bad fields. */
export function parseSinkConfig<K extends SinkKind>(kind: K, config: unknown): SinkConfig<K> {
  const parsed = sinkConfigSchemas[kind].safeParse(config ?? {});
  if (!parsed.success) {
    throw new Error(`invalid ${kind} sink config: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data as SinkConfig<K>;
}
