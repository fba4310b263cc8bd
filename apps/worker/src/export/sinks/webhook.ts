import { hostname as osHostname } from "node:os";
import { WEBHOOK_SIGNATURE_HEADER, formatJsonBatch, formatSplunkHecBatch, signWebhookBody } from "@portcullis/audit";
import type { WebhookSinkConfig } from "../config";
import type { ResolveSecret, SinkClient } from "../sink";
import { postOrThrow } from "./http";

/**
 * HTTPS webhook: Splunk HEC batches or generic JSON, one POST per batch. With hmacSecretRef
 * every body is signed (x-portcullis-signature, see signWebhookBody); secrets are resolved per
 * request through the TTL cache, so rotating them needs no restart.
 */
export function createWebhookSink(config: WebhookSinkConfig, resolveSecret: ResolveSecret): SinkClient {
  const host = osHostname();
  return {
    async send(records) {
      const body =
        config.format === "splunk_hec"
          ? formatSplunkHecBatch(records, { host, source: config.source, sourcetype: config.sourcetype, index: config.index })
          : formatJsonBatch(records);
      const headers: Record<string, string> = { "content-type": "application/json", ...config.headers };
      if (config.tokenRef) {
        const token = await resolveSecret(config.tokenRef);
        headers.authorization = config.format === "splunk_hec" ? `Splunk ${token}` : `Bearer ${token}`;
      }
      if (config.hmacSecretRef) {
        headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(await resolveSecret(config.hmacSecretRef), body, Math.floor(Date.now() / 1000));
      }
      await postOrThrow(config.url, body, headers, config.timeoutMs, `webhook ${new URL(config.url).host}`);
    },
    async close() {},
  };
}
