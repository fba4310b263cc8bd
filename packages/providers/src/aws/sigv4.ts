/**
 * AWS Signature Version 4 for request headers. Pure: the clock and the
 * credentials come in, headers go out. Follows the published algorithm:
 * canonical request -> string to sign -> HMAC chain signing key -> signature.
 */
import { createHash, createHmac } from "node:crypto";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignRequestInput {
  method: string;
  /** The URL exactly as it will be sent (path already percent-encoded once). */
  url: string;
  /** Headers to send and sign; `host` is taken from the URL. */
  headers: Record<string, string>;
  body: string | Uint8Array;
  region: string;
  service: string;
  credentials: AwsCredentials;
  now: Date;
  /** Add (and sign) `x-amz-content-sha256`. Default true; the published test suite omits it. */
  contentSha256Header?: boolean;
}

export interface SignedRequest {
  /** The input headers plus `authorization`, `x-amz-date` and the optional token/hash headers. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  signedHeaders: string;
}

const algorithm = "AWS4-HMAC-SHA256";
/** Headers a proxy or the HTTP stack may add or rewrite: never signed. */
const unsignable = new Set(["authorization", "user-agent", "content-length", "connection", "expect", "transfer-encoding", "x-amzn-trace-id"]);

export function signAwsRequest(input: SignRequestInput): SignedRequest {
  const url = new URL(input.url);
  const amzDate = formatAmzDate(input.now);
  const dateStamp = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(input.body);

  const headers: Record<string, string> = { ...input.headers, "x-amz-date": amzDate };
  if (input.contentSha256Header !== false) headers["x-amz-content-sha256"] = payloadHash;
  if (input.credentials.sessionToken) headers["x-amz-security-token"] = input.credentials.sessionToken;

  const toSign: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!unsignable.has(lower)) toSign[lower] = toSign[lower] === undefined ? value : `${toSign[lower]},${value}`;
  }
  const names = Object.keys(toSign).sort();
  const signedHeaders = names.join(";");
  const canonicalHeaders = names.map((n) => `${n}:${normalizeHeaderValue(toSign[n]!)}\n`).join("");

  const canonicalRequest = [
    input.method.toUpperCase(),
    encodeCanonicalUri(url.pathname),
    canonicalQueryString(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${dateStamp}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = [algorithm, amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = deriveSigningKey(input.credentials.secretAccessKey, dateStamp, input.region, input.service);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");

  headers.authorization =
    `${algorithm} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature, signedHeaders };
}

/** `20150830T123600Z` */
export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function deriveSigningKey(secret: string, dateStamp: string, region: string, service: string): Buffer {
  const kDate = createHmac("sha256", `AWS4${secret}`).update(dateStamp, "utf8").digest();
  const kRegion = createHmac("sha256", kDate).update(region, "utf8").digest();
  const kService = createHmac("sha256", kRegion).update(service, "utf8").digest();
  return createHmac("sha256", kService).update("aws4_request", "utf8").digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ becomes %XX. */
export function uriEncode(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The canonical URI for every service but S3: each segment of the path as sent
 * is encoded once more. A Bedrock model id `a.b-v1:0` travels as `a.b-v1%3A0`
 * and is signed as `a.b-v1%253A0`, which is what the service recomputes.
 */
export function encodeCanonicalUri(path: string): string {
  if (path === "") return "/";
  return path.split("/").map(uriEncode).join("/");
}

/** Query parameters decoded, re-encoded strictly, sorted by name then value. */
export function canonicalQueryString(search: string): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return "";
  const pairs = query.split("&").filter((p) => p !== "").map((p) => {
    const eq = p.indexOf("=");
    const name = eq === -1 ? p : p.slice(0, eq);
    const value = eq === -1 ? "" : p.slice(eq + 1);
    return [uriEncode(safeDecode(name)), uriEncode(safeDecode(value))] as const;
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function normalizeHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}
