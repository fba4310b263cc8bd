/**
 * Wire-exact Vertex AI simulator: an OAuth token endpoint (`POST /token`,
 * JWT-bearer grant verified with the service account's public key) and the
 * Gemini publisher endpoints (`generateContent`, `streamGenerateContent?alt=sse`,
 * `predict` embeddings), which require an issued, unexpired bearer token.
 */
import type { ServerResponse } from "node:http";
import { serveGenerate } from "../gemini/generate";
import { googleError, googleFaultResponse } from "../gemini/google-errors";
import { sendJson, startSimulator, type RouteContext, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { simEmbedding, simTokenCount } from "../shared/text";
import { exchangeAssertion, generateServiceAccount, type ServiceAccountJson, type SimServiceAccount } from "./oauth";

export interface VertexSimulatorOptions extends Omit<SimulatorOptions, "apiKey"> {
  /** Extra service accounts it trusts (one is always generated: `serviceAccountKey`). */
  serviceAccounts?: SimServiceAccount[];
  /** Bearer tokens accepted without the token endpoint. */
  staticTokens?: string[];
  /** When set, other projects get 403 PERMISSION_DENIED. */
  project?: string;
  /** Lifetime of issued tokens (default 3599 s, like Google). */
  tokenTtlSeconds?: number;
  now?: () => Date;
}

export interface VertexSimulatorHandle extends SimulatorHandle {
  /** `${url}/token`: the audience and `token_uri` of the generated key. */
  tokenUrl: string;
  /** A service-account key file the simulator trusts. */
  serviceAccountKey: ServiceAccountJson;
}

const unauthenticated = (res: ServerResponse, reason: string) => googleError(res, 401,
  "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com", metadata: { service: "aiplatform.googleapis.com" } }]);

export async function startVertexSimulator(opts: VertexSimulatorOptions = {}): Promise<VertexSimulatorHandle> {
  const now = opts.now ?? (() => new Date());
  const ttl = opts.tokenTtlSeconds ?? 3599;
  const issued = new Map<string, number>(); // token -> expiry (ms)
  const accounts: SimServiceAccount[] = [...(opts.serviceAccounts ?? [])];
  let tokenUrl = "";
  const faultResponse = googleFaultResponse("aiplatform.googleapis.com");

  const handle = await startSimulator({
    errorResponse: faultResponse,
    async route(ctx) {
      const { req, res, recorded } = ctx;
      if (req.method === "POST" && recorded.path === "/token") {
        const result = exchangeAssertion(new URLSearchParams(recorded.rawBody), accounts, tokenUrl, now(), ttl);
        if (!result.ok) {
          sendJson(res, result.status, { error: result.error, error_description: result.description });
          return;
        }
        issued.set(result.accessToken, now().getTime() + result.expiresIn * 1000);
        sendJson(res, 200, { access_token: result.accessToken, expires_in: result.expiresIn, token_type: "Bearer" });
        return;
      }
      const m = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent|predict)$/.exec(recorded.path);
      if (req.method !== "POST" || !m) {
        googleError(res, 404, "The requested URL was not found on this server.");
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(recorded.headers["authorization"] ?? "")?.[1];
      if (!bearer) return unauthenticated(res, "CREDENTIALS_MISSING");
      const expiry = issued.get(bearer);
      if (!opts.staticTokens?.includes(bearer) && !(expiry !== undefined && expiry > now().getTime())) {
        return unauthenticated(res, "ACCESS_TOKEN_EXPIRED");
      }
      const [, , project, location, model, method] = m as unknown as [string, string, string, string, string, string];
      if (opts.project && project !== opts.project) {
        googleError(res, 403, `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/${project}/locations/${location}/publishers/google/models/${model}' (or it may not exist).`);
        return;
      }
      if (method === "predict") {
        servePredict(ctx);
        return;
      }
      if (method === "streamGenerateContent" && recorded.query.get("alt") !== "sse") {
        googleError(res, 400, "This simulator streams only with alt=sse.");
        return;
      }
      await serveGenerate(ctx, { model: decodeURIComponent(model), stream: method === "streamGenerateContent", flavor: "vertex" });
    },
  }, opts);

  tokenUrl = `${handle.url}/token`;
  const generated = generateServiceAccount(tokenUrl, opts.project ?? "sim-project");
  accounts.push(generated.account);
  return Object.assign(handle, { tokenUrl, serviceAccountKey: generated.json });
}

function servePredict({ res, recorded }: RouteContext): void {
  const body = (recorded.body ?? {}) as { instances?: Array<{ content?: string }>; parameters?: { outputDimensionality?: number } };
  if (!Array.isArray(body.instances) || body.instances.length === 0) {
    googleError(res, 400, "List of instances is empty.");
    return;
  }
  const dims = body.parameters?.outputDimensionality ?? 8;
  sendJson(res, 200, {
    predictions: body.instances.map((i) => ({
      embeddings: { values: simEmbedding(i.content ?? "", dims), statistics: { token_count: simTokenCount(i.content ?? ""), truncated: false } },
    })),
    metadata: { billableCharacterCount: body.instances.reduce((n, i) => n + (i.content ?? "").length, 0) },
  });
}
