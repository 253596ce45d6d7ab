import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { listApiTokens as list } from "@/server/services/iam/tokens";
import { authedProcedure } from "@/server/trpc";
import { page } from "../shared";
import { tokenOutput, toToken } from "./schemas";

export const listApiTokens = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/tokens",
      tags: ["common"],
      summary: "The caller's API tokens (never their secrets)",
    },
  })
  .input(z.object({}).optional())
  .output(page(tokenOutput))
  .query(async ({ ctx }) => ({
    items: (await list(ctx.db, ctx.principal.userId)).map(toToken),
    nextCursor: null,
  }));
