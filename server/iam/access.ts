// Resolves who is calling and what they may do, from Postgres on every request: a role change
// or suspension applies on the next request, without re-login.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiTokens, memberships, projects, roleBindings, roles, sessions, users } from "@/db/schema";
import { hashToken } from "./tokens";
import { isPermission, type Permission, type Scope } from "./permissions";

export interface Principal {
  userId: string;
  email: string;
  name: string;
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
  /** A token may be limited to one project: it then acts there and nowhere else. */
  tokenProjectId?: string | null;
}

export interface Grants {
  platform: Set<Permission>;
  orgs: Map<string, Set<Permission>>;
  projects: Map<string, { orgId: string; permissions: Set<Permission> }>;
  memberOf: Set<string>;
}

export async function principalFromToken(db: DbOrTx, raw: string): Promise<Principal | null> {
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.hash, hashToken(raw)),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!row || row.user.status !== "active") return null;
  // Best effort and not awaited by the caller's transaction: last use is informative only.
  void db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(eq(apiTokens.id, row.token.id))
    .catch(() => undefined);
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    via: "token",
    tokenId: row.token.id,
    tokenProjectId: row.token.projectId,
  };
}

export async function principalFromSession(db: DbOrTx, sessionId: string): Promise<Principal | null> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.user.status !== "active") return null;
  return { userId: row.user.id, email: row.user.email, name: row.user.name, via: "session", sessionId };
}

export async function loadGrants(db: DbOrTx, principal: Principal): Promise<Grants> {
  const [bindings, member] = await Promise.all([
    db
      .select({
        scopeType: roleBindings.scopeType,
        orgId: roleBindings.orgId,
        projectId: roleBindings.projectId,
        permissions: roles.permissions,
      })
      .from(roleBindings)
      .innerJoin(roles, eq(roles.id, roleBindings.roleId))
      .where(eq(roleBindings.userId, principal.userId)),
    db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, principal.userId)),
  ]);
  const grants: Grants = { platform: new Set(), orgs: new Map(), projects: new Map(), memberOf: new Set() };
  for (const m of member) grants.memberOf.add(m.orgId);
  for (const b of bindings) {
    const perms = b.permissions.filter(isPermission);
    if (b.scopeType === "platform") perms.forEach((p) => grants.platform.add(p));
    else if (b.scopeType === "org" && b.orgId) {
      const set = grants.orgs.get(b.orgId) ?? new Set<Permission>();
      perms.forEach((p) => set.add(p));
      grants.orgs.set(b.orgId, set);
    } else if (b.scopeType === "project" && b.projectId && b.orgId) {
      const entry = grants.projects.get(b.projectId) ?? {
        orgId: b.orgId,
        permissions: new Set<Permission>(),
      };
      perms.forEach((p) => entry.permissions.add(p));
      grants.projects.set(b.projectId, entry);
    }
  }
  if (principal.tokenProjectId) {
    // Org-level holders have no project entry: the project's organisation comes from its row.
    const [project] = await db
      .select({ orgId: projects.orgId })
      .from(projects)
      .where(eq(projects.id, principal.tokenProjectId));
    return restrictToProject(grants, principal.tokenProjectId, project?.orgId);
  }
  return grants;
}

/** A project-scoped token keeps only what the user holds in that one project. */
function restrictToProject(grants: Grants, projectId: string, projectOrgId: string | undefined): Grants {
  const entry = grants.projects.get(projectId);
  const orgId = entry?.orgId ?? projectOrgId;
  const inherited = new Set<Permission>([
    ...grants.platform,
    ...(orgId ? (grants.orgs.get(orgId) ?? []) : []),
  ]);
  const permissions = new Set<Permission>([...(entry?.permissions ?? []), ...inherited]);
  const projects = new Map<string, { orgId: string; permissions: Set<Permission> }>();
  const kept = new Set([...permissions].filter((p) => projectLevel(p)));
  // Nothing held there any more (removed from the org): the token sees nothing, not even the project.
  if (orgId && kept.size > 0) projects.set(projectId, { orgId, permissions: kept });
  return { platform: new Set(), orgs: new Map(), projects, memberOf: grants.memberOf };
}

const projectLevel = (p: Permission) => !p.startsWith("platform.");

export interface ScopeRef {
  orgId?: string;
  projectId?: string;
}

/** The permissions effective at a scope: platform grants apply everywhere, org grants to the org's projects. */
export function effectivePermissions(grants: Grants, scope: ScopeRef): Set<Permission> {
  const out = new Set<Permission>(grants.platform);
  if (scope.orgId) grants.orgs.get(scope.orgId)?.forEach((p) => out.add(p));
  if (scope.projectId) {
    const entry = grants.projects.get(scope.projectId);
    if (entry && (!scope.orgId || entry.orgId === scope.orgId)) entry.permissions.forEach((p) => out.add(p));
  }
  return out;
}

export function can(grants: Grants, permission: Permission, scope: ScopeRef): boolean {
  return effectivePermissions(grants, scope).has(permission);
}

/** May the principal know this organisation exists? Others get NOT_FOUND, like a missing one. */
export function canSeeOrg(grants: Grants, orgId: string): boolean {
  if (grants.platform.size > 0) return true;
  if (grants.orgs.has(orgId)) return true;
  for (const p of grants.projects.values()) if (p.orgId === orgId) return true;
  return false;
}

/** May the principal know this project exists? */
export function canSeeProject(grants: Grants, orgId: string, projectId: string): boolean {
  if (grants.platform.size > 0) return true;
  if ((grants.orgs.get(orgId)?.size ?? 0) > 0) return true;
  return grants.projects.has(projectId);
}

/** Has the principal any role in a project of this org (e.g. to list the projects one works in)? */
export function worksInOrgProjects(grants: Grants, orgId: string): boolean {
  for (const p of grants.projects.values()) if (p.orgId === orgId && p.permissions.size > 0) return true;
  return false;
}

export function scopeOf(scope: ScopeRef): Scope {
  return scope.projectId ? "project" : scope.orgId ? "org" : "platform";
}
