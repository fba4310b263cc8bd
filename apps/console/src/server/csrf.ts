/**
 * Cross-site request check for cookie-authenticated writes. The session cookie is
 * SameSite=Lax, so browsers already withhold it from cross-site POSTs; this refuses them
 * anyway when the browser names another origin (Origin, else Sec-Fetch-Site), which also
 * covers sibling subdomains that count as "same site".
 */
export function isCrossOrigin(headers: Headers, publicUrl: string): boolean {
  const origin = headers.get("origin");
  if (origin) return origin !== new URL(publicUrl).origin;
  const site = headers.get("sec-fetch-site");
  return site !== null && site !== "same-origin" && site !== "none";
}
