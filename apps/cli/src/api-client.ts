import type { CliEnv } from "./env";

/** Where a running install's management API is, and the admin API token (`pca_…`) to call it with. */
export interface ApiTarget {
  url: string;
  token: string;
}

/** `--url` / `--token`, overriding PORTCULLIS_URL / PORTCULLIS_API_TOKEN. */
export interface ApiFlags {
  url?: string;
  token?: string;
}

/** A refusal or failure of the management API, with its HTTP status and error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly request: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Client mode when a console URL and a token are given (flags first, then the environment);
 * null means the command works on the database directly. One without the other is a mistake.
 */
export function apiTargetOf(flags: ApiFlags, env: Pick<CliEnv, "PORTCULLIS_URL" | "PORTCULLIS_API_TOKEN">): ApiTarget | null {
  const url = flags.url ?? env.PORTCULLIS_URL;
  const token = flags.token ?? env.PORTCULLIS_API_TOKEN;
  if (!url && !token) return null;
  if (!url) throw new Error("an API token is set but no console URL: set PORTCULLIS_URL or pass --url");
  if (!token) throw new Error("a console URL is set but no API token: set PORTCULLIS_API_TOKEN or pass --token (create one in Settings > Service accounts, or with `portcullis bootstrap --api-token`)");
  if (!/^https?:\/\//.test(url)) throw new Error(`invalid console URL "${url}": use e.g. https://portcullis.example.com`);
  return { url: url.replace(/\/+$/, ""), token };
}

export interface ApiClient {
  target: ApiTarget;
  request<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T>;
}

/** Calls `/api/v1` of the console with the bearer token; any non-2xx answer becomes an ApiError. */
export function createApiClient(target: ApiTarget, fetchImpl: typeof fetch = fetch): ApiClient {
  return {
    target,
    async request<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
      const url = `${target.url}/api/v1${path}`;
      const what = `${method} /api/v1${path.split("?")[0]}`;
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method,
          headers: { authorization: `Bearer ${target.token}`, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new ApiError(0, "UNREACHABLE", `cannot reach the console at ${target.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, what);
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        throw new ApiError(res.status, "BAD_RESPONSE", `the answer is not JSON (${res.headers.get("content-type") ?? "no content type"}): is ${target.url} the console's base URL?`, what);
      }
      if (!res.ok) {
        const err = (parsed as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | null)?.error;
        throw new ApiError(res.status, err?.code ?? "HTTP_ERROR", err?.message ?? res.statusText, what, err?.issues ?? []);
      }
      return parsed as T;
    },
  };
}

/** `API 403 FORBIDDEN on POST /api/v1/…: Missing permission: …`, with one line per invalid field. */
export function formatApiError(e: ApiError): string {
  const status = e.status ? `${e.status} ${e.code}` : e.code;
  return [`API ${status} on ${e.request}: ${e.message}`, ...e.issues.map((i) => `  ${i.path || "(body)"}: ${i.message}`)].join("\n");
}

/** Runs a client-mode command: API errors are printed clearly and exit 1. */
export async function runWithApi(target: ApiTarget, run: (client: ApiClient) => Promise<number>, fetchImpl?: typeof fetch): Promise<number> {
  try {
    return await run(createApiClient(target, fetchImpl));
  } catch (e) {
    if (e instanceof ApiError) {
      console.error(`error: ${formatApiError(e)}`);
      return 1;
    }
    throw e;
  }
}
