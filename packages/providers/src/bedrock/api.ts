/** Bedrock runtime endpoints and SigV4 signing of a built body. */
import { PortcullisError } from "@portcullis/core";
import { signAwsRequest } from "../aws/sigv4";
import type { BuildContext, Target, UpstreamRequest } from "../types";

/** The SigV4 service name of bedrock-runtime (its scope says `bedrock`, not `bedrock-runtime`). */
export const bedrockSigningService = "bedrock";

export function bedrockRegion(target: Target): string {
  if (target.region) return target.region;
  const m = /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(target.baseUrl);
  return m?.[1] ?? "us-east-1";
}

export function bedrockBaseUrl(target: Target): string {
  const base = target.baseUrl || `https://bedrock-runtime.${bedrockRegion(target)}.amazonaws.com`;
  return base.replace(/\/+$/, "");
}

/** Smithy's label encoding: encodeURIComponent plus the characters it leaves alone. */
export function encodeBedrockModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type BedrockOperation = "converse" | "converse-stream" | "invoke";

export function bedrockUrl(target: Target, operation: BedrockOperation, modelId = target.model): string {
  return `${bedrockBaseUrl(target)}/model/${encodeBedrockModelId(modelId)}/${operation}`;
}

/** Builds the signed POST; the body is hashed into the signature, so it is final here. */
export function signedBedrockPost(target: Target, url: string, body: string, accept: string, ctx: BuildContext, stream: boolean): UpstreamRequest {
  const creds = target.credentials;
  if (creds.kind !== "aws") {
    throw new PortcullisError({ code: "internal", message: `bedrock target needs aws credentials, got "${creds.kind}"` });
  }
  const signed = signAwsRequest({
    method: "POST",
    url,
    headers: { ...target.headers, "content-type": "application/json", accept },
    body,
    region: bedrockRegion(target),
    service: bedrockSigningService,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    now: ctx.now,
  });
  return { method: "POST", url, headers: signed.headers, body, stream };
}
