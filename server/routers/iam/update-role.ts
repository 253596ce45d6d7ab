import { z } from "zod";
import { updateRole as update } from "@/server/services/iam/roles";
import { orgProcedure } from "@/server/trpc";
import { roleFields, roleOutput, roleRef, toRole } from "./schemas";

export const updateRole = orgProcedure
  .meta({
    permission: "iam.role.update",
    openapi: {
      method: "PATCH",
      path: "/tenant/v1/organizations/{org}/roles/{roleId}",
      tags: ["iam"],
      summary: "Change a custom role; the change applies to its holders on their next request",
    },
  })
  .input(
    z.object({
      roleId: roleRef,
      name: roleFields.name.optional(),
      description: roleFields.description.optional(),
      scopes: roleFields.scopes.optional(),
      permissions: roleFields.permissions.optional(),
    }),
  )
  .output(roleOutput)
  .mutation(async ({ ctx, input }) => {
    const { roleId, ...changes } = input;
    return toRole(
      await ctx.db.transaction((tx) => update(tx, ctx.actor, ctx.grants, ctx.org, roleId, changes)),
    );
  });
