// Token validation as keystonemiddleware does it in front of every service, plus the helpers that
// turn a token into a request scope (project, roles, admin) for the service modules.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { SimCore } from "./core";
import { ApiError, header } from "./http";
import type { SimRequest } from "./http";
import type { IdentityState, Role, Token, TokenScope, User } from "./model";

export interface AuthContext {
  token: Token;
  user: User;
  projectId: string | null;
  domainId: string | null;
  roles: Role[];
  isAdmin: boolean;
}

/** Keystone's default implied roles (set by keystone-manage bootstrap): admin ⊃ member ⊃ reader. */
const IMPLIES: Record<string, string[]> = { admin: ["member"], member: ["reader"] };

export function hashSecret(secret: string): string {
  const salt = randomBytes(8).toString("hex");
  return `sha256$${salt}$${createHash("sha256")
    .update(salt + secret)
    .digest("hex")}`;
}

export function checkSecret(secret: string, stored: string | undefined): boolean {
  if (!stored) return false;
  const [, salt, digest] = stored.split("$");
  if (salt === undefined || digest === undefined) return false;
  const actual = Buffer.from(
    createHash("sha256")
      .update(salt + secret)
      .digest("hex"),
  );
  const expected = Buffer.from(digest);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function expandRoleNames(direct: Iterable<string>): Set<string> {
  const names = new Set([...direct].filter((n) => n.length > 0));
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    for (const implied of IMPLIES[name] ?? []) {
      if (!names.has(implied)) {
        names.add(implied);
        queue.push(implied);
      }
    }
  }
  return names;
}

/** Roles of a user on a scope, with implied roles expanded, ordered like Keystone (by name). */
export function rolesOnScope(identity: IdentityState, userId: string, scope: TokenScope): Role[] {
  const direct = identity.assignments.filter((a) => {
    if (a.userId !== userId) return false;
    if (scope.kind === "project") return a.projectId === scope.projectId;
    if (scope.kind === "domain") return a.domainId === scope.domainId;
    return false;
  });
  const ids = new Set<string>();
  for (const a of direct) ids.add(a.roleId);
  // System scope: the admin role on the admin project stands in for a system role assignment.
  if (scope.kind === "system") {
    const adminRole = Object.values(identity.roles).find((r) => r.name === "admin");
    const has = identity.assignments.some((a) => a.userId === userId && a.roleId === adminRole?.id);
    if (has && adminRole) ids.add(adminRole.id);
  }
  const names = expandRoleNames([...ids].map((id) => identity.roles[id]?.name ?? ""));
  return Object.values(identity.roles)
    .filter((r) => names.has(r.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Effective roles carried by a token: application credentials narrow them to their own list. */
export function tokenRoles(identity: IdentityState, token: Token): Role[] {
  const roles = rolesOnScope(identity, token.userId, token.scope);
  if (token.appCredId === null) return roles;
  const cred = identity.appCreds[token.appCredId];
  if (!cred) return [];
  const allowed = expandRoleNames(cred.roleIds.map((id) => identity.roles[id]?.name ?? ""));
  return roles.filter((r) => allowed.has(r.name));
}

/** Resolves a token id to a live context, or null when Keystone would call it invalid. */
export function resolveToken(core: SimCore, tokenId: string): AuthContext | null {
  const identity = core.store.state.identity;
  const token = identity.tokens[tokenId];
  if (!token || token.revoked || token.expiresAt <= Date.now()) return null;
  const user = identity.users[token.userId];
  if (!user?.enabled) return null;
  const domain = identity.domains[user.domain_id];
  if (!domain?.enabled) return null;
  if (token.appCredId !== null) {
    const cred = identity.appCreds[token.appCredId];
    if (!cred || (cred.expiresAt !== null && cred.expiresAt <= Date.now())) return null;
  }
  let projectId: string | null = null;
  let domainId: string | null = null;
  if (token.scope.kind === "project") {
    const project = identity.projects[token.scope.projectId];
    if (!project?.enabled) return null;
    projectId = project.id;
  } else if (token.scope.kind === "domain") {
    const scoped = identity.domains[token.scope.domainId];
    if (!scoped?.enabled) return null;
    domainId = scoped.id;
  }
  const roles = tokenRoles(identity, token);
  // A scoped token whose roles were all revoked no longer validates.
  if (token.scope.kind !== "unscoped" && roles.length === 0) return null;
  return { token, user, projectId, domainId, roles, isAdmin: roles.some((r) => r.name === "admin") };
}

/** keystonemiddleware: every service call needs a valid X-Auth-Token. */
export function requireAuth(core: SimCore, req: SimRequest): AuthContext {
  const tokenId = header(req, "x-auth-token");
  const ctx = tokenId ? resolveToken(core, tokenId) : null;
  if (!ctx)
    throw new ApiError(401, "The request you have made requires authentication.", "keystonemiddleware");
  return ctx;
}

export function pruneExpiredTokens(identity: IdentityState): void {
  // Keep revoked/expired tokens an hour so validation can still answer "not found" cleanly.
  const horizon = Date.now() - 3600_000;
  for (const [id, token] of Object.entries(identity.tokens)) {
    if (token.expiresAt < horizon) delete identity.tokens[id];
  }
}
