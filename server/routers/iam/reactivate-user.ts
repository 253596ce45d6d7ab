import { z } from "zod";
import { reactivateUser as reactivate } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { toUser, userOutput, userRef } from "./schemas";

export const reactivateUser = orgProcedure
  .meta({
    permission: "iam.user.suspend",
    auditAction: "iam.user.reactivate",
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/users/{userId}/reactivate",
      tags: ["iam"],
      summary: "Reactivate a suspended user",
    },
  })
  .input(z.object({ userId: userRef }))
  .output(userOutput)
  .mutation(async ({ ctx, input }) =>
    toUser(await ctx.db.transaction((tx) => reactivate(tx, ctx.actor, ctx.grants, ctx.org, input.userId))),
  );
