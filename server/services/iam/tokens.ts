// API tokens: issued once (the secret is returned, only its hash kept), listed, revoked. A token
// may be limited to one project the owner can see; every create and revoke is audited.
import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { apiTokens, organizations, projects } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { canSeeProject, type Grants, type Principal } from "@/server/iam/access";
import { newToken } from "@/server/iam/tokens";

/** Enough for every CLI, CI pipeline and script of one person; more is usually forgotten tokens. */
export const MAX_ACTIVE_TOKENS = 50;

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

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  project: { id: string; slug: string; name: string; orgSlug: string; orgName: string } | null;
  expiresAt: Date;
  expired: boolean;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** The caller's tokens that are not revoked, newest first (expired ones too, marked). */
export async function listApiTokens(db: DbOrTx, userId: string): Promise<TokenView[]> {
  const rows = await db
    .select({
      token: apiTokens,
      projectSlug: projects.slug,
      projectName: projects.name,
      orgSlug: organizations.slug,
      orgName: organizations.name,
    })
    .from(apiTokens)
    .leftJoin(projects, eq(projects.id, apiTokens.projectId))
    .leftJoin(organizations, eq(organizations.id, apiTokens.orgId))
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  const now = Date.now();
  return rows.map(({ token: t, ...r }) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    project:
      t.projectId && r.projectSlug
        ? {
            id: t.projectId,
            slug: r.projectSlug,
            name: r.projectName ?? r.projectSlug,
            orgSlug: r.orgSlug ?? "",
            orgName: r.orgName ?? "",
          }
        : null,
    expiresAt: t.expiresAt,
    expired: t.expiresAt.getTime() <= now,
    lastUsedAt: t.lastUsedAt,
    createdAt: t.createdAt,
  }));
}

export async function createApiToken(
  tx: Tx,
  actor: Actor,
  principal: Principal,
  grants: Grants,
  input: { name: string; expiresInDays: number; projectId?: string | null },
): Promise<{ token: string; view: TokenView }> {
  let project: { id: string; orgId: string; slug: string } | null = null;
  if (input.projectId) {
    const [row] = await tx
      .select({ id: projects.id, orgId: projects.orgId, slug: projects.slug })
      .from(projects)
      .where(eq(projects.id, input.projectId));
    if (!row || !canSeeProject(grants, row.orgId, row.id))
      throw new AppError("NOT_FOUND", `Project ${input.projectId} not found`, { field: "projectId" });
    project = row;
  }
  // A token limited to a project must not mint a wider one.
  if (principal.tokenProjectId && project?.id !== principal.tokenProjectId)
    throw new AppError(
      "FORBIDDEN",
      "This API token is limited to one project: it can only create tokens for that same project",
      { field: "projectId" },
    );
  const [active] = await tx
    .select({ n: count() })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.userId, principal.userId),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, new Date()),
      ),
    );
  if ((active?.n ?? 0) >= MAX_ACTIVE_TOKENS)
    throw new AppError(
      "CONFLICT",
      `You already have ${MAX_ACTIVE_TOKENS} active API tokens: revoke the ones you no longer use first`,
    );
  const issued = await issueApiToken(tx, principal.userId, {
    name: input.name,
    expiresInDays: input.expiresInDays,
    orgId: project?.orgId ?? null,
    projectId: project?.id ?? null,
  });
  await writeAudit(tx, actor, {
    action: "iam.token.create",
    orgId: project?.orgId ?? null,
    projectId: project?.id ?? null,
    target: { kind: "api-token", id: issued.id, name: input.name },
    data: {
      prefix: issued.prefix,
      expiresAt: issued.expiresAt.toISOString(),
      scope: project ? `project:${project.slug}` : "user",
    },
  });
  const [view] = (await listApiTokens(tx, principal.userId)).filter((t) => t.id === issued.id);
  return { token: issued.token, view: view! };
}

export async function revokeApiToken(
  tx: Tx,
  actor: Actor,
  userId: string,
  id: string,
): Promise<{ id: string; name: string }> {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", `API token ${id} not found`);
  await writeAudit(tx, actor, {
    action: "iam.token.revoke",
    orgId: row.orgId,
    projectId: row.projectId,
    target: { kind: "api-token", id: row.id, name: row.name },
    data: { prefix: row.prefix },
  });
  return { id: row.id, name: row.name };
}
