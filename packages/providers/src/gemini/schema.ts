/**
 * Gemini's `Schema` is an OpenAPI 3.0 subset: JSON-Schema keywords it does not
 * know (`additionalProperties`, `$schema`, `const`, type arrays) make the call
 * fail with 400 "Unknown name". This rewrites the common ones into its dialect.
 */
const dropped = new Set(["$schema", "$id", "$comment", "additionalProperties", "strict", "examples"]);
const nested = ["items", "not"] as const;
const nestedMaps = ["properties"] as const;
const nestedLists = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;

export function toGeminiSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (dropped.has(key)) continue;
    if (key === "const") {
      out.enum = [value];
    } else if (key === "type" && Array.isArray(value)) {
      const types = value.filter((t) => t !== "null");
      if (types.length !== value.length) out.nullable = true;
      out.type = types.length === 1 ? types[0] : types;
    } else if ((nested as readonly string[]).includes(key) && isObject(value)) {
      out[key] = toGeminiSchema(value);
    } else if ((nestedMaps as readonly string[]).includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? toGeminiSchema(v) : v]));
    } else if ((nestedLists as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => (isObject(v) ? toGeminiSchema(v) : v));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
