import { z } from "zod";
import { createBinding } from "@/server/services/iam/bindings";
import { orgProcedure } from "@/server/trpc";
import { bindingOutput, projectRef, roleRef, toBinding, userRef } from "./schemas";

export const createRoleBinding = orgProcedure
  .meta({
    permission: "iam.rolebinding.create",
    // Checked again at the exact scope by the service (a project admin assigns in their project).
    anyProject: true,
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/role-bindings",
      tags: ["iam"],
      summary: "Assign a role to a member, for the organisation or one project",
    },
  })
  .input(
    z.object({
      user: userRef.describe("The member: user id or email"),
      role: roleRef,
      project: projectRef.optional().describe("Assign in this project; omit for the whole organisation"),
    }),
  )
  .output(bindingOutput)
  .mutation(async ({ ctx, input }) =>
    toBinding(await ctx.db.transaction((tx) => createBinding(tx, ctx.actor, ctx.grants, ctx.org, input))),
  );
