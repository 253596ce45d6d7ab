import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { getPreferences as get } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";
import { preferencesOutput } from "./schemas";

export const getPreferences = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/me/preferences",
      tags: ["preferences"],
      summary: "The caller's console preferences",
    },
  })
  .input(z.object({}).optional())
  .output(preferencesOutput)
  .query(({ ctx }) => get(ctx.db, ctx.principal.userId));
