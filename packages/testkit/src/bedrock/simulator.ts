/**
 * Wire-exact Bedrock runtime simulator: SigV4-verified `converse`,
 * `converse-stream` (real event-stream frames and CRCs) and `invoke`
 * embeddings for Titan and Cohere, with the shared fault injection
 * (a malformed chunk is a frame whose message CRC does not match).
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { think } from "../gemini/brain";
import { sendJson, sleep, startSimulator, type RouteContext, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { simEmbedding, simTokenCount, splitPieces } from "../shared/text";
import { converseBrainInput, converseResponse, stopReasons, toolUseIdFor, validateConverse, type ConverseBody } from "./converse";
import { eventFrame, exceptionFrame } from "./event-stream-frame";
import { verifySigV4, type AwsKey } from "./sigv4-verify";

export interface BedrockSimulatorOptions extends Omit<SimulatorOptions, "apiKey"> {
  /** Keys the simulator accepts (default: the AWS documentation example key). */
  credentials?: AwsKey[];
  /** Model ids it knows; others get ResourceNotFoundException. Default: any. */
  models?: string[];
  /** Clock for the signature-expiry check (default: real time). */
  now?: () => Date;
}

export const defaultBedrockCredentials: AwsKey = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

const faultTypes: Record<number, [string, string]> = {
  429: ["ThrottlingException", "Too many requests, please wait before trying again."],
  500: ["InternalServerException", "The server encountered an internal error while processing the request."],
  503: ["ServiceUnavailableException", "Bedrock is unable to process your request."],
  408: ["ModelTimeoutException", "Model has timed out in processing the request. Try your request again."],
  424: ["ModelErrorException", "The model returned an error."],
};

const errorTypeHeader = (type: string) => ({ "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, "x-amzn-requestid": randomUUID() });

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { message }, errorTypeHeader(type));
}

export async function startBedrockSimulator(opts: BedrockSimulatorOptions = {}): Promise<SimulatorHandle> {
  const keys = opts.credentials ?? [defaultBedrockCredentials];
  const now = opts.now ?? (() => new Date());
  return startSimulator({
    errorResponse(status) {
      const [type, message] = faultTypes[status] ?? (status >= 500 ? faultTypes[500]! : ["ValidationException", `simulated ${status}`]);
      return { body: { message }, headers: errorTypeHeader(type) };
    },
    async route(ctx) {
      const { req, res, recorded } = ctx;
      const m = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(recorded.path);
      if (req.method !== "POST" || !m) {
        awsError(res, 404, "UnknownOperationException", "Unknown operation");
        return;
      }
      const auth = verifySigV4(req, Buffer.from(recorded.rawBody, "utf8"), keys, now());
      if (!auth.ok) {
        awsError(res, 403, auth.type, auth.message);
        return;
      }
      if (auth.service !== "bedrock") {
        awsError(res, 403, "InvalidSignatureException", "Credential should be scoped to correct service: 'bedrock'.");
        return;
      }
      const modelId = decodeURIComponent(m[1]!);
      if (opts.models && !opts.models.includes(modelId)) {
        awsError(res, 404, "ResourceNotFoundException", "Could not resolve the foundation model from the provided model identifier.");
        return;
      }
      const body = recorded.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        awsError(res, 400, "ValidationException", "Malformed input request, please reformat your input and try again.");
        return;
      }
      if (m[2] === "invoke") invoke(res, modelId, body as Record<string, unknown>);
      else await converse(ctx, body as ConverseBody, m[2] === "converse-stream");
    },
  }, opts);
}

async function converse({ res, faults }: RouteContext, body: ConverseBody, stream: boolean): Promise<void> {
  const invalid = validateConverse(body);
  if (invalid) {
    awsError(res, 400, "ValidationException", invalid);
    return;
  }
  const out = think(converseBrainInput(body));
  const toolUseId = toolUseIdFor(body);
  if (!stream) {
    sendJson(res, 200, converseResponse(out, toolUseId), { "x-amzn-requestid": randomUUID() });
    return;
  }
  const frames: Buffer[] = [eventFrame("messageStart", { role: "assistant" }, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW")];
  if (out.toolCall) {
    const input = JSON.stringify(out.toolCall.args);
    const half = Math.floor(input.length / 2);
    frames.push(eventFrame("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId, name: out.toolCall.name } } }, "abcd"));
    frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: input.slice(0, half) } } }, "ab"));
    frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: input.slice(half) } } }, "abcdef"));
  } else {
    splitPieces(out.text).forEach((piece, i) =>
      frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: piece } }, "abcdefghij".slice(0, 1 + (i % 10)))));
  }
  frames.push(eventFrame("contentBlockStop", { contentBlockIndex: 0 }, "abc"));
  if (!faults.noTerminal) {
    frames.push(eventFrame("messageStop", { stopReason: stopReasons[out.finish] }, "abcdefgh"));
    frames.push(eventFrame("metadata", {
      usage: { inputTokens: out.promptTokens, outputTokens: out.completionTokens, totalTokens: out.promptTokens + out.completionTokens },
      metrics: { latencyMs: 1 },
    }, "abcdefghijkl"));
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": randomUUID() });
  for (let i = 0; i < frames.length; i++) {
    if (faults.chunkDelayMs && i > 0) await sleep(faults.chunkDelayMs);
    if (faults.disconnectAfterChunks === i) {
      await new Promise<void>((r) => res.write("", () => r()));
      res.socket?.destroy();
      return;
    }
    if (faults.streamErrorAfter === i) {
      res.end(exceptionFrame("modelStreamErrorException", "The model stream encountered an error. Retry your request."));
      return;
    }
    const frame = frames[i]!;
    // A flipped payload byte: the frame's message CRC no longer matches.
    if (faults.malformedChunkAt === i) frame[frame.length - 6] = frame[frame.length - 6]! ^ 0x5a;
    res.write(frame);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

function invoke(res: ServerResponse, modelId: string, body: Record<string, unknown>): void {
  if (/(^|\.)cohere\.embed/.test(modelId)) {
    const texts = body.texts;
    if (!Array.isArray(texts) || texts.length === 0 || typeof body.input_type !== "string") {
      awsError(res, 400, "ValidationException", "Malformed input request: #: required key [input_type] not found, please reformat your input and try again.");
      return;
    }
    const vectors = texts.map((t) => simEmbedding(String(t), 8));
    const byType = Array.isArray(body.embedding_types);
    sendJson(res, 200, { id: randomUUID(), texts, embeddings: byType ? { float: vectors } : vectors, response_type: byType ? "embeddings_by_type" : "embeddings_floats" });
    return;
  }
  if (/(^|\.)amazon\.titan-embed/.test(modelId)) {
    if (typeof body.inputText !== "string") {
      awsError(res, 400, "ValidationException", "Malformed input request: #: required key [inputText] not found, please reformat your input and try again.");
      return;
    }
    const dims = typeof body.dimensions === "number" ? body.dimensions : 8;
    sendJson(res, 200, { embedding: simEmbedding(body.inputText, dims), inputTextTokenCount: simTokenCount(body.inputText) });
    return;
  }
  awsError(res, 400, "ValidationException", "The provided model identifier is invalid.");
}
