/** AWS Bedrock (Converse / ConverseStream, InvokeModel embeddings), signed with SigV4. */
import { randomUUID } from "node:crypto";
import type { BuildContext, ProviderAdapter, Target } from "../types";
import { bedrockUrl, signedBedrockPost } from "./api";
import type { ConverseResponse } from "./converse-types";
import { bedrockEmbeddings } from "./embed";
import { parseBedrockError } from "./errors";
import { toConverseRequest } from "./request";
import { fromConverseResponse, type ResponseIdentity } from "./response";
import { createConverseStreamDecoder } from "./stream";

function identity(target: Target, ctx?: BuildContext): ResponseIdentity {
  const now = ctx?.now ?? new Date();
  return { id: `chatcmpl-${ctx?.requestId ?? randomUUID()}`, created: Math.floor(now.getTime() / 1000), model: target.model };
}

export const bedrockAdapter: ProviderAdapter = {
  type: "bedrock",
  chat: {
    buildChatRequest(req, target, ctx) {
      const body = JSON.stringify(toConverseRequest(req));
      return req.stream
        ? signedBedrockPost(target, bedrockUrl(target, "converse-stream"), body, "application/vnd.amazon.eventstream", ctx, true)
        : signedBedrockPost(target, bedrockUrl(target, "converse"), body, "application/json", ctx, false);
    },
    parseChatResponse(body, target, ctx?: BuildContext) {
      const res = JSON.parse(new TextDecoder().decode(body)) as ConverseResponse;
      return fromConverseResponse(res, identity(target, ctx));
    },
    createStreamDecoder(target, req, ctx?: BuildContext) {
      return createConverseStreamDecoder({ identity: identity(target, ctx), includeUsage: req.stream_options?.include_usage === true });
    },
    parseError: parseBedrockError,
  },
  embeddings: bedrockEmbeddings,
};

export { toConverseRequest } from "./request";
export { fromConverseResponse, mapConverseStopReason, mapConverseUsage } from "./response";
export { createConverseStreamDecoder } from "./stream";
export { parseBedrockError, bedrockExceptionStatus } from "./errors";
export { bedrockUrl, bedrockRegion, bedrockSigningService, encodeBedrockModelId } from "./api";
export type * from "./converse-types";
export * from "../aws/index";
