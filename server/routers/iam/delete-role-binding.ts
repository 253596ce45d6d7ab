import { z } from "zod";
import { deleteBinding } from "@/server/services/iam/bindings";
import { orgProcedure } from "@/server/trpc";
import { bindingOutput, toBinding } from "./schemas";

export const deleteRoleBinding = orgProcedure
  .meta({
    permission: "iam.rolebinding.delete",
    anyProject: true,
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/organizations/{org}/role-bindings/{bindingId}",
      tags: ["iam"],
      summary: "Remove a role assignment (never the organisation's last active admin)",
    },
  })
  .input(z.object({ bindingId: z.string().trim().min(1).max(64).describe("Role assignment id") }))
  .output(bindingOutput)
  .mutation(async ({ ctx, input }) =>
    toBinding(
      await ctx.db.transaction((tx) => deleteBinding(tx, ctx.actor, ctx.grants, ctx.org, input.bindingId)),
    ),
  );
