// The rules every IAM change shares: who may assign which role where (no escalation), and the
// organisation never losing its last active admin. Checked inside the caller's transaction.
import { and, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { organizations, roleBindings, roles, users } from "@/db/schema";
import { AppError } from "@/server/errors";
import { can, effectivePermissions, type Grants } from "@/server/iam/access";
import { isPermission, permissionCatalog, type Permission } from "@/server/iam/permissions";

export type RoleRow = typeof roles.$inferSelect;
export type BindingScope = { orgId: string; projectId?: string | null };

export const ORG_ADMIN_ROLE = "org-admin";

/** "in organisation acme" / "in project web": the words errors use for a scope. */
export function scopeWords(org: { slug: string }, project?: { slug: string } | null): string {
  return project ? `in project ${project.slug}` : `in organisation ${org.slug}`;
}

/** Serialises IAM changes of one organisation, so two admins cannot each remove the other. */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .for("update");
}

/** Users who are active and hold the system org-admin role at organisation scope. */
export async function activeOrgAdmins(db: DbOrTx, orgId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: roleBindings.userId })
    .from(roleBindings)
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .where(
      and(
        eq(roleBindings.orgId, orgId),
        eq(roleBindings.scopeType, "org"),
        eq(roles.key, ORG_ADMIN_ROLE),
        eq(roles.isSystem, true),
        eq(users.status, "active"),
      ),
    );
  return rows.map((r) => r.userId);
}

/** Refuses a change that would leave the organisation without an active admin. */
export async function assertNotLastAdmin(
  tx: Tx,
  org: { id: string; slug: string },
  user: { id: string; email: string },
  change: string,
): Promise<void> {
  const admins = await activeOrgAdmins(tx, org.id);
  if (admins.length === 1 && admins[0] === user.id) {
    throw new AppError(
      "CONFLICT",
      `${user.email} is the last organisation admin of ${org.slug}: make someone else an admin before you ${change}`,
      { details: { reason: "last-admin" } },
    );
  }
}

/**
 * For organisation procedures that project-level users may call (meta.anyProject): the ladder
 * lets anyone working in the org's projects through, so the permission is checked here, held
 * at organisation scope or in at least one project.
 */
export function assertHeldSomewhere(grants: Grants, permission: Permission, orgId: string): void {
  if (can(grants, permission, { orgId })) return;
  for (const p of grants.projects.values()) if (p.orgId === orgId && p.permissions.has(permission)) return;
  throw new AppError("FORBIDDEN", `You do not have the permission ${permission} here`, {
    details: { permission },
  });
}

/** The catalogue permissions of a role (stale strings from an older catalogue are ignored). */
export function rolePermissions(role: Pick<RoleRow, "permissions">): Permission[] {
  return role.permissions.filter(isPermission);
}

function listMissing(missing: string[]): string {
  const shown = missing.slice(0, 6).join(", ");
  return missing.length > 6 ? `${shown} and ${missing.length - 6} more` : shown;
}

/**
 * Assigning a role needs iam.rolebinding.create at the scope AND every permission of the role
 * there: nobody hands out more than they hold. Platform roles are not assigned through tenants.
 */
export function assertCanAssign(grants: Grants, role: RoleRow, scope: BindingScope, where: string): void {
  const s = { orgId: scope.orgId, projectId: scope.projectId ?? undefined };
  if (!can(grants, "iam.rolebinding.create", s)) {
    throw new AppError("FORBIDDEN", `You do not have the permission iam.rolebinding.create ${where}`, {
      details: { permission: "iam.rolebinding.create" },
    });
  }
  const scopeType = scope.projectId ? "project" : "org";
  if (role.scopes.includes("platform")) {
    throw new AppError(
      "FORBIDDEN",
      `${role.name} is a platform role: only platform operators assign it, and not to an organisation`,
      { field: "role" },
    );
  }
  if (!role.scopes.includes(scopeType)) {
    const allowed = role.scopes.map((s) => (s === "org" ? "organisation" : s)).join(" or ");
    throw new AppError("INVALID_INPUT", `role: ${role.name} can only be assigned at ${allowed} scope`, {
      field: "role",
    });
  }
  const held = effectivePermissions(grants, s);
  const missing = rolePermissions(role).filter((p) => !held.has(p));
  if (missing.length > 0) {
    throw new AppError(
      "FORBIDDEN",
      `You cannot assign ${role.name} ${where}: it grants permissions you do not hold there: ${listMissing(missing)}`,
      { details: { missing } },
    );
  }
}

/** A custom role may only contain permissions its author holds at organisation scope. */
export function assertCanGrantPermissions(grants: Grants, orgId: string, permissions: Permission[]): void {
  const held = effectivePermissions(grants, { orgId });
  const missing = permissions.filter((p) => !held.has(p));
  if (missing.length > 0) {
    throw new AppError(
      "FORBIDDEN",
      `You can only put permissions you hold in this organisation into a role; you do not hold: ${listMissing(missing)}`,
      { field: "permissions", details: { missing } },
    );
  }
}

/** Validates a custom role's permission set against its scopes. */
export function checkRolePermissions(permissions: string[], scopes: string[]): Permission[] {
  const unknown = permissions.filter((p) => !isPermission(p));
  if (unknown.length > 0)
    throw new AppError("INVALID_INPUT", `permissions: unknown permission ${unknown.join(", ")}`, {
      field: "permissions",
    });
  const perms = [...new Set(permissions as Permission[])].sort();
  if (perms.length === 0)
    throw new AppError("INVALID_INPUT", "permissions: choose at least one permission", {
      field: "permissions",
    });
  const platform = perms.filter((p) => permissionCatalog[p].scope === "platform");
  if (platform.length > 0)
    throw new AppError(
      "INVALID_INPUT",
      `permissions: ${platform.join(", ")} can only be held by platform operators`,
      { field: "permissions" },
    );
  if (!scopes.includes("org")) {
    const orgOnly = perms.filter((p) => permissionCatalog[p].scope === "org");
    if (orgOnly.length > 0)
      throw new AppError(
        "INVALID_INPUT",
        `permissions: ${listMissing(orgOnly)} only apply at organisation scope: allow that scope or remove them`,
        { field: "permissions" },
      );
  }
  return perms;
}
