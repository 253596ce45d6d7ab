import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { listSavedViews as list } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";
import { savedViewOutput, toSavedView } from "./schemas";

export const kindSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "use lowercase letters, digits, dots, dashes and underscores");

export const listSavedViews = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/me/saved-views",
      tags: ["preferences"],
      summary: "The caller's saved list views",
    },
  })
  .input(z.object({ kind: kindSchema.optional().describe("Only views of this list") }))
  .output(z.object({ items: z.array(savedViewOutput), nextCursor: z.string().nullable() }))
  .query(async ({ ctx, input }) => ({
    items: (await list(ctx.db, ctx.principal.userId, input.kind)).map(toSavedView),
    nextCursor: null,
  }));
