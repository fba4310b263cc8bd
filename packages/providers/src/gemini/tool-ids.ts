/**
 * Gemini 3 signs each step's function calls (`thoughtSignature`) and rejects a
 * replayed call without its signature. OpenAI clients echo tool-call ids back
 * verbatim, so the signature rides inside the id, base64url-encoded to stay in
 * the [A-Za-z0-9_-] alphabet every client accepts.
 */
const separator = "__sig__";

/** Google's documented placeholder for a replayed call whose signature was lost. */
export const skipSignatureValidator = "skip_thought_signature_validator";

export function toolCallId(base: string, signature?: string): string {
  if (!signature) return base;
  const b64url = signature.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${base}${separator}${b64url}`;
}

export function splitToolCallId(id: string): { base: string; signature?: string } {
  const at = id.indexOf(separator);
  if (at === -1) return { base: id };
  const b64url = id.slice(at + separator.length);
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
  return { base: id.slice(0, at), signature: b64 + "=".repeat((4 - (b64.length % 4)) % 4) };
}

/** Models that enforce signatures on replayed function calls. */
export function requiresThoughtSignatures(model: string): boolean {
  return /(^|\/)gemini-3/.test(model);
}
