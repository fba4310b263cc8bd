import { describe, expect, it } from "vitest";
import { fromInvokeEmbeddingBody, toInvokeEmbeddingBody } from "./embed";

describe("bedrock InvokeModel embeddings", () => {
  it("builds Titan and Cohere bodies, including inference-profile ids", () => {
    expect(toInvokeEmbeddingBody({ model: "e", input: "hello", dimensions: 256 }, "amazon.titan-embed-text-v2:0")).toEqual({ inputText: "hello", dimensions: 256 });
    expect(toInvokeEmbeddingBody({ model: "e", input: ["a", "b"] }, "us.cohere.embed-multilingual-v3")).toEqual({ texts: ["a", "b"], input_type: "search_document", embedding_types: ["float"] });
  });

  it("rejects what the model families cannot take", () => {
    expect(() => toInvokeEmbeddingBody({ model: "e", input: ["a", "b"] }, "amazon.titan-embed-text-v2:0")).toThrow(/one text/);
    expect(() => toInvokeEmbeddingBody({ model: "e", input: [1, 2, 3] }, "cohere.embed-english-v3")).toThrow(/token arrays/);
    expect(() => toInvokeEmbeddingBody({ model: "e", input: "x" }, "meta.llama3-8b-instruct-v1:0")).toThrow(/Titan and Cohere/);
  });

  it("reads both Cohere response types and Titan's token count, in float or base64", () => {
    const req = { model: "e", input: ["a", "b"] };
    expect(fromInvokeEmbeddingBody({ embeddings: { float: [[1, 2], [3, 4]] }, response_type: "embeddings_by_type" }, req, "cohere.embed-english-v3").data.map((d) => d.embedding))
      .toEqual([[1, 2], [3, 4]]);
    expect(fromInvokeEmbeddingBody({ embeddings: [[5]], response_type: "embeddings_floats" }, req, "cohere.embed-english-v3").data[0]!.embedding).toEqual([5]);
    const titan = fromInvokeEmbeddingBody({ embedding: [0.5, -1], inputTextTokenCount: 7 }, { model: "e", input: "x", encoding_format: "base64" }, "amazon.titan-embed-text-v1");
    expect(titan.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    expect(titan.data[0]!.embedding).toBe(Buffer.from(new Float32Array([0.5, -1]).buffer).toString("base64"));
  });
});
