/**
 * Server-side SigV4 check, as bedrock-runtime does it: rebuild the canonical
 * request from what arrived (path re-encoded once more, as for every service
 * but S3), derive the key from the configured secret, compare signatures.
 * Independent of the providers' signer on purpose.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface AwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type SigV4Result =
  | { ok: true; region: string; service: string }
  | { ok: false; type: string; message: string };

const encode = (s: string) =>
  Array.from(Buffer.from(s, "utf8")).map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

export function verifySigV4(req: IncomingMessage, body: Buffer, keys: AwsKey[], now: Date, maxSkewMinutes = 15): SigV4Result {
  const auth = header(req, "authorization");
  if (!auth) return { ok: false, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) {
    return { ok: false, type: "IncompleteSignatureException", message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${auth.split(" ")[0]}` };
  }
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return { ok: false, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  if (key.sessionToken !== undefined && header(req, "x-amz-security-token") !== key.sessionToken) {
    return { ok: false, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  const amzDate = header(req, "x-amz-date") ?? "";
  const at = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (!Number.isFinite(at) || !amzDate.startsWith(date)) {
    return { ok: false, type: "InvalidSignatureException", message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP." };
  }
  if (Math.abs(now.getTime() - at) > maxSkewMinutes * 60_000) {
    return { ok: false, type: "InvalidSignatureException", message: `Signature expired: ${amzDate} is now earlier than the allowed skew of ${maxSkewMinutes} minutes.` };
  }
  const names = signedHeaders.split(";");
  if (!names.includes("host")) return { ok: false, type: "InvalidSignatureException", message: "'Host' must be a signed header." };
  const payloadHash = sha256(body);
  const claimed = header(req, "x-amz-content-sha256");
  if (claimed !== undefined && claimed !== payloadHash && claimed !== "UNSIGNED-PAYLOAD") {
    return { ok: false, type: "InvalidSignatureException", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split("?", 2) as [string?, string?];
  const canonicalUri = rawPath.split("/").map(encode).join("/");
  const canonicalQuery = rawQuery.split("&").filter(Boolean)
    .map((p) => p.split("=", 2).map((x) => encode(decodeURIComponent(x ?? ""))) as [string, string?])
    .map(([k, v]) => `${k}=${v ?? ""}`).sort().join("&");
  const canonicalHeaders = names.map((n) => `${n}:${(header(req, n) ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return {
      ok: false,
      type: "InvalidSignatureException",
      message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
        `Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'${stringToSign}'\n`,
    };
  }
  return { ok: true, region, service };
}
