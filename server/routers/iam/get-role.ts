import { z } from "zod";
import { getRole as get } from "@/server/services/iam/roles";
import { assertHeldSomewhere } from "@/server/services/iam/guards";
import { orgProcedure } from "@/server/trpc";
import { roleOutput, roleRef, toRole } from "./schemas";

export const getRole = orgProcedure
  .meta({
    permission: "iam.role.list",
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/roles/{roleId}",
      tags: ["iam"],
      summary: "Read a role",
    },
  })
  .input(z.object({ roleId: roleRef }))
  .output(roleOutput)
  .query(async ({ ctx, input }) => {
    assertHeldSomewhere(ctx.grants, "iam.role.list", ctx.org.id);
    return toRole(await get(ctx.db, ctx.org, input.roleId));
  });
