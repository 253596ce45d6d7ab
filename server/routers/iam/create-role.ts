import { z } from "zod";
import { createRole as create } from "@/server/services/iam/roles";
import { orgProcedure } from "@/server/trpc";
import { slugSchema } from "../shared";
import { roleFields, roleOutput, toRole } from "./schemas";

export const createRole = orgProcedure
  .meta({
    permission: "iam.role.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/roles",
      tags: ["iam"],
      summary: "Create a custom role (only with permissions you hold in the organisation)",
    },
  })
  .input(
    z.object({
      ...roleFields,
      key: slugSchema.optional().describe("Stable key; derived from the name when omitted"),
      description: roleFields.description.optional(),
    }),
  )
  .output(roleOutput)
  .mutation(async ({ ctx, input }) =>
    toRole(await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.grants, ctx.org, input))),
  );
