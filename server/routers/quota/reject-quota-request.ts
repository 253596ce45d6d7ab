import { decideRequest } from "./decide";
import { decisionInput, decisionOutput } from "./schemas";
import { authedProcedure } from "@/server/trpc";

export const rejectQuotaRequest = authedProcedure
  .meta({
    permission: "quota.request.approve",
    openapi: {
      method: "POST",
      path: "/tenant/v1/quota-requests/{id}/reject",
      tags: ["quota requests"],
      summary: "Reject a quota request, with a comment for the requester",
    },
  })
  .input(decisionInput)
  .output(decisionOutput)
  .mutation(({ ctx, input }) => decideRequest(ctx, input, "reject"));
