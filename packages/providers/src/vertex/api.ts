/** Vertex AI endpoints: `{region}-aiplatform.googleapis.com/v1/projects/{p}/locations/{r}/publishers/{pub}/models/{m}:{method}`. */
import { PortcullisError } from "@portcullis/core";
import type { Target } from "../types";

export type VertexMethod = "generateContent" | "streamGenerateContent" | "predict" | "rawPredict" | "streamRawPredict";

export function vertexRegion(target: Target): string {
  return target.region ?? "us-central1";
}

export function vertexBaseUrl(target: Target): string {
  if (target.baseUrl) return target.baseUrl.replace(/\/+$/, "");
  const region = vertexRegion(target);
  return region === "global" ? "https://aiplatform.googleapis.com" : `https://${region}-aiplatform.googleapis.com`;
}

export function vertexUrl(target: Target, method: VertexMethod, publisher = "google"): string {
  const version = target.apiVersion ?? "v1";
  const suffix = method === "streamGenerateContent" ? "?alt=sse" : "";
  // A full resource name (a tuned model's endpoint) is used as given.
  if (target.model.startsWith("projects/")) return `${vertexBaseUrl(target)}/${version}/${target.model}:${method}${suffix}`;
  if (!target.project) {
    throw new PortcullisError({ code: "internal", message: "vertex target needs a GCP project" });
  }
  const model = target.model.replace(/^publishers\/[^/]+\/models\//, "");
  return `${vertexBaseUrl(target)}/${version}/projects/${encodeURIComponent(target.project)}/locations/${vertexRegion(target)}` +
    `/publishers/${publisher}/models/${encodeURIComponent(model)}:${method}${suffix}`;
}

export function vertexHeaders(target: Target, stream: boolean): Record<string, string> {
  const c = target.credentials;
  let token: string;
  if (c.kind === "gcp-token") token = c.accessToken;
  else if (c.kind === "bearer") token = c.token;
  else throw new PortcullisError({ code: "internal", message: `vertex target needs a GCP access token, got "${c.kind}" credentials` });
  return {
    ...target.headers,
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    authorization: `Bearer ${token}`,
  };
}
