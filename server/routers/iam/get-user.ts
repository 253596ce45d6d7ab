import { z } from "zod";
import { getOrgUser } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { toUser, userOutput, userRef } from "./schemas";

export const getUser = orgProcedure
  .meta({
    permission: "iam.user.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/users/{userId}",
      tags: ["iam"],
      summary: "Read a user of the organisation with their role assignments",
    },
  })
  .input(z.object({ userId: userRef }))
  .output(userOutput)
  .query(async ({ ctx, input }) => toUser(await getOrgUser(ctx.db, ctx.org, input.userId)));
