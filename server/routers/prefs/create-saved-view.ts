import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { createSavedView as create } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";
import { kindSchema } from "./list-saved-views";
import { savedViewOutput, toSavedView } from "./schemas";

export const createSavedView = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "prefs.savedview.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/common/v1/me/saved-views",
      tags: ["preferences"],
      summary: "Save a list view under a name",
    },
  })
  .input(
    z.object({
      kind: kindSchema.describe("The list the view belongs to (e.g. iam.user)"),
      name: z.string().trim().min(1).max(64).describe("Name shown in the views menu"),
      query: z
        .string()
        .max(2000)
        .refine((q) => !q.startsWith("?") && !/[\s#]/.test(q), "a URL search string without ? or #")
        .describe("URL search string of the view, e.g. q=web&f.status=ACTIVE&sort=-createdAt"),
    }),
  )
  .output(savedViewOutput)
  .mutation(async ({ ctx, input }) =>
    toSavedView(await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.principal.userId, input))),
  );
