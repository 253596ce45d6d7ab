import { z } from "zod";
import { suspendUser as suspend } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { toUser, userOutput, userRef } from "./schemas";

export const suspendUser = orgProcedure
  .meta({
    permission: "iam.user.suspend",
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/users/{userId}/suspend",
      tags: ["iam"],
      summary: "Suspend a user: their sessions end and their API tokens stop working at once",
    },
  })
  .input(z.object({ userId: userRef }))
  .output(z.object({ user: userOutput, sessionsRevoked: z.number().int() }))
  .mutation(async ({ ctx, input }) => {
    const res = await ctx.db.transaction((tx) => suspend(tx, ctx.actor, ctx.grants, ctx.org, input.userId));
    return { user: toUser(res.user), sessionsRevoked: res.sessionsRevoked };
  });
