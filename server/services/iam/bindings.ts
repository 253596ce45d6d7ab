// Role bindings: who holds which role where (the organisation or one of its projects). Assigning
// never hands out more than the assigner holds; the last active org admin is never unbound.
// Permissions are resolved per request, so a change applies on the caller's next request.
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { memberships, projects, roleBindings, roles, users } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { can, type Grants } from "@/server/iam/access";
import type { OrgRow } from "@/server/services/orgs";
import {
  assertCanAssign,
  assertHeldSomewhere,
  assertNotLastAdmin,
  lockOrg,
  ORG_ADMIN_ROLE,
  scopeWords,
} from "./guards";
import { getRole } from "./roles";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BindingView {
  id: string;
  userId: string;
  userEmail: string;
  userName: string;
  userStatus: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  roleIsSystem: boolean;
  scopeType: "org" | "project";
  projectId: string | null;
  projectSlug: string | null;
  projectName: string | null;
  createdAt: Date;
}

export async function bindingViews(db: DbOrTx, where: SQL | undefined): Promise<BindingView[]> {
  const rows = await db
    .select({
      id: roleBindings.id,
      userId: roleBindings.userId,
      userEmail: users.email,
      userName: users.name,
      userStatus: users.status,
      roleId: roles.id,
      roleKey: roles.key,
      roleName: roles.name,
      roleIsSystem: roles.isSystem,
      scopeType: roleBindings.scopeType,
      projectId: roleBindings.projectId,
      projectSlug: projects.slug,
      projectName: projects.name,
      createdAt: roleBindings.createdAt,
    })
    .from(roleBindings)
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .leftJoin(projects, eq(projects.id, roleBindings.projectId))
    .where(where)
    // Organisation-wide assignments first, then by project and role.
    .orderBy(
      sql`${roleBindings.projectId} is not null`,
      asc(projects.slug),
      asc(roles.name),
      asc(users.email),
    );
  return rows.map((r) => ({ ...r, scopeType: r.scopeType === "project" ? "project" : "org" }));
}

/** Bindings the caller may list: org-wide ones with the permission at org scope, project ones per project. */
export function visibleTo(grants: Grants, orgId: string) {
  return (b: BindingView) =>
    can(grants, "iam.rolebinding.list", { orgId, projectId: b.projectId ?? undefined });
}

export async function listBindings(
  db: DbOrTx,
  grants: Grants,
  org: OrgRow,
  filter: { userId?: string; projectId?: string; roleId?: string } = {},
): Promise<BindingView[]> {
  assertHeldSomewhere(grants, "iam.rolebinding.list", org.id);
  const rows = await bindingViews(
    db,
    and(
      eq(roleBindings.orgId, org.id),
      filter.userId ? eq(roleBindings.userId, filter.userId) : undefined,
      filter.projectId ? eq(roleBindings.projectId, filter.projectId) : undefined,
      filter.roleId ? eq(roleBindings.roleId, filter.roleId) : undefined,
    ),
  );
  return rows.filter(visibleTo(grants, org.id));
}

/** A project of the organisation the caller can see, by id or slug. */
export async function findProject(db: DbOrTx, grants: Grants, org: OrgRow, ref: string) {
  const [p] = await db
    .select()
    .from(projects)
    .where(
      and(
        eq(projects.orgId, org.id),
        UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
      ),
    );
  const visible =
    p && (grants.platform.size > 0 || (grants.orgs.get(org.id)?.size ?? 0) > 0 || grants.projects.has(p.id));
  if (!p || !visible) throw new AppError("NOT_FOUND", `Project ${ref} not found`, { field: "project" });
  return p;
}

/** A member of the organisation by id or email; anyone else is NOT_FOUND. */
export async function findMember(db: DbOrTx, org: OrgRow, ref: string) {
  const [u] = await db
    .select({ user: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, org.id),
        UUID.test(ref) ? eq(users.id, ref) : sql`lower(${users.email}) = ${ref.trim().toLowerCase()}`,
      ),
    );
  if (!u) throw new AppError("NOT_FOUND", `User ${ref} is not a member of ${org.slug}`, { field: "user" });
  return u.user;
}

export async function createBinding(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  input: { user: string; role: string; project?: string | null },
): Promise<BindingView> {
  assertHeldSomewhere(grants, "iam.rolebinding.create", org.id);
  await lockOrg(tx, org.id);
  const project = input.project ? await findProject(tx, grants, org, input.project) : null;
  const user = await findMember(tx, org, input.user);
  const role = await getRole(tx, org, input.role).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", `Role ${input.role} not found`, { field: "role" });
    throw e;
  });
  const where = scopeWords(org, project);
  assertCanAssign(grants, role, { orgId: org.id, projectId: project?.id }, where);
  const [row] = await tx
    .insert(roleBindings)
    .values({
      userId: user.id,
      roleId: role.id,
      scopeType: project ? "project" : "org",
      orgId: org.id,
      projectId: project?.id ?? null,
      createdBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: roleBindings.id });
  if (!row) throw new AppError("CONFLICT", `${user.email} already has the role ${role.name} ${where}`);
  await writeAudit(tx, actor, {
    action: "iam.rolebinding.create",
    orgId: org.id,
    projectId: project?.id ?? null,
    target: { kind: "role-binding", id: row.id, name: `${role.key} → ${user.email}` },
    data: {
      userId: user.id,
      email: user.email,
      role: role.key,
      scope: project ? `project:${project.slug}` : "org",
    },
  });
  const [view] = await bindingViews(tx, eq(roleBindings.id, row.id));
  return view!;
}

export async function deleteBinding(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  bindingId: string,
): Promise<BindingView> {
  assertHeldSomewhere(grants, "iam.rolebinding.delete", org.id);
  await lockOrg(tx, org.id);
  const [b] = UUID.test(bindingId)
    ? await bindingViews(tx, and(eq(roleBindings.id, bindingId), eq(roleBindings.orgId, org.id)))
    : [];
  if (!b || !visibleTo(grants, org.id)(b))
    throw new AppError("NOT_FOUND", `Role assignment ${bindingId} not found`);
  const scope = { orgId: org.id, projectId: b.projectId ?? undefined };
  const where = scopeWords(org, b.projectSlug ? { slug: b.projectSlug } : null);
  if (!can(grants, "iam.rolebinding.delete", scope)) {
    throw new AppError("FORBIDDEN", `You do not have the permission iam.rolebinding.delete ${where}`, {
      details: { permission: "iam.rolebinding.delete" },
    });
  }
  if (b.roleKey === ORG_ADMIN_ROLE && b.roleIsSystem && b.scopeType === "org") {
    await assertNotLastAdmin(tx, org, { id: b.userId, email: b.userEmail }, "remove this assignment");
  }
  await tx.delete(roleBindings).where(eq(roleBindings.id, b.id));
  await writeAudit(tx, actor, {
    action: "iam.rolebinding.delete",
    orgId: org.id,
    projectId: b.projectId,
    target: { kind: "role-binding", id: b.id, name: `${b.roleKey} → ${b.userEmail}` },
    data: {
      userId: b.userId,
      email: b.userEmail,
      role: b.roleKey,
      scope: b.projectSlug ? `project:${b.projectSlug}` : "org",
    },
  });
  return b;
}
