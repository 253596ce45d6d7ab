import { eq } from "drizzle-orm";
import { z } from "zod";
import { projects, roleBindings, roles, users } from "@/db/schema";
import { effectivePermissions } from "@/server/iam/access";
import { SELF } from "@/server/iam/permissions";
import { authedProcedure } from "@/server/trpc";
import { listOrganizationsFor } from "@/server/services/orgs";

const membership = z.object({
  org: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  roles: z.array(
    z.object({
      roleKey: z.string(),
      roleName: z.string(),
      scopeType: z.enum(["platform", "org", "project"]),
      projectId: z.string().nullable(),
      projectSlug: z.string().nullable(),
    }),
  ),
  permissions: z.array(z.string()).describe("Permissions effective at organisation scope"),
  projects: z.array(
    z.object({ id: z.string(), slug: z.string(), name: z.string(), permissions: z.array(z.string()) }),
  ),
});

export const getMe = authedProcedure
  .meta({
    permission: SELF,
    openapi: { method: "GET", path: "/common/v1/me", tags: ["common"], summary: "The caller" },
  })
  .input(z.object({}).optional())
  .output(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      via: z.enum(["session", "token"]),
      platformRoles: z.array(z.string()),
      platformPermissions: z.array(z.string()),
      memberships: z.array(membership),
    }),
  )
  .query(async ({ ctx }) => {
    const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.principal.userId));
    const bindings = await ctx.db
      .select({ binding: roleBindings, role: roles, projectSlug: projects.slug })
      .from(roleBindings)
      .innerJoin(roles, eq(roles.id, roleBindings.roleId))
      .leftJoin(projects, eq(projects.id, roleBindings.projectId))
      .where(eq(roleBindings.userId, ctx.principal.userId));
    const orgs = await listOrganizationsFor(ctx.db, ctx.grants);
    const memberships = await Promise.all(
      orgs.map(async (org) => {
        const orgProjects = await ctx.db.select().from(projects).where(eq(projects.orgId, org.id));
        const visible = orgProjects
          .map((p) => ({
            p,
            perms: [...effectivePermissions(ctx.grants, { orgId: org.id, projectId: p.id })],
          }))
          .filter(({ p, perms }) => perms.length > 0 || ctx.grants.projects.has(p.id));
        return {
          org: { id: org.id, slug: org.slug, name: org.name },
          roles: bindings
            .filter((b) => b.binding.orgId === org.id)
            .map((b) => ({
              roleKey: b.role.key,
              roleName: b.role.name,
              scopeType: b.binding.scopeType as "org" | "project",
              projectId: b.binding.projectId,
              projectSlug: b.projectSlug,
            })),
          permissions: [...effectivePermissions(ctx.grants, { orgId: org.id })].sort(),
          projects: visible
            .sort((a, b) => a.p.name.localeCompare(b.p.name))
            .map(({ p, perms }) => ({ id: p.id, slug: p.slug, name: p.name, permissions: perms.sort() })),
        };
      }),
    );
    return {
      id: ctx.principal.userId,
      email: user?.email ?? ctx.principal.email,
      name: user?.name ?? ctx.principal.name,
      via: ctx.principal.via,
      platformRoles: bindings.filter((b) => b.binding.scopeType === "platform").map((b) => b.role.key),
      platformPermissions: [...ctx.grants.platform].sort(),
      memberships,
    };
  });
