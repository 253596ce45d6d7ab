import { decideRequest } from "./decide";
import { decisionInput, decisionOutput } from "./schemas";
import { authedProcedure } from "@/server/trpc";

export const approveQuotaRequest = authedProcedure
  .meta({
    permission: "quota.request.approve",
    openapi: {
      method: "POST",
      path: "/tenant/v1/quota-requests/{id}/approve",
      tags: ["quota requests"],
      summary: "Approve a quota request: its limits apply at once",
      description:
        "Org admins approve project requests within the organisation's limit; cloud operators approve anything and raise the organisation's limit when needed. A request already decided answers 409.",
    },
  })
  .input(decisionInput)
  .output(decisionOutput)
  .mutation(({ ctx, input }) => decideRequest(ctx, input, "approve"));
