import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { deleteSavedView as remove } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";

export const deleteSavedView = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "prefs.savedview.delete",
    openapi: {
      method: "DELETE",
      path: "/common/v1/me/saved-views/{id}",
      tags: ["preferences"],
      summary: "Delete one of the caller's saved views",
    },
  })
  .input(z.object({ id: z.string().uuid().describe("Saved view id") }))
  .output(z.object({ id: z.string().uuid() }))
  .mutation(async ({ ctx, input }) => {
    await ctx.db.transaction((tx) => remove(tx, ctx.actor, ctx.principal.userId, input.id));
    return { id: input.id };
  });
