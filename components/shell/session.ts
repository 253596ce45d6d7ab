// Server side: who is signed in, for pages and layouts. The Auth.js JWT must be valid AND name a
// live server-side session (not revoked, user active), so a sign-out elsewhere ends access here.
import "server-only";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { auth } from "@/server/auth/config";
import { readSessionId } from "@/server/auth/session-cookie";
import { loadGrants, principalFromSession, type Grants, type Principal } from "@/server/iam/access";

export async function currentPrincipal(): Promise<{ principal: Principal; grants: Grants } | null> {
  const session = await auth();
  if (!session?.user) return null;
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  const sid = await readSessionId(header);
  if (!sid) return null;
  const db = getDb();
  const principal = await principalFromSession(db, sid);
  if (!principal) return null;
  return { principal, grants: await loadGrants(db, principal) };
}
