// Roles: the system roles plus each organisation's custom roles (sets of catalogue permissions
// with the scopes they may be bound at). No escalation, and a role in use is never deleted.
import { and, asc, count, eq, inArray, isNull, or } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { roleBindings, roles } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import type { Grants } from "@/server/iam/access";
import { systemRoles } from "@/server/iam/permissions";
import { slugify, SLUG, type OrgRow } from "@/server/services/orgs";
import { assertCanGrantPermissions, checkRolePermissions, type RoleRow } from "./guards";

export type { RoleRow };
export type RoleScope = "org" | "project";

export interface RoleWithUse extends RoleRow {
  /** Assignments of the role in this organisation. */
  bindingCount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Roles an organisation can use: system roles bindable in tenants, and its own custom roles. */
function orgRolesWhere(orgId: string) {
  return or(and(isNull(roles.orgId), eq(roles.isSystem, true)), eq(roles.orgId, orgId));
}

async function bindingCounts(db: DbOrTx, orgId: string, roleIds: string[]): Promise<Map<string, number>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({ roleId: roleBindings.roleId, n: count() })
    .from(roleBindings)
    .where(and(eq(roleBindings.orgId, orgId), inArray(roleBindings.roleId, roleIds)))
    .groupBy(roleBindings.roleId);
  return new Map(rows.map((r) => [r.roleId, r.n]));
}

export async function listRoles(
  db: DbOrTx,
  org: OrgRow,
  filter: { q?: string; type?: "system" | "custom"; scope?: RoleScope } = {},
): Promise<RoleWithUse[]> {
  const rows = await db.select().from(roles).where(orgRolesWhere(org.id)).orderBy(asc(roles.name));
  const q = filter.q?.trim().toLowerCase();
  const visible = rows.filter(
    (r) =>
      !r.scopes.includes("platform") &&
      (!filter.type || (filter.type === "system") === r.isSystem) &&
      (!filter.scope || r.scopes.includes(filter.scope)) &&
      (!q ||
        r.name.toLowerCase().includes(q) ||
        r.key.includes(q) ||
        r.description.toLowerCase().includes(q)),
  );
  // System roles first, in the catalogue's order (broadest first), then custom roles by name.
  const order = Object.keys(systemRoles);
  visible.sort((a, b) =>
    a.isSystem !== b.isSystem
      ? a.isSystem
        ? -1
        : 1
      : a.isSystem
        ? order.indexOf(a.key) - order.indexOf(b.key)
        : a.name.localeCompare(b.name),
  );
  const counts = await bindingCounts(
    db,
    org.id,
    visible.map((r) => r.id),
  );
  return visible.map((r) => ({ ...r, bindingCount: counts.get(r.id) ?? 0 }));
}

/** A role by id or key, as the organisation sees it (another organisation's role is NOT_FOUND). */
export async function getRole(db: DbOrTx, org: OrgRow, ref: string): Promise<RoleWithUse> {
  const [row] = await db
    .select()
    .from(roles)
    .where(and(orgRolesWhere(org.id), UUID.test(ref) ? eq(roles.id, ref) : eq(roles.key, ref.toLowerCase())))
    // A custom role may share a key with nothing system (refused on create), so one row answers.
    .limit(1);
  if (!row || row.scopes.includes("platform")) throw new AppError("NOT_FOUND", `Role ${ref} not found`);
  const counts = await bindingCounts(db, org.id, [row.id]);
  return { ...row, bindingCount: counts.get(row.id) ?? 0 };
}

function checkScopes(scopes: string[]): RoleScope[] {
  const out = [...new Set(scopes)].filter((s): s is RoleScope => s === "org" || s === "project");
  if (out.length === 0 || out.length !== new Set(scopes).size)
    throw new AppError("INVALID_INPUT", "scopes: choose org, project or both", { field: "scopes" });
  return out.sort();
}

export interface RoleInput {
  name: string;
  key?: string;
  description?: string;
  scopes: string[];
  permissions: string[];
}

export async function createRole(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  input: RoleInput,
): Promise<RoleWithUse> {
  const scopes = checkScopes(input.scopes);
  const permissions = checkRolePermissions(input.permissions, scopes);
  assertCanGrantPermissions(grants, org.id, permissions);
  const key = input.key ?? slugify(input.name);
  if (!SLUG.test(key))
    throw new AppError("INVALID_INPUT", "key: use lowercase letters, digits and dashes (1-40)", {
      field: "key",
    });
  if (Object.hasOwn(systemRoles, key))
    throw new AppError("CONFLICT", `key: ${key} is the key of a system role; choose another`, {
      field: "key",
    });
  const [taken] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.orgId, org.id), eq(roles.key, key)));
  if (taken)
    throw new AppError("CONFLICT", `A role with the key ${key} already exists in ${org.slug}`, {
      field: "key",
    });
  const [row] = await tx
    .insert(roles)
    .values({
      orgId: org.id,
      key,
      name: input.name,
      description: input.description ?? "",
      scopes,
      permissions,
      isSystem: false,
      createdBy: actor.userId,
    })
    // A concurrent create of the same key loses here rather than on a unique-violation 500.
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new AppError("CONFLICT", `A role with the key ${key} already exists in ${org.slug}`, {
      field: "key",
    });
  await writeAudit(tx, actor, {
    action: "iam.role.create",
    orgId: org.id,
    target: { kind: "role", id: row.id, name: row.name },
    data: { key, scopes, permissions },
  });
  return { ...row, bindingCount: 0 };
}

async function loadCustomRole(tx: Tx, org: OrgRow, ref: string, verb: string): Promise<RoleWithUse> {
  const role = await getRole(tx, org, ref);
  if (role.isSystem)
    throw new AppError(
      "CONFLICT",
      `${role.name} is a system role and cannot be ${verb}; create a custom role instead`,
    );
  // Row lock: a concurrent assignment or edit waits for this change.
  await tx.select({ id: roles.id }).from(roles).where(eq(roles.id, role.id)).for("update");
  return role;
}

export async function updateRole(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  ref: string,
  input: Partial<Omit<RoleInput, "key">>,
): Promise<RoleWithUse> {
  const role = await loadCustomRole(tx, org, ref, "changed");
  const scopes = input.scopes ? checkScopes(input.scopes) : (role.scopes as RoleScope[]);
  const permissions = checkRolePermissions(input.permissions ?? role.permissions, scopes);
  // Only what is added must be held: removing a permission never escalates.
  const added = permissions.filter((p) => !role.permissions.includes(p));
  assertCanGrantPermissions(grants, org.id, added);
  const dropped = (["org", "project"] as const).filter((s) => role.scopes.includes(s) && !scopes.includes(s));
  if (dropped.length > 0) {
    const [used] = await tx
      .select({ n: count() })
      .from(roleBindings)
      .where(and(eq(roleBindings.roleId, role.id), inArray(roleBindings.scopeType, dropped)));
    if ((used?.n ?? 0) > 0) {
      const words = dropped.map((s) => (s === "org" ? "organisation" : "project")).join(" and ");
      throw new AppError(
        "CONFLICT",
        `${role.name} is assigned ${used!.n} time${used!.n === 1 ? "" : "s"} at ${words} scope: remove those assignments before you drop that scope`,
        { field: "scopes", details: { bindings: used!.n } },
      );
    }
  }
  const [row] = await tx
    .update(roles)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      scopes,
      permissions,
      updatedAt: new Date(),
    })
    .where(eq(roles.id, role.id))
    .returning();
  const removed = role.permissions.filter((p) => !permissions.includes(p as never));
  await writeAudit(tx, actor, {
    action: "iam.role.update",
    orgId: org.id,
    target: { kind: "role", id: role.id, name: row!.name },
    data: {
      before: { name: role.name, description: role.description, scopes: role.scopes },
      after: { name: row!.name, description: row!.description, scopes },
      added,
      removed,
    },
  });
  return { ...row!, bindingCount: role.bindingCount };
}

export async function deleteRole(tx: Tx, actor: Actor, org: OrgRow, ref: string): Promise<RoleRow> {
  const role = await loadCustomRole(tx, org, ref, "deleted");
  const [used] = await tx.select({ n: count() }).from(roleBindings).where(eq(roleBindings.roleId, role.id));
  if ((used?.n ?? 0) > 0) {
    throw new AppError(
      "CONFLICT",
      `${role.name} is assigned ${used!.n} time${used!.n === 1 ? "" : "s"}: remove ${used!.n === 1 ? "that assignment" : "those assignments"} first`,
      { details: { bindings: used!.n } },
    );
  }
  await tx.delete(roles).where(eq(roles.id, role.id));
  await writeAudit(tx, actor, {
    action: "iam.role.delete",
    orgId: org.id,
    target: { kind: "role", id: role.id, name: role.name },
    data: { key: role.key, permissions: role.permissions },
  });
  return role;
}
