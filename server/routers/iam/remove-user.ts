import { z } from "zod";
import { removeUser as remove } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { userRef } from "./schemas";

export const removeUser = orgProcedure
  .meta({
    permission: "iam.user.remove",
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/organizations/{org}/users/{userId}",
      tags: ["iam"],
      summary: "Remove a user from the organisation (their role assignments and its API tokens go too)",
    },
  })
  .input(z.object({ userId: userRef }))
  .output(
    z.object({
      bindingsRemoved: z.number().int().describe("Role assignments removed"),
      tokensRevoked: z.number().int().describe("API tokens limited to this organisation's projects, revoked"),
    }),
  )
  .mutation(({ ctx, input }) => ctx.db.transaction((tx) => remove(tx, ctx.actor, ctx.org, input.userId)));
