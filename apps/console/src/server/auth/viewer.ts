import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { cache } from "react";
import { getEnv } from "../env";
import { getPrisma } from "../services";
import { loadViewer, type Viewer } from "./console-sessions";
import { sessionCookie } from "./cookies";

type CookieJar = { get(name: string): { value: string } | undefined; getAll(): { name: string; value: string }[] };

/** next-auth splits a token over `name.0`, `name.1`... once it passes ~4 kB; join the parts back. */
function readSessionCookie(jar: CookieJar, name: string): string | undefined {
  const whole = jar.get(name)?.value;
  if (whole) return whole;
  const parts = jar
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .map((c) => ({ index: Number(c.name.slice(name.length + 1)), value: c.value }))
    .filter((c) => Number.isInteger(c.index))
    .sort((a, b) => a.index - b.index);
  return parts.length > 0 ? parts.map((p) => p.value).join("") : undefined;
}

/** The session id named by a request's cookies, if the JWT verifies. */
export async function sessionIdFromCookies(jar: CookieJar): Promise<string | null> {
  const env = getEnv();
  const raw = readSessionCookie(jar, sessionCookie(env.NEXTAUTH_URL).name);
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: env.NEXTAUTH_SECRET });
    return typeof token?.sid === "string" ? token.sid : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in viewer of this request, or null. Checks the session row every time
 * (revocation, expiry, disabled user); memoised per request by React's cache().
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const sid = await sessionIdFromCookies(await cookies());
  return sid ? loadViewer(getPrisma(), sid) : null;
});
