import { z } from "zod";
import { AppError } from "@/server/errors";
import { getQuotaRequestRow, getQuotaRequestView } from "@/server/services/quota/requests";
import { assertPermission, authedProcedure } from "@/server/trpc";
import { quotaRequestOutput, toQuotaRequest } from "./schemas";

export const getQuotaRequest = authedProcedure
  .meta({
    permission: "quota.request.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/quota-requests/{id}",
      tags: ["quota requests"],
      summary: "Read a quota request",
    },
  })
  .input(z.object({ id: z.string().uuid().describe("Quota request id") }))
  .output(quotaRequestOutput)
  .query(async ({ ctx, input }) => {
    const row = await getQuotaRequestRow(ctx.db, input.id);
    if (!row) throw new AppError("NOT_FOUND", `Quota request ${input.id} not found`);
    assertPermission(ctx, "quota.request.list", row, `Quota request ${input.id}`);
    return toQuotaRequest(await getQuotaRequestView(ctx.db, input.id));
  });
