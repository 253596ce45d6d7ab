// API tokens: issued once (the secret is returned, only its hash kept), listed, revoked.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { newToken } from "@/server/iam/tokens";

export async function issueApiToken(
  db: DbOrTx,
  userId: string,
  opts: { name: string; expiresInDays: number; orgId?: string | null; projectId?: string | null },
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date }> {
  const { token, prefix, hash } = newToken();
  const expiresAt = new Date(Date.now() + opts.expiresInDays * 86_400_000);
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name: opts.name,
      prefix,
      hash,
      expiresAt,
      orgId: opts.orgId ?? null,
      projectId: opts.projectId ?? null,
    })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token, prefix, expiresAt };
}

export async function listApiTokens(db: DbOrTx, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      orgId: apiTokens.orgId,
      projectId: apiTokens.projectId,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(
  db: DbOrTx,
  userId: string,
  id: string,
): Promise<{ name: string } | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ name: apiTokens.name });
  return row ?? null;
}
