import { z } from "zod";
import { listRoles as list } from "@/server/services/iam/roles";
import { assertHeldSomewhere } from "@/server/services/iam/guards";
import { orgProcedure } from "@/server/trpc";
import { page } from "../shared";
import { roleOutput, roleScope, toRole } from "./schemas";

export const listRoles = orgProcedure
  .meta({
    permission: "iam.role.list",
    // Project admins read the roles they may assign in their project.
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/roles",
      tags: ["iam"],
      summary: "List the system roles and the organisation's custom roles",
    },
  })
  .input(
    z.object({
      q: z.string().trim().max(100).optional().describe("Search by name, key or description"),
      type: z.enum(["system", "custom"]).optional().describe("Only system or only custom roles"),
      scope: roleScope.optional().describe("Only roles assignable at this scope"),
    }),
  )
  .output(page(roleOutput))
  .query(async ({ ctx, input }) => {
    assertHeldSomewhere(ctx.grants, "iam.role.list", ctx.org.id);
    return {
      // Roles per organisation are few (system ones plus tens of custom ones): one page.
      items: (await list(ctx.db, ctx.org, input)).map(toRole),
      nextCursor: null,
    };
  });
