// Server-side sessions: the cookie carries only the id of a row here.
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { sessions } from "@/db/schema";
import { newSessionId } from "@/server/iam/tokens";

export const SESSION_TTL_S = 12 * 60 * 60;

export async function createSession(
  db: DbOrTx,
  userId: string,
  ip: string | null,
  userAgent: string | null,
): Promise<string> {
  const id = newSessionId();
  await db.insert(sessions).values({
    id,
    userId,
    ip,
    userAgent,
    expiresAt: new Date(Date.now() + SESSION_TTL_S * 1000),
  });
  return id;
}

export async function revokeSession(db: DbOrTx, id: string): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, id));
}
