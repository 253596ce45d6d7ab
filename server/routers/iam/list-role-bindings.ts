import { z } from "zod";
import { findMember, findProject, listBindings } from "@/server/services/iam/bindings";
import { getRole } from "@/server/services/iam/roles";
import { assertHeldSomewhere } from "@/server/services/iam/guards";
import { orgProcedure } from "@/server/trpc";
import { page } from "../shared";
import { bindingOutput, projectRef, roleRef, toBinding, userRef } from "./schemas";

export const listRoleBindings = orgProcedure
  .meta({
    permission: "iam.rolebinding.list",
    // Project admins list the assignments of their projects; org-wide ones need the org-level grant.
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/role-bindings",
      tags: ["iam"],
      summary: "List role assignments (filter by user, project or role)",
    },
  })
  .input(
    z.object({
      userId: userRef.optional().describe("Only this user's assignments (id or email)"),
      project: projectRef.optional().describe("Only assignments in this project"),
      role: roleRef.optional().describe("Only assignments of this role"),
    }),
  )
  .output(page(bindingOutput))
  .query(async ({ ctx, input }) => {
    assertHeldSomewhere(ctx.grants, "iam.rolebinding.list", ctx.org.id);
    const [user, project, role] = await Promise.all([
      input.userId ? findMember(ctx.db, ctx.org, input.userId) : null,
      input.project ? findProject(ctx.db, ctx.grants, ctx.org, input.project) : null,
      input.role ? getRole(ctx.db, ctx.org, input.role) : null,
    ]);
    const rows = await listBindings(ctx.db, ctx.grants, ctx.org, {
      userId: user?.id,
      projectId: project?.id,
      roleId: role?.id,
    });
    return { items: rows.map(toBinding), nextCursor: null };
  });
