import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { revokeApiToken as revoke } from "@/server/services/iam/tokens";
import { authedProcedure } from "@/server/trpc";

export const revokeApiToken = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "iam.token.revoke",
    openapi: {
      method: "DELETE",
      path: "/common/v1/tokens/{id}",
      tags: ["common"],
      summary: "Revoke one of the caller's API tokens; it stops working at once",
    },
  })
  .input(z.object({ id: z.string().uuid().describe("Token id") }))
  .output(z.object({ id: z.string().uuid(), name: z.string() }))
  .mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => revoke(tx, ctx.actor, ctx.principal.userId, input.id)),
  );
