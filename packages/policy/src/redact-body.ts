/**
 * Redaction and capping of request/response bodies before they are logged. Pure: data in, data
 * out. Two passes: values under credential-like field names are replaced whole, and every string
 * is scanned for credentials in free text (a key pasted into a prompt, a header echoed by a tool).
 * Redaction runs before the cap, so a cut can never expose part of a secret it would have hidden.
 */

export const redactedMarker = "[REDACTED]";

/** Field names whose string values are credentials whatever they look like. */
const secretFieldName =
  /^(?:password|passwd|pwd|pass|passphrase|secret|client[_-]?secret|api[_-]?key|x[_-]api[_-]key|apikey|authorization|proxy[_-]authorization|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|session[_-]?token|bearer[_-]?token|private[_-]?key|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?access[_-]?key|aws[_-]?session[_-]?token|cookie|set[_-]cookie|credentials?)$/i;

interface Rule {
  name: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const tag = (name: string) => `[REDACTED:${name}]`;
const whole = (name: string): Rule["replace"] => () => tag(name);
const fieldNames = "password|passwd|pwd|passphrase|secret|client_secret|api_key|apikey|api-key|access_token|refresh_token|auth_token|token|private_key|aws_secret_access_key|secret_access_key";

/** Ordered: the more specific vendor formats before the generic ones that would also match them. */
const rules: Rule[] = [
  // A PEM private key block, or its beginning when the text was cut inside it.
  { name: "private_key", pattern: /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g, replace: whole("private_key") },
  { name: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, replace: whole("jwt") },
  // A credential after an auth scheme; it must hold a digit so that prose ("Basic understanding") stays.
  { name: "bearer", pattern: /\b(Bearer|Basic)(\s+)(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{12,}=*/gi, replace: (_m, scheme, space) => `${scheme}${space}${redactedMarker}` },
  { name: "portcullis_key", pattern: /\bpck_[A-Za-z0-9]{16,}/g, replace: whole("portcullis_key") },
  { name: "anthropic_key", pattern: /\bsk-ant-[A-Za-z0-9_-]{10,}/g, replace: whole("anthropic_key") },
  { name: "openai_key", pattern: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{16,}/g, replace: whole("openai_key") },
  { name: "aws_access_key", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g, replace: whole("aws_access_key") },
  {
    name: "aws_secret_key",
    pattern: /\b(aws_secret_access_key|secret_access_key|secretaccesskey|aws_secret_key)(["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    replace: (_m, name, sep) => `${name}${sep}${tag("aws_secret_key")}`,
  },
  { name: "google_api_key", pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replace: whole("google_api_key") },
  { name: "github_token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g, replace: whole("github_token") },
  { name: "slack_token", pattern: /\bxox[abprse]-[A-Za-z0-9-]{10,}/g, replace: whole("slack_token") },
  { name: "stripe_key", pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: whole("stripe_key") },
  { name: "groq_key", pattern: /\bgsk_[A-Za-z0-9]{20,}/g, replace: whole("groq_key") },
  { name: "xai_key", pattern: /\bxai-[A-Za-z0-9]{20,}/g, replace: whole("xai_key") },
  { name: "huggingface_token", pattern: /\bhf_[A-Za-z0-9]{30,}/g, replace: whole("huggingface_token") },
  // user:password@ in a connection string.
  { name: "url_password", pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi, replace: (_m, head) => `${head}${redactedMarker}@` },
  // "password": "…" inside text that carries JSON (a tool result, a pasted config).
  {
    name: "json_field",
    pattern: new RegExp(`("(?:${fieldNames})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)"`, "gi"),
    replace: (_m, head) => `${head}${redactedMarker}"`,
  },
  // password=…, api_key: … in query strings, env files, logs.
  {
    name: "assignment",
    pattern: new RegExp(`\\b(${fieldNames})(\\s*[=:]\\s*)(?!\\[REDACTED)(['"]?)[^\\s'"&,;]+\\3`, "gi"),
    replace: (_m, name, sep, quote) => `${name}${sep}${quote}${redactedMarker}${quote}`,
  },
];

/** Replaces every credential found in free text. */
export function redactText(text: string): string {
  let out = text;
  for (const rule of rules) out = out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return out;
}

/** A deep copy of a JSON value with credentials redacted (field names and free text). */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = secretFieldName.test(k) && (typeof v === "string" || typeof v === "number") && v !== "" ? redactedMarker : redactValue(v);
    }
    return out;
  }
  return value;
}

/** What a body over the cap is stored as: the start of its (redacted) JSON text, and how much there was. */
export interface TruncatedBody {
  truncated: true;
  /** Size of the whole redacted body as JSON, in UTF-8 bytes. */
  originalBytes: number;
  /** The first part of that JSON text, ending with the truncation marker. */
  text: string;
}

const encoder = new TextEncoder();
const utf8Bytes = (s: string) => encoder.encode(s).length;
export const truncationMarker = "…[TRUNCATED]";

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
function cutUtf8(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const bytes = encoder.encode(s);
  if (bytes.length <= maxBytes) return s;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * Redacts a body and caps it: the result, written as JSON, is at most `maxBytes` UTF-8 bytes. A
 * body that fits is kept as structured JSON; one that does not becomes a {@link TruncatedBody}.
 */
export function redactAndCapBody(value: unknown, maxBytes: number): unknown {
  const redacted = redactValue(value);
  const json = JSON.stringify(redacted) ?? "null";
  const size = utf8Bytes(json);
  if (size <= maxBytes) return redacted;
  const wrap = (text: string): TruncatedBody => ({ truncated: true, originalBytes: size, text });
  const overhead = utf8Bytes(JSON.stringify(wrap(truncationMarker)));
  // JSON escaping (quotes, backslashes, control characters) makes the stored text longer than the
  // prefix taken; shrink the prefix until the whole record fits.
  let budget = maxBytes - overhead;
  for (;;) {
    const candidate = wrap(cutUtf8(json, budget) + truncationMarker);
    const written = utf8Bytes(JSON.stringify(candidate));
    if (written <= maxBytes || budget <= 0) return budget <= 0 ? wrap(truncationMarker) : candidate;
    budget -= written - maxBytes;
  }
}
