import { z } from "zod";
import { deleteRole as remove } from "@/server/services/iam/roles";
import { orgProcedure } from "@/server/trpc";
import { roleRef } from "./schemas";

export const deleteRole = orgProcedure
  .meta({
    permission: "iam.role.delete",
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/organizations/{org}/roles/{roleId}",
      tags: ["iam"],
      summary: "Delete an unused custom role (409 with the number of assignments when it is in use)",
    },
  })
  .input(z.object({ roleId: roleRef }))
  .output(z.object({ id: z.string().uuid(), key: z.string(), name: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const role = await ctx.db.transaction((tx) => remove(tx, ctx.actor, ctx.org, input.roleId));
    return { id: role.id, key: role.key, name: role.name };
  });
