// Reads the Auth.js session cookie outside Next (the API runs in the custom server): the JWT
// only names a server-side session row, so sign-out and suspension take effect at once.
import { decode } from "next-auth/jwt";
import { env } from "@/server/env";

export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out.set(k, decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      out.set(k, part.slice(i + 1).trim());
    }
  }
  return out;
}

export async function readSessionId(cookieHeader: string | undefined): Promise<string | null> {
  if (!env.AUTH_SECRET) return null;
  const cookies = parseCookies(cookieHeader);
  for (const name of SESSION_COOKIES) {
    const value = cookies.get(name);
    if (!value) continue;
    try {
      const payload = await decode<{ sid?: unknown }>({ token: value, secret: env.AUTH_SECRET, salt: name });
      if (payload && typeof payload.sid === "string") return payload.sid;
    } catch {
      return null;
    }
  }
  return null;
}
