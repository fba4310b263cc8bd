/**
 * Session cookie settings, shared by next-auth (which sets the cookie) and the viewer
 * lookup (which reads it). httpOnly so scripts never see it, SameSite=Lax so other
 * sites cannot ride it on a POST, Secure (and the __Secure- prefix) behind https.
 */
export function sessionCookie(publicUrl: string) {
  const secure = new URL(publicUrl).protocol === "https:";
  return {
    secure,
    name: secure ? "__Secure-portcullis.session-token" : "portcullis.session-token",
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}
