/** Who is calling, as far as the HTTP request tells: recorded on sessions and audit events. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const v = source[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Next sets `x-forwarded-for` from the socket when the client did not send one; behind a
 * reverse proxy the first entry is the client the proxy saw. Values are clipped so a
 * hostile header cannot bloat a session or audit row.
 */
export function requestMetaFrom(source: HeaderSource): RequestMeta {
  const forwarded = header(source, "x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || header(source, "x-real-ip")?.trim() || null;
  const userAgent = header(source, "user-agent")?.trim() || null;
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: userAgent ? userAgent.slice(0, 512) : null };
}
